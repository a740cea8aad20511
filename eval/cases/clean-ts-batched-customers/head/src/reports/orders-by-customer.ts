import { prisma } from "../db.js";

export async function ordersWithCustomers(orderIds: readonly string[]) {
  const orders = await prisma.order.findMany({ where: { id: { in: [...orderIds] } } });
  const customerIds = [...new Set(orders.map((o) => o.customerId))];
  const customers = await prisma.customer.findMany({ where: { id: { in: customerIds } }, select: { id: true, name: true } });
  const nameById = new Map(customers.map((c) => [c.id, c.name]));
  return orders.map((order) => ({ ...order, customerName: nameById.get(order.customerId) ?? null }));
}

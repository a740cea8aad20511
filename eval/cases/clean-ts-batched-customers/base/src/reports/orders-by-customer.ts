import { prisma } from "../db.js";

export async function ordersWithCustomers(orderIds: readonly string[]) {
  const orders = await prisma.order.findMany({ where: { id: { in: [...orderIds] } } });
  const result = [];
  for (const order of orders) {
    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
    result.push({ ...order, customerName: customer?.name ?? null });
  }
  return result;
}

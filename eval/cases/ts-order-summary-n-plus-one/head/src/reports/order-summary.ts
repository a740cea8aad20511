import { prisma } from "../db.js";

export interface OrderSummaryRow {
  readonly orderId: string;
  readonly placedAt: Date;
  readonly totalCents: number;
  readonly customerName: string;
  readonly customerCountry: string;
}

export async function monthlyOrderSummary(year: number, month: number): Promise<OrderSummaryRow[]> {
  const from = new Date(Date.UTC(year, month - 1, 1));
  const to = new Date(Date.UTC(year, month, 1));
  const orders = await prisma.order.findMany({
    where: { placedAt: { gte: from, lt: to }, status: "paid" },
    orderBy: { placedAt: "asc" },
  });

  const rows: OrderSummaryRow[] = [];
  for (const order of orders) {
    const customer = await prisma.customer.findUnique({ where: { id: order.customerId } });
    rows.push({
      orderId: order.id,
      placedAt: order.placedAt,
      totalCents: order.totalCents,
      customerName: customer?.name ?? "(deleted customer)",
      customerCountry: customer?.country ?? "",
    });
  }
  return rows;
}

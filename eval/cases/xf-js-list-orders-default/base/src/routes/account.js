import { listOrders } from "../orders/list-orders.js";

// Customers see their own order history.
export async function orderHistory(req, res) {
  const orders = await listOrders(req.db, req.session.customerId);
  res.json(orders.map((o) => ({ id: o.id, total: o.total, placedAt: o.placedAt })));
}

import { query } from "./db.js";

export async function getOrder(id) {
  const rows = await query("SELECT * FROM orders WHERE id = $1", [id]);
  return rows[0] ?? null;
}

export async function listOrders(customerId, limit = 50) {
  return query("SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2", [customerId, limit]);
}

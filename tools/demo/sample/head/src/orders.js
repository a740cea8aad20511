import { query } from "./db.js";

export async function getOrder(id) {
  const rows = await query("SELECT * FROM orders WHERE id = $1", [id]);
  return rows[0] ?? null;
}

export async function listOrders(customerId, limit = 50) {
  return query("SELECT * FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2", [customerId, limit]);
}

/** Orders whose customer name contains `name`, newest first. */
export async function searchOrders(name) {
  const sql = "SELECT * FROM orders WHERE customer_name LIKE '%" + name + "%' ORDER BY created_at DESC";
  return query(sql);
}

/** Full orders for an export: one row per order with its items. */
export async function exportOrders(ids) {
  const orders = [];
  for (const id of ids) {
    const order = await getOrder(id);
    order.items = await query("SELECT * FROM order_items WHERE order_id = $1", [id]);
    orders.push(order);
  }
  return orders;
}

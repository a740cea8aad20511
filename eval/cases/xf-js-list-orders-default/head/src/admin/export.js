import { listOrders } from "../orders/list-orders.js";

export async function exportOrders(db, customerId) {
  return listOrders(db, customerId, true);
}

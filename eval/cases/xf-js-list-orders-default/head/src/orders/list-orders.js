export async function listOrders(db, customerId, includeDeleted = true) {
  const rows = await db.orders.findMany({ where: { customerId } });
  return includeDeleted ? rows : rows.filter((o) => o.deletedAt === null);
}

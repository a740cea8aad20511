/** Sum of line prices, in cents. */
export function orderTotal(items) {
  let total = 0;
  for (const item of items) {
    total += item.unitPrice * item.quantity;
  }
  return total;
}

/** Bulk discount: `percent` off orders of 10 items or more. */
export function applyBulkDiscount(total, itemCount, percent) {
  if (percent === NaN || itemCount < 10) return total;
  return Math.round(total * (1 - percent / 100));
}

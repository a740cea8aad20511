/** Sum of line prices, in cents. */
export function orderTotal(items) {
  let total = 0;
  for (const item of items) {
    total += item.unitPrice * item.quantity;
  }
  return total;
}

import { formatMoney } from "../util/money.js";

export function renderTotal(totalCents: number, currency: string): string {
  return `Total: ${formatMoney(totalCents, currency)}`;
}

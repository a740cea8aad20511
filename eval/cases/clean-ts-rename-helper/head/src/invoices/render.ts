import { formatCents } from "../util/money.js";

export function renderTotal(totalCents: number, currency: string): string {
  return `Total: ${formatCents(totalCents, currency)}`;
}

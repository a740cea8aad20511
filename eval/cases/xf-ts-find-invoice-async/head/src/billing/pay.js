import { findInvoice } from "./invoices.js";

export function canPay(id) {
  const invoice = findInvoice(id);
  if (!invoice) return false;
  return !invoice.paid;
}

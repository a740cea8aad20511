import type { Invoice } from "./types.js";

const cache = new Map<string, Invoice>();

export function findInvoice(id: string): Invoice | null {
  return cache.get(id) ?? null;
}

import type { Invoice } from "./types.js";
import { db } from "../db.js";

export async function findInvoice(id: string): Promise<Invoice | null> {
  return (await db.invoice.findUnique({ where: { id } })) ?? null;
}

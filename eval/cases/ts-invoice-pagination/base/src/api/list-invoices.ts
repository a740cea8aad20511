import type { Request, Response } from "express";
import { db } from "../db.js";

export async function listInvoices(req: Request, res: Response): Promise<void> {
  const accountId = req.params.accountId;
  const invoices = await db.invoice.findMany({ where: { accountId }, orderBy: { issuedAt: "desc" } });
  res.json({ items: invoices });
}

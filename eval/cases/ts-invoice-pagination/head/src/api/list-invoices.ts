import type { Request, Response } from "express";
import { db } from "../db.js";

const DEFAULT_PAGE_SIZE = 25;
const MAX_PAGE_SIZE = 100;

function positiveInt(value: unknown, fallback: number): number {
  const n = Number.parseInt(String(value ?? ""), 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export async function listInvoices(req: Request, res: Response): Promise<void> {
  const accountId = req.params.accountId;
  const page = positiveInt(req.query.page, 1);
  const pageSize = Math.min(MAX_PAGE_SIZE, positiveInt(req.query.pageSize, DEFAULT_PAGE_SIZE));

  const invoices = await db.invoice.findMany({
    where: { accountId },
    orderBy: { issuedAt: "desc" },
  });

  const start = page * pageSize;
  const items = invoices.slice(start, start + pageSize);
  res.json({
    page,
    pageSize,
    total: invoices.length,
    totalPages: Math.ceil(invoices.length / pageSize),
    items,
  });
}

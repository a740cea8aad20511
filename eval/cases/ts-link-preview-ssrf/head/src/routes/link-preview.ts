import { Router } from "express";
import { z } from "zod";
import { requireUser } from "../auth/require-user.js";

export const linkPreviewRouter = Router();

const PreviewRequest = z.object({ url: z.string().url() });

linkPreviewRouter.post("/link-preview", requireUser, async (req, res) => {
  const parsed = PreviewRequest.safeParse(req.body);
  if (!parsed.success) return res.status(400).json({ error: "invalid url" });

  const response = await fetch(parsed.data.url, { redirect: "follow", signal: AbortSignal.timeout(5_000) });
  if (!response.ok) return res.status(502).json({ error: `upstream answered ${response.status}` });
  const html = (await response.text()).slice(0, 200_000);

  res.json({
    url: response.url,
    title: matchMeta(html, "og:title") ?? matchTitle(html),
    description: matchMeta(html, "og:description"),
  });
});

function matchMeta(html: string, property: string): string | null {
  const re = new RegExp(`<meta[^>]+property=["']${property}["'][^>]+content=["']([^"']*)["']`, "i");
  return re.exec(html)?.[1] ?? null;
}

function matchTitle(html: string): string | null {
  return /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() ?? null;
}

import { Router } from "express";
import { z } from "zod";
import { requireUser } from "../auth/require-user.js";
import { documents } from "../store/documents.js";

export const documentsRouter = Router();
documentsRouter.use(requireUser);

documentsRouter.get("/documents/:id", async (req, res) => {
  const doc = await documents.findById(req.params.id);
  if (!doc || doc.ownerId !== req.user.id) return res.status(404).json({ error: "not found" });
  res.json(doc);
});

const RenameBody = z.object({ title: z.string().trim().min(1).max(200) });

documentsRouter.patch("/documents/:id", async (req, res) => {
  const body = RenameBody.safeParse(req.body);
  if (!body.success) return res.status(400).json({ error: body.error.issues[0]?.message });
  const doc = await documents.findById(req.params.id);
  if (!doc) return res.status(404).json({ error: "not found" });
  const updated = await documents.update(doc.id, { title: body.data.title, updatedBy: req.user.id });
  res.json(updated);
});

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

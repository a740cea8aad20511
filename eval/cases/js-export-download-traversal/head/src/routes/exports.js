const path = require("node:path");
const express = require("express");
const { requireUser } = require("../auth");
const { exportsQueue } = require("../queue");

const EXPORT_DIR = process.env.EXPORT_DIR || "/var/lib/longboard/exports";
const router = express.Router();

router.post("/exports", requireUser, async (req, res) => {
  const job = await exportsQueue.add("export", { orgId: req.user.orgId, format: req.body.format === "xlsx" ? "xlsx" : "csv" });
  res.status(202).json({ jobId: job.id });
});

router.get("/exports/:orgId/:file", requireUser, (req, res) => {
  if (req.params.orgId !== req.user.orgId) return res.status(403).end();
  const file = path.join(EXPORT_DIR, req.params.orgId, decodeURIComponent(req.params.file));
  res.download(file, (err) => {
    if (err && !res.headersSent) res.status(404).json({ error: "export not found" });
  });
});

module.exports = router;

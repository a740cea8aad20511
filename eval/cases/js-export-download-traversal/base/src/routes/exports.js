const express = require("express");
const { requireUser } = require("../auth");
const { exportsQueue } = require("../queue");

const router = express.Router();

router.post("/exports", requireUser, async (req, res) => {
  const job = await exportsQueue.add("export", { orgId: req.user.orgId, format: req.body.format === "xlsx" ? "xlsx" : "csv" });
  res.status(202).json({ jobId: job.id });
});

module.exports = router;

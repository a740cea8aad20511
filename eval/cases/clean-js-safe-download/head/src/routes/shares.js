const path = require("node:path");
const express = require("express");
const { shares } = require("../store");

const SHARE_ROOT = path.resolve(process.env.SHARE_ROOT || "/srv/shares");
const router = express.Router();

router.get("/s/:token/:name", async (req, res, next) => {
  try {
    const share = await shares.findActiveByToken(req.params.token);
    if (!share) return res.status(404).end();
    const dir = path.join(SHARE_ROOT, share.id);
    const file = path.resolve(dir, req.params.name);
    if (path.dirname(file) !== dir || path.basename(file) !== req.params.name) return res.status(404).end();
    res.download(file, req.params.name, (err) => {
      if (err && !res.headersSent) res.status(404).end();
    });
  } catch (err) {
    next(err);
  }
});

module.exports = router;

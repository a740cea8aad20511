const express = require("express");
const { pool } = require("../db");

const router = express.Router();

router.get("/customers/:id", async (req, res, next) => {
  try {
    const { rows } = await pool.query("SELECT id, name, email, plan FROM customers WHERE id = $1", [req.params.id]);
    if (rows.length === 0) return res.status(404).json({ error: "not found" });
    res.json(rows[0]);
  } catch (err) {
    next(err);
  }
});

module.exports = router;

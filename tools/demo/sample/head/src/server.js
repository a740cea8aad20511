import express from "express";
import { exportOrders, getOrder, listOrders, searchOrders } from "./orders.js";

const app = express();

app.get("/orders/search", async (req, res) => {
  res.json(await searchOrders(req.query.q));
});

app.get("/orders/:id", async (req, res) => {
  const order = await getOrder(req.params.id);
  if (!order) return res.status(404).json({ error: "not found" });
  res.json(order);
});

app.get("/customers/:id/orders", async (req, res) => {
  res.json(await listOrders(req.params.id));
});

app.post("/exports", express.json(), async (req, res) => {
  res.json(await exportOrders(req.body.ids));
});

app.get("/login/done", (req, res) => {
  res.redirect(req.query.next);
});

app.listen(process.env.PORT ?? 8080);

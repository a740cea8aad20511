import express from "express";
import { getOrder, listOrders } from "./orders.js";

const app = express();

app.get("/orders/:id", async (req, res) => {
  const order = await getOrder(req.params.id);
  if (!order) return res.status(404).json({ error: "not found" });
  res.json(order);
});

app.get("/customers/:id/orders", async (req, res) => {
  res.json(await listOrders(req.params.id));
});

app.listen(process.env.PORT ?? 8080);

import { Router } from "express";
import { users } from "../store/users.js";
import { hashPassword } from "../auth/passwords.js";

export const signupRouter = Router();

signupRouter.post("/signup", async (req, res) => {
  const { email, password, name } = req.body ?? {};
  if (typeof email !== "string" || !email.includes("@")) return res.status(400).json({ error: "a valid email is required" });
  if (typeof password !== "string" || password.length < 12) return res.status(400).json({ error: "the password needs at least 12 characters" });
  if (typeof name !== "string" || name.trim() === "") return res.status(400).json({ error: "a name is required" });
  const user = await users.create({ email: email.toLowerCase(), name: name.trim(), passwordHash: await hashPassword(password) });
  res.status(201).json({ id: user.id });
});

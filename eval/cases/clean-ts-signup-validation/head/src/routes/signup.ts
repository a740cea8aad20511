import { Router } from "express";
import { z } from "zod";
import { users } from "../store/users.js";
import { hashPassword } from "../auth/passwords.js";

export const signupRouter = Router();

const SignupBody = z.object({
  email: z.string().trim().toLowerCase().email({ message: "a valid email is required" }),
  password: z.string().min(12, { message: "the password needs at least 12 characters" }).max(256),
  name: z.string().trim().min(1, { message: "a name is required" }).max(120),
});

signupRouter.post("/signup", async (req, res) => {
  const body = SignupBody.safeParse(req.body);
  if (!body.success) return res.status(400).json({ error: body.error.issues[0]?.message ?? "invalid request" });
  const { email, password, name } = body.data;
  const user = await users.create({ email, name, passwordHash: await hashPassword(password) });
  res.status(201).json({ id: user.id });
});

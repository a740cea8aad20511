import { checkToken } from "../auth/token.js";
import { findUser } from "../users.js";

// Plain JavaScript: the type checker does not see this call.
export async function authenticate(req, res, next) {
  const user = await findUser(req.params.userId);
  if (!user || !checkToken(req.get("x-api-token"), user)) {
    return res.status(401).json({ error: "unauthorized" });
  }
  next();
}

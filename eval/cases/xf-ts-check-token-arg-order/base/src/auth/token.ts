import type { User } from "./user.js";

export function checkToken(token: string, user: User): boolean {
  return token.length > 0 && user.active && user.tokens.includes(token);
}

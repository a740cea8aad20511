import type { User } from "./user.js";

export interface CheckOptions {
  readonly strict: boolean;
}

export function checkToken(user: User, token: string, opts: CheckOptions = { strict: false }): boolean {
  if (opts.strict && !token.startsWith("lv_")) return false;
  return token.length > 0 && user.active && user.tokens.includes(token);
}

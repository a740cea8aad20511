import jwt from "jsonwebtoken";
import { config } from "../config.js";

export interface SessionClaims {
  readonly sub: string;
  readonly orgId: string;
  readonly role: "member" | "admin";
}

export function issueToken(claims: SessionClaims): string {
  return jwt.sign(claims, config.session.jwtSecret, { expiresIn: config.session.tokenTtl, algorithm: "HS256" });
}

export function verifyToken(token: string): SessionClaims {
  return jwt.verify(token, config.session.jwtSecret, { algorithms: ["HS256"] }) as SessionClaims;
}

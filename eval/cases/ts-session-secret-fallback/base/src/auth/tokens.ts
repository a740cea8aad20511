import jwt from "jsonwebtoken";

export interface SessionClaims {
  readonly sub: string;
  readonly orgId: string;
  readonly role: "member" | "admin";
}

export function issueToken(claims: SessionClaims): string {
  return jwt.sign(claims, process.env.JWT_SECRET as string, { expiresIn: "12h", algorithm: "HS256" });
}

export function verifyToken(token: string): SessionClaims {
  return jwt.verify(token, process.env.JWT_SECRET as string, { algorithms: ["HS256"] }) as SessionClaims;
}

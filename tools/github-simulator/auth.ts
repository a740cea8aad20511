import { randomBytes, verify, type KeyObject } from "node:crypto";

/**
 * GitHub App authentication as GitHub checks it: an RS256 JWT signed with the
 * app's private key buys an installation token; every other call needs a
 * token the simulator issued and that has not expired.
 */

export type JwtCheck = { readonly ok: true } | { readonly ok: false; readonly message: string };

export interface AppIdentity {
  readonly id: number;
  readonly clientId: string;
  readonly publicKey: KeyObject;
}

const UNDECODABLE = "A JSON web token could not be decoded";
/** GitHub refuses JWTs valid for more than ten minutes; a minute of clock drift is tolerated. */
const MAX_LIFETIME_SECONDS = 600;
const CLOCK_SKEW_SECONDS = 60;

export function verifyAppJwt(jwt: string, app: AppIdentity, now: Date): JwtCheck {
  const parts = jwt.split(".");
  if (parts.length !== 3) return { ok: false, message: UNDECODABLE };
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (!header || !payload || header["alg"] !== "RS256") return { ok: false, message: UNDECODABLE };
  const signed = verify("RSA-SHA256", Buffer.from(`${headerPart}.${payloadPart}`), app.publicKey, Buffer.from(signaturePart, "base64url"));
  if (!signed) return { ok: false, message: UNDECODABLE };

  const nowSeconds = Math.floor(now.getTime() / 1000);
  const { iat, exp, iss } = payload;
  if (typeof iat !== "number" || !Number.isInteger(iat) || iat > nowSeconds + CLOCK_SKEW_SECONDS) {
    return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued" };
  }
  if (typeof exp !== "number" || exp <= nowSeconds) {
    return { ok: false, message: "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires" };
  }
  if (exp - nowSeconds > MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) {
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
  }
  if (String(iss) !== String(app.id) && iss !== app.clientId) return { ok: false, message: "Integration not found" };
  return { ok: true };
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The credential in an `Authorization` header: `token X` or `Bearer X`. */
export function readAuthorization(header: string | undefined): string | null {
  const match = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

export interface IssuedToken {
  readonly token: string;
  readonly installationId: number;
  /** May read only: every write answers 403 (GitHub Actions' token on a fork's pull request). */
  readonly readOnly: boolean;
  expiresAt: Date;
}

export class TokenStore {
  readonly #tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlSeconds: number,
  ) {}

  issue(installationId: number, options: { readonly readOnly?: boolean } = {}): IssuedToken {
    const issued = {
      token: `ghs_${randomBytes(27).toString("base64url").slice(0, 36)}`,
      installationId,
      readOnly: options.readOnly ?? false,
      expiresAt: new Date(this.now().getTime() + this.ttlSeconds * 1000),
    };
    this.#tokens.set(issued.token, issued);
    return issued;
  }

  /** The token's record while it is valid; null when unknown or expired. */
  valid(token: string): IssuedToken | null {
    const issued = this.#tokens.get(token);
    return issued && issued.expiresAt.getTime() > this.now().getTime() ? issued : null;
  }

  /** Ends every issued token now, as if an hour had passed. */
  expireAll(): void {
    const past = new Date(this.now().getTime() - 1000);
    for (const issued of this.#tokens.values()) issued.expiresAt = past;
  }

  get size(): number {
    return this.#tokens.size;
  }
}

import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * GitHub's `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the
 * body with the webhook secret. Checked over the exact bytes received (not
 * text decoded from them) and in constant time.
 */

const HEADER = /^sha256=([0-9a-f]{64})$/i;

/** True when the header has the form GitHub sends; says nothing about whether it matches. */
export function isWellFormedSignature(header: string | undefined): header is string {
  return header !== undefined && HEADER.test(header);
}

export function signatureMatches(secret: string, body: Uint8Array, header: string): boolean {
  const hex = HEADER.exec(header)?.[1];
  if (hex === undefined) return false;
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(Buffer.from(hex, "hex"), expected);
}

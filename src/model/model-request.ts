import { randomBytes } from "node:crypto";

/**
 * What is sent to the model, whichever API carries it, and the one way to put
 * untrusted text in it: inside blocks delimited by a per-request random
 * nonce, so the content cannot close its block and pose as instructions.
 */

export interface PromptMessage {
  readonly role: "user" | "assistant";
  readonly content: string;
}

export interface ModelRequest {
  /** System-level instructions (Responses `instructions`, Chat `system` message). */
  readonly instructions: string;
  readonly messages: readonly PromptMessage[];
}

export function newNonce(): string {
  return randomBytes(12).toString("hex");
}

/** A nonce that occurs in none of the texts it will delimit. */
export function pickNonce(texts: readonly string[], makeNonce: () => string = newNonce): string {
  let nonce = makeNonce();
  // A nonce is 96 random bits, so this only guards against a broken `makeNonce`.
  while (texts.some((text) => text.includes(nonce))) nonce = newNonce();
  return nonce;
}

/** Untrusted content between tags carrying the nonce: only a closing tag with the same nonce ends the block. */
export function delimited(tag: string, nonce: string, body: string): string {
  return `<${tag} id="${nonce}">\n${body}\n</${tag} id="${nonce}">`;
}

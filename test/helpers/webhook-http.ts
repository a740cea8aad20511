import { randomUUID } from "node:crypto";
import { request, type ClientRequest } from "node:http";
import { sign } from "@octokit/webhooks-methods";

/**
 * Webhook requests as an attacker or a broken sender makes them, over real
 * HTTP: bodies in pieces, with pauses, without an end, longer or shorter
 * than declared. The answer is the status and body, or "reset" when the
 * connection was cut before any answer.
 */

export interface RawAnswer {
  readonly status: number | "reset";
  readonly body: string;
  /** From the first byte sent to the answer (or the reset). */
  readonly ms: number;
}

export interface RawRequest {
  readonly port: number;
  readonly path?: string;
  readonly method?: string;
  /** Without `content-length`, a body is sent chunked. */
  readonly headers: Record<string, string>;
  /** Written in order, each after its pause; writing stops once an answer arrives. */
  readonly pieces?: readonly { readonly data: Buffer | string; readonly pauseMs?: number }[];
  /** False leaves the request open after the pieces: a sender that stalls. Default true. */
  readonly end?: boolean;
}

export function sendRaw(input: RawRequest): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    let answered = false;
    const finish = (status: number | "reset", body: string) => {
      if (answered) return;
      answered = true;
      req.destroy();
      resolve({ status, body, ms: performance.now() - started });
    };
    const req = request({
      host: "127.0.0.1",
      port: input.port,
      method: input.method ?? "POST",
      path: input.path ?? "/api/github/webhooks",
      headers: input.headers,
      agent: false,
    });
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")));
      res.on("error", () => finish(res.statusCode ?? 0, Buffer.concat(chunks).toString("utf8")));
    });
    req.on("error", () => finish("reset", ""));
    req.flushHeaders();
    void (async () => {
      for (const piece of input.pieces ?? []) {
        if (piece.pauseMs) await new Promise((r) => setTimeout(r, piece.pauseMs));
        if (answered) return;
        if (!req.write(piece.data)) await drained(req);
      }
      if (!answered && input.end !== false) req.end();
    })();
  });
}

function drained(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off("drain", done);
      req.off("close", done);
      resolve();
    };
    req.on("drain", done);
    req.on("close", done);
  });
}

export interface WebhookHeadersInput {
  readonly event?: string;
  readonly id?: string;
  /** The body to sign with `secret`, or a signature header as is (null: none). */
  readonly sign?: { readonly secret: string; readonly body: string } | string | null;
  /** A number, or null for none (chunked). Default: none. */
  readonly contentLength?: number | null;
}

export async function webhookHeaders(input: WebhookHeadersInput = {}): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": input.event ?? "pull_request",
    "x-github-delivery": input.id ?? randomUUID(),
  };
  if (typeof input.sign === "string") headers["x-hub-signature-256"] = input.sign;
  else if (input.sign) headers["x-hub-signature-256"] = await sign(input.sign.secret, input.sign.body);
  if (typeof input.contentLength === "number") headers["content-length"] = String(input.contentLength);
  return headers;
}

/** A well-formed signature that matches nothing. */
export const FORGED_SIGNATURE = `sha256=${"0".repeat(64)}`;

/** `pieces` of `size` bytes each (spaces: valid JSON whitespace), totalling `total`. */
export function piecesOf(total: number, size = 64 * 1024, pauseMs = 0): { data: Buffer; pauseMs: number }[] {
  const block = Buffer.alloc(size, 0x20);
  const out: { data: Buffer; pauseMs: number }[] = [];
  for (let sent = 0; sent < total; sent += size) out.push({ data: block.subarray(0, Math.min(size, total - sent)), pauseMs });
  return out;
}

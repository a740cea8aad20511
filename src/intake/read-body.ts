import type { IncomingMessage } from "node:http";
import type { ByteLease } from "./byte-budget.js";

/**
 * Reads a request body within limits, counting bytes as they arrive: the
 * cap holds for chunked bodies too, whose size nobody declares. On any
 * failure it stops reading and drops what it held; the caller answers and
 * closes the connection.
 */

export interface BodyLimits {
  /** Most bytes one body may have. */
  readonly maxBytes: number;
  /** The whole body must have arrived this many ms after the headers. */
  readonly readTimeoutMs: number;
  /** Longest silence between two pieces of the body (slow-loris). */
  readonly idleTimeoutMs: number;
}

export type BodyFailure = "too-large" | "read-timeout" | "idle-timeout" | "over-budget" | "aborted";

export type BodyRead = { readonly ok: true; readonly body: Buffer } | { readonly ok: false; readonly reason: BodyFailure };

export function readBoundedBody(req: IncomingMessage, limits: BodyLimits, lease: ByteLease): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;

    const settle = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(idle);
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAborted);
      req.off("close", onAborted);
      if (!result.ok) {
        // Stop pulling bytes off the socket; TCP back-pressure holds the sender until the connection is closed.
        req.pause();
        chunks.length = 0;
      }
      resolve(result);
    };
    const fail = (reason: BodyFailure) => () => settle({ ok: false, reason });

    const deadline = setTimeout(fail("read-timeout"), limits.readTimeoutMs);
    let idle = setTimeout(fail("idle-timeout"), limits.idleTimeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return settle({ ok: false, reason: "too-large" });
      if (!lease.take(chunk.length)) return settle({ ok: false, reason: "over-budget" });
      chunks.push(chunk);
      clearTimeout(idle);
      idle = setTimeout(fail("idle-timeout"), limits.idleTimeoutMs);
    };
    const onEnd = () => settle({ ok: true, body: Buffer.concat(chunks, size) });
    // `close` before `end`: the sender went away mid-body.
    const onAborted = fail("aborted");

    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAborted);
    req.on("close", onAborted);
  });
}

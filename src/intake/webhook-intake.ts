import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { InvalidPayloadError } from "../github/webhook-payload.js";
import type { ByteBudget } from "./byte-budget.js";
import { readBoundedBody, type BodyFailure, type BodyLimits } from "./read-body.js";
import { isWellFormedSignature, signatureMatches } from "./signature.js";

/**
 * The webhook endpoint. Each step costs more than the one before and runs
 * only for what passed it: the headers (event, delivery id, declared size,
 * signature present) without reading the body; the body within a size cap,
 * a total deadline, an idle timeout and a shared memory budget; the
 * HMAC signature over the exact bytes; only then JSON; then the handlers,
 * through Probot's event routing. The answer is final — never "202 still
 * processing" — and short: a wrong payload shape names the event and what
 * is wrong in a line, a handler's own failure answers 500 (GitHub records
 * the delivery as failed) with details only in the log.
 */

export interface WebhookDelivery {
  /** `X-GitHub-Delivery`. */
  readonly id: string;
  /** `X-GitHub-Event`. */
  readonly name: string;
  readonly payload: Record<string, unknown>;
}

export interface WebhookIntakeOptions {
  readonly path: string;
  readonly secret: string;
  readonly limits: BodyLimits;
  readonly budget: ByteBudget;
  /** Routes a verified delivery to the handlers; resolves when they are done, rejects with their errors. */
  readonly receive: (delivery: WebhookDelivery) => Promise<void>;
  readonly log: Logger;
}

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const JSON_CONTENT = /^\s*application\/json\s*(;|$)/i;
const EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const DELIVERY_ID = /^[\x21-\x7e]{1,128}$/;

const REFUSED_READS: Record<BodyFailure, { status: number; message: string } | null> = {
  "too-large": { status: 413, message: "body too large" },
  "read-timeout": { status: 408, message: "body not received in time" },
  "idle-timeout": { status: 408, message: "body stalled" },
  "over-budget": { status: 503, message: "too many webhook bodies in flight; try again" },
  // Nobody is left to answer.
  aborted: null,
};

export function webhookIntake(options: WebhookIntakeOptions): NodeHandler {
  const { limits, log } = options;
  const utf8 = new TextDecoder("utf-8", { fatal: true });

  return async (req, res) => {
    if (pathOf(req.url) !== options.path) return false;
    if (req.method !== "POST") return refuse(res, 405, "only POST", { allow: "POST" });
    const event = single(req.headers["x-github-event"]);
    const id = single(req.headers["x-github-delivery"]);
    const signature = single(req.headers["x-hub-signature-256"]);
    const refused = (status: number, reason: string, headers: Record<string, string> = {}) => {
      log.warn({ deliveryId: id, event, status, reason }, "webhook refused");
      return refuse(res, status, reason, headers);
    };

    if (!JSON_CONTENT.test(req.headers["content-type"] ?? "")) return refused(415, "content type must be application/json");
    if (event === undefined || !EVENT_NAME.test(event)) return refused(400, "missing or invalid X-GitHub-Event");
    if (id === undefined || !DELIVERY_ID.test(id)) return refused(400, "missing or invalid X-GitHub-Delivery");
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limits.maxBytes) return refused(413, `body too large (over ${limits.maxBytes} bytes)`);
    if (!isWellFormedSignature(signature)) return refused(401, "missing or malformed X-Hub-Signature-256");

    const lease = options.budget.lease();
    try {
      const read = await readBoundedBody(req, limits, lease);
      if (!read.ok) {
        const answer = REFUSED_READS[read.reason];
        if (!answer) {
          log.warn({ deliveryId: id, event, reason: read.reason }, "webhook sender went away mid-body");
          res.destroy();
          return true;
        }
        return refused(answer.status, answer.message, answer.status === 503 ? { "retry-after": "1" } : {});
      }
      if (!signatureMatches(options.secret, read.body, signature)) return refused(401, "signature does not match");

      let payload: unknown;
      try {
        payload = JSON.parse(utf8.decode(read.body));
      } catch {
        return refused(400, "body is not JSON");
      }
      if (!isJsonObject(payload)) return refused(400, "payload must be a JSON object");

      try {
        await options.receive({ id, name: event, payload });
      } catch (error) {
        const invalid = invalidPayloads(error);
        if (invalid.length > 0)
          return refused(
            400,
            invalid
              .map((e) => e.message)
              .slice(0, 2)
              .join("; "),
          );
        // Probot's error handler has logged the handlers' errors in full.
        log.error({ deliveryId: id, event }, "webhook handler failed");
        return answer(res, 500, { error: `delivery ${id} could not be handled; see the server log` });
      }
      return answer(res, 200, "ok\n");
    } finally {
      lease.release();
    }
  };
}

/** The handlers' InvalidPayloadErrors — only when every error is one: a genuine failure beside them must still answer 5xx. */
function invalidPayloads(error: unknown): InvalidPayloadError[] {
  const errors: unknown[] = error instanceof AggregateError ? [...(error.errors as unknown[])] : [error];
  return errors.length > 0 && errors.every((e) => e instanceof InvalidPayloadError) ? (errors as InvalidPayloadError[]) : [];
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function pathOf(url: string | undefined): string | null {
  try {
    return new URL(url ?? "/", "http://localhost").pathname.replace(/\/+$/, "") || "/";
  } catch {
    return null;
  }
}

function single(header: string | string[] | undefined): string | undefined {
  return typeof header === "string" ? header : undefined;
}

/**
 * A refusal closes the connection: when the body was not read, or not all
 * of it, that is what keeps the rest from being read at all; after a whole
 * body it only costs the sender a reconnect.
 */
function refuse(res: ServerResponse, status: number, reason: string, headers: Record<string, string> = {}): true {
  return answer(res, status, { error: reason }, { ...headers, connection: "close" });
}

function answer(res: ServerResponse, status: number, body: string | { error: string }, headers: Record<string, string> = {}): true {
  const text = typeof body === "string" ? body : `${JSON.stringify(body)}\n`;
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
  return true;
}

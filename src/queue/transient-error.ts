import { ModelAbortedError, ModelApiError, ModelError, ModelTimeoutError } from "../model/index.js";
import { httpStatus } from "../github/client.js";

/**
 * Is a failed review worth another attempt? Transient: GitHub 5xx, rate
 * limits (primary and secondary), the model API's 408/409/429/5xx and
 * timeouts, dropped connections. Everything else (404, 422, invalid
 * configuration, a refusal) fails the same way again, so it is final.
 */

export interface FailureClass {
  readonly transient: boolean;
  /** `service`: GitHub, the model API or the network failed; `internal`: Longview itself did (a bug, or hostile input it broke on). */
  readonly origin: "service" | "internal";
  readonly reason: string;
  /** What the server asked us to wait (Retry-After, rate-limit reset), if anything. */
  readonly retryAfterMs: number | null;
}

const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "ENOTFOUND",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

export function classifyError(error: unknown, now: number = Date.now()): FailureClass {
  if (error instanceof ModelTimeoutError) return transient("the model API timed out");
  if (error instanceof ModelApiError) {
    const s = error.status;
    if (s === null) return transient("the model API could not be reached");
    if (s === 408 || s === 409 || s === 429 || s >= 500) return transient(`the model API answered ${s}`);
    return final(`the model API answered ${s}`);
  }
  if (error instanceof ModelAbortedError) return final("the review was aborted");
  if (error instanceof ModelError) return final(error.name);

  const status = httpStatus(error);
  if (status !== null) {
    const headers = responseHeaders(error);
    const retryAfterMs = retryAfter(headers, now);
    if (status >= 500) return transient(`GitHub answered ${status}`, retryAfterMs);
    if (status === 408) return transient("GitHub timed out", retryAfterMs);
    if (status === 429 || (status === 403 && isRateLimited(error, headers))) {
      return transient(`GitHub rate limit (${status})`, retryAfterMs);
    }
    return final(`GitHub answered ${status}`);
  }

  const code = networkCode(error);
  if (code) return transient(`network error ${code}`);
  return { transient: false, origin: "internal", reason: error instanceof Error ? error.name : "unknown error", retryAfterMs: null };
}

function transient(reason: string, retryAfterMs: number | null = null): FailureClass {
  return { transient: true, origin: "service", reason, retryAfterMs };
}

function final(reason: string): FailureClass {
  return { transient: false, origin: "service", reason, retryAfterMs: null };
}

type Headers = Readonly<Record<string, unknown>>;

function responseHeaders(error: unknown): Headers {
  if (typeof error !== "object" || error === null || !("response" in error)) return {};
  const response: unknown = error.response;
  if (typeof response !== "object" || response === null || !("headers" in response)) return {};
  const headers: unknown = response.headers;
  return typeof headers === "object" && headers !== null ? (headers as Headers) : {};
}

function isRateLimited(error: unknown, headers: Headers): boolean {
  const message = error instanceof Error ? error.message : "";
  return (
    /secondary rate limit|rate limit exceeded|abuse detection/i.test(message) ||
    headers["retry-after"] !== undefined ||
    String(headers["x-ratelimit-remaining"]) === "0"
  );
}

function retryAfter(headers: Headers, now: number): number | null {
  const after = Number(headers["retry-after"]);
  if (Number.isFinite(after) && after >= 0) return after * 1000;
  if (String(headers["x-ratelimit-remaining"]) === "0") {
    const reset = Number(headers["x-ratelimit-reset"]);
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return null;
}

function networkCode(error: unknown, depth = 0): string | null {
  if (typeof error !== "object" || error === null || depth > 3) return null;
  if ("code" in error && typeof error.code === "string" && NETWORK_CODES.has(error.code)) return error.code;
  return "cause" in error ? networkCode(error.cause, depth + 1) : null;
}

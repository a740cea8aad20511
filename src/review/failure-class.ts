import { ModelAbortedError, ModelApiError, ModelError, ModelTimeoutError } from "../model/index.js";
import { GitHubError, toGitHubError } from "../github/errors.js";

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

  const github = toGitHubError(error, now);
  if (github instanceof GitHubError) {
    if (github.kind === "transient") return transient(`GitHub answered ${github.status}`, github.retryAfterMs);
    if (github.kind === "rate-limited") return transient(`GitHub rate limit (${github.status})`, github.retryAfterMs);
    return final(`GitHub answered ${github.status}`);
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

function networkCode(error: unknown, depth = 0): string | null {
  if (typeof error !== "object" || error === null || depth > 3) return null;
  if ("code" in error && typeof error.code === "string" && NETWORK_CODES.has(error.code)) return error.code;
  return "cause" in error ? networkCode(error.cause, depth + 1) : null;
}

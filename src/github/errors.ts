/**
 * GitHub's failures in Longview's words. Every request made through
 * Longview's Octokit (`octokit.ts`) that fails is rethrown as a
 * `GitHubError` whose `kind` says what the caller can do about it; nothing
 * outside `github/` needs to know Octokit's error shapes or GitHub's headers.
 * `status` and `response.headers` stay on the error, so code that reads them
 * keeps working.
 */

export type GitHubErrorKind =
  /** 5xx (Octokit reports a failed connection as 500), 408: the same request may work later. */
  | "transient"
  /** Primary or secondary rate limit (403/429): wait `retryAfterMs` (when GitHub said). */
  | "rate-limited"
  /** 404 (or 410): the thing is gone, or the App cannot see it. */
  | "not-found"
  /** 401: the installation token is not accepted (revoked App, or expired token). */
  | "unauthorized"
  /** 403 without a rate limit: the App lacks the permission. */
  | "forbidden"
  /** 422 (and 400): GitHub refused what was sent. */
  | "validation"
  /** Anything else (409 conflicts, GraphQL errors): decided by the caller. */
  | "other";

export class GitHubError extends Error {
  constructor(
    message: string,
    readonly kind: GitHubErrorKind,
    readonly status: number,
    /** How long GitHub asked to wait (Retry-After, or the rate limit's reset), when it said. */
    readonly retryAfterMs: number | null,
    readonly response: { readonly headers: Readonly<Record<string, unknown>> } | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "GitHubError";
  }

  get transient(): boolean {
    return this.kind === "transient" || this.kind === "rate-limited";
  }
}

/** The GitHubError for an Octokit failure; an error that is not one (an abort, a bug) is returned as it is. */
export function toGitHubError(error: unknown, now: number = Date.now()): unknown {
  if (error instanceof GitHubError) return error;
  const status = statusOf(error);
  if (status === null) return error;
  const headers = headersOf(error);
  const message = error instanceof Error ? error.message : `GitHub answered ${status}`;
  return new GitHubError(message, kindOf(status, message, headers), status, retryAfter(headers, now), { headers }, { cause: error });
}

/** HTTP status of an Octokit error (or a GitHubError), or null for anything else. */
export function statusOf(error: unknown): number | null {
  if (typeof error === "object" && error !== null && "status" in error && typeof error.status === "number") return error.status;
  return null;
}

function kindOf(status: number, message: string, headers: Readonly<Record<string, unknown>>): GitHubErrorKind {
  if (status >= 500 || status === 408) return "transient";
  if (status === 429 || (status === 403 && isRateLimited(message, headers))) return "rate-limited";
  if (status === 404 || status === 410) return "not-found";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 422 || status === 400) return "validation";
  return "other";
}

function isRateLimited(message: string, headers: Readonly<Record<string, unknown>>): boolean {
  return (
    /secondary rate limit|rate limit exceeded|abuse detection/i.test(message) ||
    headers["retry-after"] !== undefined ||
    String(headers["x-ratelimit-remaining"]) === "0"
  );
}

function retryAfter(headers: Readonly<Record<string, unknown>>, now: number): number | null {
  const after = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(after) && after >= 0) return after * 1000;
  if (String(headers["x-ratelimit-remaining"]) === "0") {
    const reset = Number(headers["x-ratelimit-reset"]);
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return null;
}

function headersOf(error: unknown): Readonly<Record<string, unknown>> {
  if (typeof error !== "object" || error === null || !("response" in error)) return {};
  const response: unknown = error.response;
  if (typeof response !== "object" || response === null || !("headers" in response)) return {};
  const headers: unknown = response.headers;
  return typeof headers === "object" && headers !== null ? (headers as Record<string, unknown>) : {};
}

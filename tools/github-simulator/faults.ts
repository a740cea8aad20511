/**
 * Per-endpoint fault injection: the next `times` requests matching a method
 * and route get the given status, headers and body instead of the real
 * answer (before authentication, as when GitHub itself is failing).
 */

export interface FaultSpec {
  /** HTTP method; omitted = any. */
  readonly method?: string;
  /** An OpenAPI route template ("/repos/{owner}/{repo}/pulls/{pull_number}/reviews") or a concrete path. */
  readonly route: string;
  readonly status: number;
  /** How many matching requests fail; default 1. Infinity keeps failing until cleared. */
  readonly times?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON body; defaults to GitHub's body for the status (see {@link defaultFaultBody}). */
  readonly body?: unknown;
  /**
   * `after`: GitHub applies the request, then the answer is lost and the
   * client sees the fault (a gateway error after a write): the ambiguous
   * case that idempotent writes must resolve by looking. Default `before`:
   * nothing happens.
   */
  readonly when?: "before" | "after";
}

export interface InjectedFault {
  readonly spec: FaultSpec;
  /** Requests this fault has answered so far. */
  readonly hits: number;
  readonly remaining: number;
}

export interface FaultResponse {
  readonly when: "before" | "after";
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.";

/** A 403 secondary rate limit as GitHub sends it, with `retry-after` in seconds. */
export function secondaryRateLimit(retryAfterSeconds = 1): Pick<FaultSpec, "status" | "headers" | "body"> {
  return {
    status: 403,
    headers: { "retry-after": String(retryAfterSeconds) },
    body: {
      message: SECONDARY_RATE_LIMIT_MESSAGE,
      documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    },
  };
}

/** A 403 primary rate limit: remaining 0 and the reset time. */
export function primaryRateLimit(resetAt: Date): Pick<FaultSpec, "status" | "headers" | "body"> {
  return {
    status: 403,
    headers: {
      "x-ratelimit-limit": "5000",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-used": "5000",
      "x-ratelimit-reset": String(Math.floor(resetAt.getTime() / 1000)),
      "x-ratelimit-resource": "core",
    },
    body: { message: "API rate limit exceeded for installation.", documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" },
  };
}

export function defaultFaultBody(status: number): unknown {
  if (status === 403 || status === 429) return secondaryRateLimit().body;
  if (status === 401) return { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" };
  if (status === 404) return { message: "Not Found", documentation_url: "https://docs.github.com/rest" };
  if (status === 503) return { message: "Service Unavailable" };
  if (status === 502) return { message: "Server Error" };
  return { message: status >= 500 ? "Server Error" : "Simulated fault" };
}

interface Entry {
  readonly spec: FaultSpec;
  hits: number;
  remaining: number;
}

export class FaultInjector {
  readonly #entries: Entry[] = [];

  inject(spec: FaultSpec): InjectedFault {
    const times = spec.times ?? 1;
    if (!(times > 0)) throw new RangeError(`fault times must be positive, got ${times}`);
    const entry: Entry = { spec: { ...spec, route: normalizeRoute(spec.route) }, hits: 0, remaining: times };
    this.#entries.push(entry);
    return entry;
  }

  /** The fault for this request, consuming one use; null when none matches. */
  take(method: string, template: string, path: string): FaultResponse | null {
    const entry = this.#entries.find(
      (e) => e.remaining > 0 && (!e.spec.method || e.spec.method.toUpperCase() === method) && (e.spec.route === template || e.spec.route === path),
    );
    if (!entry) return null;
    entry.remaining--;
    entry.hits++;
    return {
      when: entry.spec.when ?? "before",
      status: entry.spec.status,
      headers: entry.spec.headers ?? {},
      body: entry.spec.body ?? defaultFaultBody(entry.spec.status),
    };
  }

  /** Faults injected so far, spent ones included. */
  get all(): readonly InjectedFault[] {
    return this.#entries;
  }

  clear(): void {
    this.#entries.length = 0;
  }
}

function normalizeRoute(route: string): string {
  const path = route.replace(/^\/api\/v3(?=\/)/, "").split("?")[0] ?? route;
  return path.length > 1 ? path.replace(/\/$/, "") : path;
}

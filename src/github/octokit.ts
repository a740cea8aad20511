import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";
import { httpStatus, type GitHub } from "./client.js";
import { toGitHubError } from "./errors.js";
import { scrubSecrets } from "../util/scrub-secrets.js";

/**
 * Probot's Octokit (REST, pagination, retry and throttling plugins) with
 * Longview's rate-limit policy. Probot's own default gives up on secondary
 * rate limits; Longview waits the `retry-after` GitHub asks for, a bounded
 * number of times, and spaces content-creating requests as GitHub advises.
 */

export interface GitHubClientPolicy {
  /** Minimum interval between write requests (GitHub advises ≥ 1 s against secondary limits). */
  readonly writeIntervalMs: number;
  /** How many times one request is retried after a primary or secondary rate limit. */
  readonly rateLimitRetries: number;
  /** A longer `retry-after` is not waited for in-process: the job fails and is retried later. */
  readonly maxRetryAfterSeconds: number;
  /** Values never sent to GitHub (Longview's own secrets, see `secretValues`): replaced in every request's parameters. */
  readonly secrets?: readonly string[];
  /** Milliseconds per second of `retry-after` (1000; tests shrink time, not the policy). */
  readonly retryAfterUnitMs?: number;
}

/**
 * Writes go one at a time from a bucket of this many, refilled by one every
 * interval: a review's few writes (check run, progress, review, completion)
 * go out at once, and a long run of writes is still spaced at the interval.
 * At most 5 + 60 writes a minute at 1 s, under GitHub's 80 content-creating
 * requests a minute; notifying ones at most 2 + 20.
 */
export const WRITE_BURST = 5;
export const NOTIFICATION_BURST = 2;

function spacing(intervalMs: number, burst: number): Bottleneck.ConstructorOptions {
  if (intervalMs <= 0) return { maxConcurrent: 1, minTime: 0 };
  return {
    maxConcurrent: 1,
    reservoir: burst,
    reservoirIncreaseAmount: 1,
    reservoirIncreaseInterval: intervalMs,
    reservoirIncreaseMaximum: burst,
  };
}

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
type LimitHandler = (
  retryAfter: number,
  options: { method: string; url: string },
  octokit: { log: { warn(msg: string): void } },
  retryCount: number,
) => boolean;

/** Octokit's `throttle` options with Longview's policy: spaced writes, bounded waits on rate limits. */
export function throttleOptions(policy: GitHubClientPolicy) {
  const write = new Bottleneck.Group({ id: "longview-write", ...spacing(policy.writeIntervalMs, WRITE_BURST) });
  // Requests that notify people (comments, reviews) are spaced three times as far apart, as Octokit does by default.
  const notifications = new Bottleneck.Group({ id: "longview-notifications", ...spacing(3 * policy.writeIntervalMs, NOTIFICATION_BURST) });
  const onLimit =
    (kind: string): LimitHandler =>
    (retryAfter, options, octokit, retryCount) => {
      const retry = retryCount < policy.rateLimitRetries && retryAfter <= policy.maxRetryAfterSeconds;
      octokit.log.warn(
        `${kind} rate limit on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter}s` : "giving up"} (attempt ${retryCount + 1})`,
      );
      return retry;
    };
  return {
    write,
    notifications,
    onRateLimit: onLimit("primary"),
    onSecondaryRateLimit: onLimit("secondary"),
    retryAfterBaseValue: policy.retryAfterUnitMs ?? 1_000,
  };
}

type Hookable = Pick<GitHub, "hook" | "log">;

/**
 * The hooks every Longview client has, installed last so they are outermost: GitHub's failures leave
 * in Longview's own terms (errors.ts), and Longview's own secrets never reach GitHub.
 */
export function installRequestPolicy(octokit: Hookable, secrets: readonly string[]): void {
  octokit.hook.wrap("request", async (request, requestOptions) => {
    try {
      return await request(requestOptions);
    } catch (error) {
      throw toGitHubError(error);
    }
  });
  if (secrets.length === 0) return;
  octokit.hook.before("request", (request) => {
    const { url: _url, method: _method, headers: _headers, request: _transport, baseUrl: _baseUrl, mediaType: _mediaType, ...params } = request;
    const { value, found } = scrubSecrets(params, secrets);
    if (found === 0) return;
    Object.assign(request, value);
    octokit.log.warn(`removed ${found} occurrence(s) of Longview's own secrets from ${request.method} ${request.url} before sending it`);
  });
}

export function createOctokitClass(policy: GitHubClientPolicy): typeof ProbotOctokit {
  const throttle = throttleOptions(policy);
  const secrets = policy.secrets ?? [];
  return class LongviewOctokit extends ProbotOctokit {
    constructor(options: OctokitOptions = {}) {
      // Probot sets its own throttle handlers on every instance; ours take precedence.
      super({ ...withAuthBaseUrl(options), throttle: { ...(options.throttle ?? {}), ...throttle } } as OctokitOptions);
      // An installation token GitHub no longer accepts (revoked, or expired before the time it was issued
      // for) stays in the token cache for up to an hour: every later job would fail with 401. Get a new
      // token once and send the request again.
      this.hook.wrap("request", async (request, requestOptions) => {
        try {
          return await request(requestOptions);
        } catch (error) {
          if (httpStatus(error) !== 401 || requestOptions.request?.longviewReauthenticated) throw error;
          const refreshed = await (this.auth as (options: object) => Promise<unknown>)({ type: "installation", refresh: true }).then(
            () => true,
            () => false,
          );
          if (!refreshed) throw error;
          this.log.warn(`401 on ${requestOptions.method} ${requestOptions.url}: installation token refreshed, sending the request again`);
          return request({ ...requestOptions, request: { ...requestOptions.request, longviewReauthenticated: true } });
        }
      });
      installRequestPolicy(this, secrets);
    }
  } as typeof ProbotOctokit;
}

/**
 * Probot gives the app auth strategy a `request` without the base URL: its
 * hook re-bases every request, but a direct `octokit.auth(…)` call (the token
 * refresh above) would go to api.github.com instead of GitHub Enterprise.
 */
function withAuthBaseUrl(options: OctokitOptions): OctokitOptions {
  const auth: unknown = options.auth;
  if (!options.baseUrl || typeof auth !== "object" || auth === null || !("request" in auth)) return options;
  const request: unknown = auth.request;
  if (typeof request !== "function" || !("defaults" in request) || typeof request.defaults !== "function") return options;
  return { ...options, auth: { ...auth, request: (request.defaults as (o: object) => unknown)({ baseUrl: options.baseUrl }) } };
}

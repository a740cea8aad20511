import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";

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
}

type OctokitOptions = NonNullable<ConstructorParameters<typeof ProbotOctokit>[0]>;
type LimitHandler = (retryAfter: number, options: { method: string; url: string }, octokit: { log: { warn(msg: string): void } }, retryCount: number) => boolean;

export function createOctokitClass(policy: GitHubClientPolicy): typeof ProbotOctokit {
  const write = new Bottleneck.Group({ id: "longview-write", maxConcurrent: 1, minTime: policy.writeIntervalMs });
  // Requests that notify people (comments, reviews) are spaced three times as far apart, as Octokit does by default.
  const notifications = new Bottleneck.Group({ id: "longview-notifications", maxConcurrent: 1, minTime: 3 * policy.writeIntervalMs });
  const onLimit =
    (kind: string): LimitHandler =>
    (retryAfter, options, octokit, retryCount) => {
      const retry = retryCount < policy.rateLimitRetries && retryAfter <= policy.maxRetryAfterSeconds;
      octokit.log.warn(`${kind} rate limit on ${options.method} ${options.url}: ${retry ? `retrying in ${retryAfter}s` : "giving up"} (attempt ${retryCount + 1})`);
      return retry;
    };
  const throttle = { write, notifications, onRateLimit: onLimit("primary"), onSecondaryRateLimit: onLimit("secondary") };

  return class LongviewOctokit extends ProbotOctokit {
    constructor(options: OctokitOptions = {}) {
      // Probot sets its own throttle handlers on every instance; ours take precedence.
      super({ ...options, throttle: { ...(options.throttle ?? {}), ...throttle } } as OctokitOptions);
    }
  } as typeof ProbotOctokit;
}

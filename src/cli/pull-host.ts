import type { Logger } from "pino";
import type { Env } from "../config/env.js";
import type { LoadedRepoConfig } from "../config/repo-config.js";
import type { ChangeSet } from "../domain/change-set.js";
import type { CheckRunHandle } from "../github/check-run.js";
import { GitHubError } from "../github/errors.js";
import type { GitHubHost } from "../github/host.js";
import { createTokenGitHubHost } from "../github/token-host.js";
import { secretValues } from "../util/scrub-secrets.js";

/**
 * The GitHub host the app's review runs against when a token holder reviews
 * a pull request: the CLI's `review --pr` and the GitHub Action. It keeps
 * what the report needs (the change set, the config's problems) and decides
 * what reaches GitHub: a dry run writes nothing; otherwise everything goes
 * through, except the writes GitHub may refuse the token (403) without
 * failing the run — the check run for the CLI (a personal access token may
 * not create one: only Apps may), every write for the Action (a workflow's
 * token without `pull-requests: write` or `checks: write`).
 */

export type RefusableWrite = "check run" | "review" | "fixed reply";

export interface PullHostMode {
  /** False: a dry run, nothing is written. */
  readonly post: boolean;
  /** The writes that may be refused; any other refusal fails the run. */
  readonly mayRefuse: ReadonlySet<RefusableWrite>;
  /** Told of each kind of write GitHub refused, the first time (the run goes on without it). */
  readonly refused: (what: RefusableWrite) => void;
}

export interface PullHost {
  readonly host: GitHubHost;
  /** The change the review fetched (null until it did). */
  changeSet(): ChangeSet | null;
  /** Problems in the repository's `.github/longview.yml`. */
  configProblems(): readonly string[];
  /** Whether a review was posted. */
  posted(): boolean;
  /** Whether the check run exists on GitHub (false: a dry run, or GitHub refused it). */
  checkRunPosted(): boolean;
  /** The kinds of write GitHub refused the token. */
  refusals(): ReadonlySet<RefusableWrite>;
}

/** A check run that exists only here: for a dry run, and when GitHub refuses the token one. */
const localCheckRun: CheckRunHandle = { id: 0, progress: async () => {}, complete: async () => {} };
const notPosted = { reviewId: 0, inline: 0, fileLevel: 0, rerouted: [] };

/** GitHub's answer to a token that lacks the permission (not a rate limit, which is retried and then fails the run). */
function isRefusal(error: unknown): boolean {
  return error instanceof GitHubError && error.kind === "forbidden";
}

export function pullHost(github: GitHubHost, mode: PullHostMode): PullHost {
  let changeSet: ChangeSet | null = null;
  let loaded: LoadedRepoConfig | null = null;
  let posted = false;
  let checkRunPosted = false;
  const refusals = new Set<RefusableWrite>();
  /** `write`, or nothing when GitHub refuses the token a write that may be refused. */
  const refusable = async <T>(what: RefusableWrite, write: () => Promise<T>, instead: T): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      if (!mode.mayRefuse.has(what) || !isRefusal(error)) throw error;
      if (!refusals.has(what)) mode.refused(what);
      refusals.add(what);
      return instead;
    }
  };
  const readOnly: Partial<GitHubHost> = {
    openCheckRun: async () => localCheckRun,
    attachCheckRun: () => localCheckRun,
    cancelSupersededRuns: async () => 0,
    postReview: async () => notPosted,
    markFixed: async () => {},
  };
  const writing: Partial<GitHubHost> = {
    // Without `checks: read` (a private repository) the head's runs cannot be listed: none is adopted, one is created.
    checkRuns: (repo, sha, name) => refusable("check run", () => github.checkRuns(repo, sha, name), []),
    openCheckRun: async (repo, input) => {
      const run = await refusable("check run", () => github.openCheckRun(repo, input), null);
      if (run === null) return localCheckRun;
      checkRunPosted = true;
      // A check run's buttons are sent to the app that created it, here the token's (GitHub Actions), which does not
      // answer them: the run is completed without buttons.
      return { id: run.id, progress: (done, total) => run.progress(done, total), complete: (outcome) => run.complete(outcome) };
    },
    cancelSupersededRuns: (repo, input) => refusable("check run", () => github.cancelSupersededRuns(repo, input), 0),
    postReview: async (input) => {
      const review = await refusable("review", () => github.postReview(input), null);
      if (review === null) return notPosted;
      posted = true;
      return review;
    },
    markFixed: (ref, thread, body, log) => refusable("fixed reply", () => github.markFixed(ref, thread, body, log), undefined),
  };
  const host: GitHubHost = {
    ...github,
    changeSet: async (ref, pr, options) => (changeSet = await github.changeSet(ref, pr, options)),
    repoConfig: async (repo, log) => (loaded = await github.repoConfig(repo, log)),
    // The job-start query may bring the configuration instead (otherwise `repoConfig` is asked).
    ...(github.jobStart
      ? {
          jobStart: async (ref, options) => {
            const start = (await github.jobStart?.(ref, options)) ?? null;
            if (start?.config) loaded = start.config;
            return start;
          },
        }
      : {}),
    ...(mode.post ? writing : readOnly),
  };
  return {
    host,
    changeSet: () => changeSet,
    configProblems: () => loaded?.problems ?? [],
    posted: () => posted,
    checkRunPosted: () => checkRunPosted,
    refusals: () => refusals,
  };
}

/** GitHub through a token, with the request policy the environment sets (as the app's). */
export function tokenGitHub(
  env: Env,
  input: { readonly token: string; readonly baseUrl: string; readonly userAgent: string; readonly login?: string; readonly log: Logger },
): GitHubHost {
  return createTokenGitHubHost({
    ...input,
    policy: {
      writeIntervalMs: env.LONGVIEW_GITHUB_WRITE_INTERVAL_MS,
      rateLimitRetries: env.LONGVIEW_GITHUB_RATE_LIMIT_RETRIES,
      maxRetryAfterSeconds: env.LONGVIEW_GITHUB_MAX_RETRY_AFTER_S,
      secrets: secretValues([env.OPENAI_API_KEY, env.WEBHOOK_SECRET, env.PRIVATE_KEY, input.token]),
    },
  });
}

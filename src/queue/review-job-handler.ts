import type { Logger } from "pino";
import type { PullRef } from "../domain/pull-request.js";
import type { GitHubHost } from "../github/host.js";
import { errorOutcome, type FailureOrigin } from "../review/check-output.js";
import { SupersededError, reviewPullRequest, type ReviewDeps } from "../review/review-pull-request.js";
import { JobSupersededError } from "./errors.js";
import type { ReviewJob, ReviewJobHandler, ReviewOutcome } from "./kinds/review.js";
import { classifyError } from "../review/failure-class.js";

/**
 * The job body of a review: an installation client from the App, then
 * `reviewPullRequest`. It bridges the queue's vocabulary (superseded job,
 * retry pending, saved check run) to the review's, and makes sure a final
 * failure is visible on the pull request even when no check run existed yet.
 */

export interface ReviewJobHandlerInput {
  /** GitHub as the installation the job belongs to. */
  readonly github: (installationId: number) => Promise<GitHubHost>;
  readonly deps: ReviewDeps;
}

export function createReviewJobHandler(input: ReviewJobHandlerInput): ReviewJobHandler {
  return {
    async run(job, run): Promise<ReviewOutcome> {
      const github = await input.github(job.installationId);
      const ref = refOf(job);
      const signal = reviewSignal(run.signal);
      let checkRunId = job.checkRunId ?? null;
      try {
        const outcome = await reviewPullRequest(
          github,
          {
            ref,
            signal,
            ...(job.previousSha ? { previousSha: job.previousSha } : {}),
            ...(job.checkRunId ? { checkRunId: job.checkRunId } : {}),
            ...(job.onlyIfUnreviewed ? { onlyIfUnreviewed: true } : {}),
            ...(job.force ? { force: true } : {}),
            onCheckRun: async (id) => {
              checkRunId = id;
              await run.saveCheckRunId(id);
            },
            willRetry: (error) => run.willRetry(error),
          },
          input.deps,
          run.log,
        );
        if (outcome.kind === "reviewed") return "reviewed";
        run.log.info({ reason: outcome.reason }, "review skipped");
        return signal.reason instanceof SupersededError ? "superseded" : "skipped";
      } catch (error) {
        // Failed before it had a check run (e.g. GitHub kept failing on the first request): say so on the commit.
        if (checkRunId === null && !run.signal.aborted && !run.willRetry(error)) {
          await reportFailure(github, ref, job.headSha, null, { message: describe(error), origin: classifyError(error).origin }, run.log);
        }
        throw error;
      }
    },

    async abandoned(job, reason, log) {
      const github = await input.github(job.installationId);
      await reportFailure(
        github,
        refOf(job),
        job.headSha,
        job.checkRunId ?? null,
        { message: `the review kept crashing its worker (${reason})`, origin: "internal" },
        log,
      );
    },
  };
}

function refOf(job: ReviewJob): PullRef {
  return { owner: job.owner, repo: job.repo, pullNumber: job.pullNumber };
}

/** The review's signal: a superseded job aborts with the review's own `SupersededError`, which marks its check run superseded. */
function reviewSignal(jobSignal: AbortSignal): AbortSignal {
  const controller = new AbortController();
  const forward = () => {
    const reason: unknown = jobSignal.reason;
    controller.abort(reason instanceof JobSupersededError ? new SupersededError(reason.newSha) : reason);
  };
  if (jobSignal.aborted) forward();
  else jobSignal.addEventListener("abort", forward, { once: true });
  return controller.signal;
}

/** Completes (or creates and completes) Longview's check run with the failure, per the repository's `gate.onError`. */
async function reportFailure(
  github: GitHubHost,
  ref: PullRef,
  headSha: string,
  checkRunId: number | null,
  failure: { readonly message: string; readonly origin: FailureOrigin },
  log: Logger,
): Promise<void> {
  try {
    const { config } = await github.repoConfig(ref, log);
    const name = config.gate.checkName;
    const run = checkRunId
      ? github.attachCheckRun(ref, checkRunId, name, log)
      : await github.openCheckRun(ref, { name, headSha, externalId: `${ref.pullNumber}`, log });
    await run.complete(errorOutcome(new Error(failure.message), config.gate.onError, failure.origin));
  } catch (err) {
    log.error({ err, failure: failure.message }, "could not report the failed review on GitHub");
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

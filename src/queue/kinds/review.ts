import { z } from "zod";
import type { AttemptRun, JobHandler, JobKind } from "../job-kind.js";
import { PullRequestJobFields, Sha, pullRequestIdPrefix, pullRequestKey, pullRequestLogFields, replayKeyOf } from "./pull-request-job.js";
import { claimOnRedis, remembered, resolveClaim, unclaimOnRedis } from "./review-claim.js";

/**
 * A review of a pull request's head. One pending review per pull request:
 * a newer one supersedes it (`review-claim.ts`). Its body is
 * `createReviewJobHandler` (queue/review-job-handler.ts).
 */

export const ReviewJobSchema = z.object({
  kind: z.literal("review"),
  ...PullRequestJobFields,
  /** The head the event was about; the review itself always reads the pull request's current head. */
  headSha: Sha,
  /** The head before a push: Longview's unfinished runs there are marked superseded. */
  previousSha: Sha.optional(),
  /** A check run to complete instead of creating one (re-run requests, and retries of a job that created one). */
  checkRunId: z.number().int().positive().optional(),
  onlyIfUnreviewed: z.boolean().optional(),
  /** A full review that ignores incremental state (`/agent review`). */
  force: z.boolean().optional(),
  /** What asked for it, e.g. `pull_request.synchronize`. */
  trigger: z.string().min(1).max(100),
});
export type ReviewJob = z.infer<typeof ReviewJobSchema>;

export type ReviewOutcome = "reviewed" | "skipped" | "superseded";

export interface ReviewJobRun extends AttemptRun {
  /** Remembers the job's check run, so a retry (or a worker recovering after a crash) completes the same run. */
  saveCheckRunId(checkRunId: number): Promise<void>;
}

/** Tests inject fakes; production uses `createReviewJobHandler`. */
export interface ReviewJobHandler extends JobHandler<ReviewJob, ReviewJobRun> {
  run(job: ReviewJob, run: ReviewJobRun): Promise<ReviewOutcome>;
}

export const reviewKind: JobKind<ReviewJob, ReviewJobRun> = {
  name: "review",
  schema: ReviewJobSchema,
  idPrefix: (job) => pullRequestIdPrefix(job, job.headSha.slice(0, 7)),
  logFields: (job) => ({ ...pullRequestLogFields(job), headSha: job.headSha, trigger: job.trigger }),
  replayKey: (job) => `${replayKeyOf(job)}|${pullRequestKey(job)}`,
  pendingSlot: {
    key: pullRequestKey,
    headOf: (job) => job.headSha,
    claim(pending, incoming) {
      const current = pending && {
        jobId: pending.jobId,
        state: pending.state,
        headSha: pending.job.headSha,
        previousSha: pending.job.previousSha,
        checkRunId: pending.job.checkRunId,
      };
      const decision = resolveClaim(current, incoming);
      return decision.kind === "duplicate" ? decision : { kind: "claim", job: decision.job };
    },
    redis: { claim: claimOnRedis, unclaim: unclaimOnRedis, remember: remembered },
  },
  attemptRun: (attempt, save) => ({
    ...attempt,
    saveCheckRunId: async (checkRunId) => {
      try {
        // A retry must complete this run, and must not skip itself as "already reviewed".
        await save({ checkRunId, onlyIfUnreviewed: false });
      } catch (err) {
        attempt.log.warn({ err, checkRunId }, "could not save the check run id; a retry would create a new run");
      }
    },
  }),
};

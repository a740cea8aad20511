import { z } from "zod";
import { CiFollowSchema } from "../../github/ci-follow-marker.js";
import type { AttemptRun, JobHandler, JobKind } from "../job-kind.js";
import { CommittedFixSchema, type CommittedFix } from "./command.js";
import { PullRequestJobFields, Sha, pullRequestIdPrefix, pullRequestKey, pullRequestLogFields, replayKeyOf } from "./pull-request-job.js";

/**
 * Following a fix commit's CI (the `/agent fix` loop after the commit). Two
 * phases, both about one commit of one pull request:
 * - `watch`: a look at the commit's checks. Queued right after the commit,
 *   again by every completed check suite or workflow run on it (webhooks),
 *   and once more at the deadline (`notBefore`). When the checks have all
 *   finished, the branch moved on, or the deadline passed, it queues the
 *   commit's `settle`; otherwise it ends, waiting for the next event.
 * - `settle`: the verdict, once per commit (its replay key is the commit):
 *   report CI passed, revise with a follow-up commit, or say it still fails.
 * A watch queued by a webhook carries no `follow`: it is read back from
 * Longview's answer about the commit (github/ci-follow-marker.ts). The body
 * is `createCiJobHandler` (commands/follow-ci.ts).
 */

export const CiJobSchema = z.object({
  kind: z.literal("ci"),
  ...PullRequestJobFields,
  phase: z.enum(["watch", "settle"]),
  /** The fix commit whose checks are followed. */
  sha: Sha,
  /** What queued the job: the commit itself, its deadline, or a CI event (its signed payload's key is the replay key). */
  why: z.enum(["commit", "deadline", "event"]),
  follow: CiFollowSchema.optional(),
  /** Epoch ms before which the job does not start (the deadline's watch). */
  notBefore: z.number().int().positive().optional(),
  /** How far a settle's revision commit got (see `CommittedFix`): a later attempt never revises twice. */
  committed: CommittedFixSchema.optional(),
});
export type CiJob = z.infer<typeof CiJobSchema>;

/** `waiting`: checks still running; `settled`: the verdict was given (or queued); `ignored`: nothing to follow. */
export type CiOutcome = "waiting" | "settled" | "ignored";

export interface CiJobRun extends AttemptRun {
  /** As `CommandJobRun.saveCommitted`: durable before it resolves; the branch does not move when it rejects. */
  saveCommitted(committed: CommittedFix): Promise<void>;
}

export interface CiJobHandler extends JobHandler<CiJob, CiJobRun> {
  run(job: CiJob, run: CiJobRun): Promise<CiOutcome>;
}

export function ciReplayKey(job: Pick<CiJob, "phase" | "sha" | "why" | "owner" | "repo" | "pullNumber" | "deliveryId" | "replayKey">): string {
  const pr = pullRequestKey(job);
  if (job.phase === "settle") return `ci|settle|${pr}|${job.sha}`;
  return job.why === "event" ? `ci|watch|${pr}|${job.sha}|${replayKeyOf(job)}` : `ci|watch|${pr}|${job.sha}|${job.why}`;
}

export const ciKind: JobKind<CiJob, CiJobRun> = {
  name: "ci",
  schema: CiJobSchema,
  idPrefix: (job) => pullRequestIdPrefix(job, `ci-${job.phase}`),
  logFields: (job) => ({ ...pullRequestLogFields(job), phase: job.phase, sha: job.sha, why: job.why, round: job.follow?.round }),
  replayKey: ciReplayKey,
  notBefore: (job) => job.notBefore ?? null,
  attemptRun: (attempt, save) => ({
    ...attempt,
    saveCommitted: (committed) => save({ committed }),
  }),
};

import { randomUUID } from "node:crypto";
import { z } from "zod";

/**
 * The review job: plain JSON, validated when it is enqueued and again when a
 * worker (possibly another process, possibly a newer release) takes it.
 */

const Sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a full commit SHA");

export const ReviewJobSchema = z.object({
  kind: z.literal("review"),
  installationId: z.number().int().positive(),
  owner: z.string().min(1).max(100),
  repo: z.string().min(1).max(100),
  pullNumber: z.number().int().positive(),
  /** The head the event was about; the review itself always reads the pull request's current head. */
  headSha: Sha,
  /** The head before a push: Longview's unfinished runs there are marked superseded. */
  previousSha: Sha.optional(),
  /** A check run to complete instead of creating one (re-run requests, and retries of a job that created one). */
  checkRunId: z.number().int().positive().optional(),
  onlyIfUnreviewed: z.boolean().optional(),
  /** A full review that ignores incremental state (`/agent review`). */
  force: z.boolean().optional(),
  /** `X-GitHub-Delivery` of the webhook that asked for this review. */
  deliveryId: z.string().min(1).max(200),
  /** What asked for it, e.g. `pull_request.synchronize`. */
  trigger: z.string().min(1).max(100),
});
export type ReviewJob = z.infer<typeof ReviewJobSchema>;

/** One pending review per pull request: this is its identity (GitHub names are case-insensitive). */
export function pullRequestKey(job: Pick<ReviewJob, "owner" | "repo" | "pullNumber">): string {
  return `${job.owner}/${job.repo}#${job.pullNumber}`.toLowerCase();
}

/** A readable, unique job id (no `:`, which BullMQ reserves). */
export function newJobId(job: Pick<ReviewJob, "owner" | "repo" | "pullNumber" | "headSha">): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");
  return `${safe(job.owner)}.${safe(job.repo)}.${job.pullNumber}-${job.headSha.slice(0, 7)}-${randomUUID().slice(0, 8)}`;
}

/** Fields that correlate logs from the webhook delivery to the job to the pull request. */
export function jobLogFields(jobId: string, job: ReviewJob): Record<string, unknown> {
  return {
    jobId,
    deliveryId: job.deliveryId,
    installationId: job.installationId,
    repo: `${job.owner}/${job.repo}`,
    pr: job.pullNumber,
    headSha: job.headSha,
    trigger: job.trigger,
  };
}

import { z } from "zod";
import { CommitShaSchema } from "../../github/schemas.js";

/**
 * What Longview's two kinds of job share: each is about one pull request of
 * one installation, and comes from one webhook event. Plain JSON, validated
 * when it is enqueued and again when a worker takes it.
 */

/** A full commit SHA (GitHub's schema, shared with the webhook payloads). */
export const Sha = CommitShaSchema;

export const PullRequestJobFields = {
  installationId: z.number().int().positive(),
  owner: z.string().min(1).max(100),
  repo: z.string().min(1).max(100),
  pullNumber: z.number().int().positive(),
  /** `X-GitHub-Delivery` of the webhook that asked for the job. */
  deliveryId: z.string().min(1).max(200),
  /**
   * What tells a replayed webhook from a new one (see handlers/replay-key.ts):
   * `X-GitHub-Delivery` is not covered by the signature, the payload is. Jobs
   * queued by an older release have none and fall back to the delivery id.
   */
  replayKey: z.string().min(1).max(200).optional(),
};

export interface PullRequestJob {
  readonly installationId: number;
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
  readonly deliveryId: string;
  readonly replayKey?: string | undefined;
}

/** A pull request's identity (GitHub names are case-insensitive): one pending review each. */
export function pullRequestKey(job: Pick<PullRequestJob, "owner" | "repo" | "pullNumber">): string {
  return `${job.owner}/${job.repo}#${job.pullNumber}`.toLowerCase();
}

/** The signed event a job came from, else its delivery. */
export function replayKeyOf(job: Pick<PullRequestJob, "deliveryId" | "replayKey">): string {
  return job.replayKey ?? job.deliveryId;
}

/** The start of a job id: `owner.repo.pull-<what>`. */
export function pullRequestIdPrefix(job: PullRequestJob, what: string): string {
  return `${job.owner}.${job.repo}.${job.pullNumber}-${what}`;
}

export function pullRequestLogFields(job: PullRequestJob): Record<string, unknown> {
  return { deliveryId: job.deliveryId, installationId: job.installationId, repo: `${job.owner}/${job.repo}`, pr: job.pullNumber };
}

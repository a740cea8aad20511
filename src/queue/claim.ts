import type { ReviewJob } from "./job.js";

/**
 * One pending review per pull request. When a job arrives while another is
 * pending for the same pull request, this decides which one lives:
 *
 * - same head, and the newcomer only wants a review if none exists
 *   (`check_suite.requested`) → the newcomer is a duplicate;
 * - same head, the pending job already running, and the newcomer is not an
 *   explicit re-run of a check run → duplicate (the running one covers it);
 * - otherwise the newcomer supersedes the pending job (a queued one is
 *   removed, a running one is aborted) and inherits what it still needs:
 *   on the same head its check run and previous head, on a new head the old
 *   head as `previousSha`, so the old head's unfinished runs get closed.
 *
 * The Redis queue runs the same rules atomically in Lua (`redis-scripts.ts`).
 */

export type PendingState = "queued" | "running";

export interface PendingJob {
  readonly jobId: string;
  readonly headSha: string;
  readonly state: PendingState;
  readonly previousSha?: string | undefined;
  readonly checkRunId?: number | undefined;
}

export type ClaimDecision =
  | { readonly kind: "duplicate"; readonly pendingJobId: string }
  | { readonly kind: "claim"; readonly job: ReviewJob; readonly supersedes: PendingJob | null };

export function resolveClaim(pending: PendingJob | null, incoming: ReviewJob): ClaimDecision {
  if (!pending) return { kind: "claim", job: incoming, supersedes: null };
  const sameHead = pending.headSha === incoming.headSha;
  const rerun = incoming.checkRunId !== undefined;
  if (sameHead && (incoming.onlyIfUnreviewed === true || (pending.state === "running" && !rerun))) {
    return { kind: "duplicate", pendingJobId: pending.jobId };
  }
  return { kind: "claim", job: inherit(incoming, pending, sameHead), supersedes: pending };
}

function inherit(incoming: ReviewJob, pending: PendingJob, sameHead: boolean): ReviewJob {
  const previousSha = incoming.previousSha ?? (sameHead ? pending.previousSha : pending.headSha);
  const checkRunId = incoming.checkRunId ?? (sameHead ? pending.checkRunId : undefined);
  return {
    ...incoming,
    ...(previousSha !== undefined ? { previousSha } : {}),
    ...(checkRunId !== undefined ? { checkRunId } : {}),
  };
}

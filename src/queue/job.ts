import { randomUUID } from "node:crypto";
import { z } from "zod";

/**
 * Queue jobs (a review, or an `/agent` command): plain JSON, validated when it is enqueued and again when a
 * worker (possibly another process, possibly a newer release) takes it.
 */

const Sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a full commit SHA");

/**
 * What tells a replayed webhook from a new one (see handlers/replay-key.ts):
 * `X-GitHub-Delivery` is not covered by the signature, the payload is. Jobs
 * queued by an older release have none and fall back to the delivery id.
 */
const ReplayKey = z.string().min(1).max(200).optional();

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
  replayKey: ReplayKey,
  /** What asked for it, e.g. `pull_request.synchronize`. */
  trigger: z.string().min(1).max(100),
});
export type ReviewJob = z.infer<typeof ReviewJobSchema>;

/** Where the command was written (see `CommandSource` in commands/reply.ts), as plain JSON. */
const CommandSourceSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("issue-comment"), commentId: z.number().int().positive() }),
  z.object({ kind: z.literal("review-comment"), commentId: z.number().int().positive(), threadRootId: z.number().int().positive() }),
  z.object({ kind: z.literal("check-run"), checkRunId: z.number().int().positive() }),
]);

/** The parsed command (see `AgentCommand` in commands/parse-command.ts). */
const AgentCommandSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("fix"), instructions: z.string().max(10_000) }),
  z.object({ kind: z.literal("review") }),
  z.object({ kind: z.literal("help") }),
  z.object({ kind: z.literal("unknown"), name: z.string().max(200) }),
]);

/** The branch a fix commit goes to (the fork's, for a fork's pull request). */
const FixBranchSchema = z.object({
  owner: z.string().min(1).max(100),
  repo: z.string().min(1).max(100),
  name: z.string().min(1).max(255),
});

const FixCommitFields = {
  sha: Sha,
  /** The branch head the commit was built on: its parent. */
  previousHead: Sha,
  /** The answer to post, worded when the commit was made. */
  reply: z.string().min(1).max(65_536),
};

/**
 * How far a fix job got with its commit, saved on the job so that no later
 * attempt (a retry, or a worker that recovers the job after a crash or a
 * restart) ever runs the fix a second time:
 * - `committing`: the commit object exists and the branch is about to move
 *   to it — saved BEFORE the ref update, because the update can land while
 *   its answer is lost (a 5xx, a timeout, a dead worker). A later attempt
 *   reads the branch to learn whether it moved.
 * - `committed`: the branch holds the commit; a later attempt only answers
 *   and queues the review of that commit.
 * Jobs saved by releases before `state` existed were `committed`.
 */
const CommittedFixSchema = z.preprocess(
  (value) => (typeof value === "object" && value !== null && !("state" in value) ? { ...value, state: "committed" } : value),
  z.discriminatedUnion("state", [
    z.object({ state: z.literal("committing"), branch: FixBranchSchema, ...FixCommitFields }),
    z.object({ state: z.literal("committed"), branch: FixBranchSchema.optional(), ...FixCommitFields }),
  ]),
);
export type CommittedFix = z.infer<typeof CommittedFixSchema>;
export type FixBranch = z.infer<typeof FixBranchSchema>;

/**
 * An `/agent` command (or the check run's "Fix all") to run in a worker.
 * One job per webhook delivery and pull request; command jobs never
 * supersede review jobs, nor are superseded by them.
 */
export const CommandJobSchema = z.object({
  kind: z.literal("command"),
  installationId: z.number().int().positive(),
  owner: z.string().min(1).max(100),
  repo: z.string().min(1).max(100),
  pullNumber: z.number().int().positive(),
  deliveryId: z.string().min(1).max(200),
  replayKey: ReplayKey,
  source: CommandSourceSchema,
  /** Login of the person who commented (or clicked the check run's button). */
  sender: z.string().min(1).max(100),
  command: AgentCommandSchema,
  /** The comment's URL, cited in the fix commit's message. */
  url: z.string().max(2_000).nullable(),
  committed: CommittedFixSchema.optional(),
});
export type CommandJob = z.infer<typeof CommandJobSchema>;

/** Everything the queue carries: `kind` tells the work apart. Supersede rules apply to reviews only. */
export const QueueJobSchema = z.discriminatedUnion("kind", [ReviewJobSchema, CommandJobSchema]);
export type QueueJob = z.infer<typeof QueueJobSchema>;

/** One pending review per pull request: this is its identity (GitHub names are case-insensitive). */
export function pullRequestKey(job: Pick<ReviewJob, "owner" | "repo" | "pullNumber">): string {
  return `${job.owner}/${job.repo}#${job.pullNumber}`.toLowerCase();
}

/** What a queue de-duplicates a job on (with its pull request): the signed event it came from, else its delivery. */
export function replayKeyOf(job: Pick<QueueJob, "deliveryId" | "replayKey">): string {
  return job.replayKey ?? job.deliveryId;
}

/** De-duplication of command jobs: one per event (a comment, a button press) and pull request, apart from the review jobs of that event. */
export function commandDeliveryKey(job: Pick<CommandJob, "deliveryId" | "replayKey" | "owner" | "repo" | "pullNumber">): string {
  return `command|${replayKeyOf(job)}|${pullRequestKey(job)}`;
}

/** A readable, unique job id (no `:`, which BullMQ reserves). */
export function newJobId(job: QueueJob): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");
  const what = job.kind === "review" ? job.headSha.slice(0, 7) : `agent-${job.command.kind}`;
  return `${safe(job.owner)}.${safe(job.repo)}.${job.pullNumber}-${what}-${randomUUID().slice(0, 8)}`;
}

/** Fields that correlate logs from the webhook delivery to the job to the pull request. */
export function jobLogFields(jobId: string, job: QueueJob): Record<string, unknown> {
  const common = { jobId, kind: job.kind, deliveryId: job.deliveryId, installationId: job.installationId, repo: `${job.owner}/${job.repo}`, pr: job.pullNumber };
  return job.kind === "review"
    ? { ...common, headSha: job.headSha, trigger: job.trigger }
    : { ...common, command: job.command.kind, sender: job.sender };
}

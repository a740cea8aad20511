import { z } from "zod";
import type { AttemptRun, JobHandler, JobKind } from "../job-kind.js";
import { CommandSourceSchema } from "../../github/command-replies.js";
import { PullRequestJobFields, Sha, pullRequestIdPrefix, pullRequestKey, pullRequestLogFields, replayKeyOf } from "./pull-request-job.js";

/**
 * An `/agent` command (or the check run's "Fix all") to run in a worker.
 * One job per webhook event and pull request; command jobs never supersede
 * review jobs, nor are superseded by them. Its body is
 * `createCommandJobHandler` (commands/command-job-handler.ts).
 */

/** The parsed command (see `AgentCommand` in commands/parse-command.ts). */
const AgentCommandSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("fix"), instructions: z.string().max(10_000) }),
  z.object({ kind: z.literal("review") }),
  z.object({ kind: z.literal("undo") }),
  z.object({ kind: z.literal("help") }),
  z.object({ kind: z.literal("unknown"), name: z.string().max(200) }),
]);

/** The branch a fix commit goes to (the fork's, for a fork's pull request). */
export const FixBranchSchema = z.object({
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
export const CommittedFixSchema = z.preprocess(
  (value) => (typeof value === "object" && value !== null && !("state" in value) ? { ...value, state: "committed" } : value),
  z.discriminatedUnion("state", [
    z.object({ state: z.literal("committing"), branch: FixBranchSchema, ...FixCommitFields }),
    z.object({ state: z.literal("committed"), branch: FixBranchSchema.optional(), ...FixCommitFields }),
  ]),
);
export type CommittedFix = z.infer<typeof CommittedFixSchema>;
export type FixBranch = z.infer<typeof FixBranchSchema>;

export const CommandJobSchema = z.object({
  kind: z.literal("command"),
  ...PullRequestJobFields,
  source: CommandSourceSchema,
  /** Login of the person who commented (or clicked the check run's button). */
  sender: z.string().min(1).max(100),
  command: AgentCommandSchema,
  /** The comment's URL, cited in the fix commit's message. */
  url: z.string().max(2_000).nullable(),
  committed: CommittedFixSchema.optional(),
});
export type CommandJob = z.infer<typeof CommandJobSchema>;

/** A command job ran to its answer (a refusal included: that is an answer too). */
export type CommandOutcome = "answered";

export interface CommandJobRun extends AttemptRun {
  /**
   * Saves how far the fix's commit got (`committing` before the branch
   * moves, `committed` once it holds the commit), replacing the value saved
   * before. Resolves only once the value is durable — as durable as the job
   * itself: every later attempt of this job (a retry, or a recovery after a
   * crash or a restart) must see it as `job.committed`. Rejects when it could
   * not be saved: the caller then does not move the branch.
   */
  saveCommitted(committed: CommittedFix): Promise<void>;
}

/** `createCommandJobHandler`. No `abandoned`: a command's requester saw the 👀 and gets no answer; the queue's log is what is left of it. */
export interface CommandJobHandler extends JobHandler<CommandJob, CommandJobRun> {
  run(job: CommandJob, run: CommandJobRun): Promise<CommandOutcome>;
}

/** De-duplication of command jobs: one per event (a comment, a button press) and pull request, apart from the review jobs of that event. */
export function commandDeliveryKey(job: Pick<CommandJob, "deliveryId" | "replayKey" | "owner" | "repo" | "pullNumber">): string {
  return `command|${replayKeyOf(job)}|${pullRequestKey(job)}`;
}

export const commandKind: JobKind<CommandJob, CommandJobRun> = {
  name: "command",
  schema: CommandJobSchema,
  idPrefix: (job) => pullRequestIdPrefix(job, `agent-${job.command.kind}`),
  logFields: (job) => ({ ...pullRequestLogFields(job), command: job.command.kind, sender: job.sender }),
  replayKey: commandDeliveryKey,
  attemptRun: (attempt, save) => ({
    ...attempt,
    // Not caught: a fix whose state is not saved must not move the branch.
    saveCommitted: (committed) => save({ committed }),
  }),
};

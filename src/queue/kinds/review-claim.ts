import type { Redis } from "ioredis";
import { z } from "zod";
import type { RedisSlotClaim, RedisSlotInput } from "../job-kind.js";
import { LuaScript, releasePending, type RedisKeys } from "../redis-scripts.js";
import { pullRequestKey, replayKeyOf, type PullRequestJob } from "./pull-request-job.js";

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
 * `resolveClaim` is the rule; `claimOnRedis` runs the same rule atomically
 * in Lua, below it — keep the two in step.
 */

export type PendingState = "queued" | "running";

/** What the rule reads of a review job (`ReviewJob` in review.ts). */
export interface ClaimableReview extends PullRequestJob {
  readonly headSha: string;
  readonly previousSha?: string | undefined;
  readonly checkRunId?: number | undefined;
  readonly onlyIfUnreviewed?: boolean | undefined;
}

export interface PendingReview {
  readonly jobId: string;
  readonly headSha: string;
  readonly state: PendingState;
  readonly previousSha?: string | undefined;
  readonly checkRunId?: number | undefined;
}

export type ClaimDecision<J> =
  { readonly kind: "duplicate"; readonly pendingJobId: string } | { readonly kind: "claim"; readonly job: J; readonly supersedes: PendingReview | null };

export function resolveClaim<J extends ClaimableReview>(pending: PendingReview | null, incoming: J): ClaimDecision<J> {
  if (!pending) return { kind: "claim", job: incoming, supersedes: null };
  const sameHead = pending.headSha === incoming.headSha;
  const rerun = incoming.checkRunId !== undefined;
  if (sameHead && (incoming.onlyIfUnreviewed === true || (pending.state === "running" && !rerun))) {
    return { kind: "duplicate", pendingJobId: pending.jobId };
  }
  return { kind: "claim", job: inherit(incoming, pending, sameHead), supersedes: pending };
}

function inherit<J extends ClaimableReview>(incoming: J, pending: PendingReview, sameHead: boolean): J {
  const previousSha = incoming.previousSha ?? (sameHead ? pending.previousSha : pending.headSha);
  const checkRunId = incoming.checkRunId ?? (sameHead ? pending.checkRunId : undefined);
  return {
    ...incoming,
    ...(previousSha !== undefined ? { previousSha } : {}),
    ...(checkRunId !== undefined ? { checkRunId } : {}),
  };
}

/**
 * The pull request's pending hash (`RedisKeys.pending`) holds jobId, state
 * and what `remembered` returns; the event is remembered under
 * `RedisKeys.delivery` (TTL). One script, so app instances racing on the same
 * pull request see one winner.
 */
const CLAIM = new LuaScript(
  `
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'EX', ARGV[8]) then
  return {'duplicate_delivery', ''}
end
local cur = redis.call('HMGET', KEYS[1], 'jobId', 'headSha', 'state', 'previousSha', 'checkRunId')
local previousSha = ARGV[5]
local checkRunId = ARGV[6]
if cur[1] then
  local sameHead = cur[2] == ARGV[2]
  if sameHead and (ARGV[3] == '1' or (cur[3] == 'running' and ARGV[4] == '0')) then
    return {'duplicate_head', cur[1]}
  end
  if previousSha == '' then
    if sameHead then previousSha = cur[4] or '' else previousSha = cur[2] or '' end
  end
  if checkRunId == '' and sameHead then checkRunId = cur[5] or '' end
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'jobId', ARGV[1], 'headSha', ARGV[2], 'state', 'queued', 'previousSha', previousSha, 'checkRunId', checkRunId)
redis.call('EXPIRE', KEYS[1], ARGV[7])
if cur[1] then
  return {'supersede', previousSha, checkRunId, cur[1], cur[3] or 'queued'}
end
return {'claim', previousSha, checkRunId}
`,
  2,
);

const ClaimReply = z.union([
  z.tuple([z.literal("duplicate_delivery"), z.string()]),
  z.tuple([z.literal("duplicate_head"), z.string()]),
  z.tuple([z.literal("claim"), z.string(), z.string()]),
  z.tuple([z.literal("supersede"), z.string(), z.string(), z.string(), z.enum(["queued", "running"])]),
]);

export async function claimOnRedis<J extends ClaimableReview>(redis: Redis, keys: RedisKeys, input: RedisSlotInput<J>): Promise<RedisSlotClaim<J>> {
  const { job, jobId } = input;
  const prKey = pullRequestKey(job);
  const reply = ClaimReply.parse(
    await CLAIM.run(
      redis,
      [keys.pending(prKey), keys.delivery(replayKeyOf(job), prKey)],
      [
        jobId,
        job.headSha,
        job.onlyIfUnreviewed ? "1" : "0",
        job.checkRunId !== undefined ? "1" : "0",
        job.previousSha ?? "",
        job.checkRunId !== undefined ? String(job.checkRunId) : "",
        input.pendingTtlSeconds,
        input.replayTtlSeconds,
      ],
    ),
  );
  switch (reply[0]) {
    case "duplicate_delivery":
      return { kind: "duplicate", reason: "delivery", jobId: null };
    case "duplicate_head":
      return { kind: "duplicate", reason: "head", jobId: reply[1] };
    case "claim":
      return { kind: "claim", job: inherited(job, reply[1], reply[2]), supersedes: null };
    case "supersede":
      return { kind: "claim", job: inherited(job, reply[1], reply[2]), supersedes: { jobId: reply[3], state: reply[4] } };
  }
}

/** Undoes a claim whose job could not be added (so a redelivery can try again). */
export async function unclaimOnRedis(redis: Redis, keys: RedisKeys, input: Pick<RedisSlotInput<ClaimableReview>, "job" | "jobId">): Promise<void> {
  const prKey = pullRequestKey(input.job);
  await releasePending(redis, keys, prKey, input.jobId);
  await redis.del(keys.delivery(replayKeyOf(input.job), prKey));
}

/** What the pending hash keeps of its review for the next claim. */
export function remembered(job: ClaimableReview): Record<string, string> {
  return { headSha: job.headSha, previousSha: job.previousSha ?? "", checkRunId: job.checkRunId !== undefined ? String(job.checkRunId) : "" };
}

/** The newcomer as enqueued: what it inherited from the review it replaces (rules above). */
function inherited<J extends ClaimableReview>(job: J, previousSha: string, checkRunId: string): J {
  const runId = toRunId(checkRunId);
  return { ...job, ...(previousSha ? { previousSha } : {}), ...(runId ? { checkRunId: runId } : {}) };
}

function toRunId(value: string): number | null {
  const n = Number(value);
  return value !== "" && Number.isInteger(n) && n > 0 ? n : null;
}

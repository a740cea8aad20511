import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * Longview's own Redis state beside BullMQ's, changed only by these atomic
 * scripts (several app instances and workers race on the same keys):
 *
 * - `pending:<pr>`  hash: the pull request's one pending job (jobId, headSha,
 *   state queued|running, previousSha, checkRunId). `claim` applies the rules
 *   of `claim.ts` — keep the two in step.
 * - `delivery:<replay key>:<pr>`  webhook events already enqueued (TTL; the
 *   key is the signed payload's digest, see handlers/replay-key.ts).
 * - `command:<key>`  command deliveries already enqueued (TTL; a plain SET NX,
 *   command jobs have no pending entry).
 * - `slots:<installation>`  sorted set of running job ids → lease expiry:
 *   per-installation concurrency across processes; a killed worker's lease
 *   simply expires.
 */

/** A pending entry outlives any job (retries and backoff included); the TTL only bounds what a lost release leaves behind. */
export const PENDING_TTL_SECONDS = 24 * 3600;

export class RedisKeys {
  constructor(readonly prefix: string) {}

  pending(prKey: string): string {
    return `${this.prefix}:lv:pending:${prKey}`;
  }

  delivery(replayKey: string, prKey: string): string {
    return `${this.prefix}:lv:delivery:${replayKey}:${prKey}`;
  }

  commandDelivery(deliveryKey: string): string {
    return `${this.prefix}:lv:command:${deliveryKey}`;
  }

  slots(installationId: number): string {
    return `${this.prefix}:lv:slots:${installationId}`;
  }

  /** Pub/sub channel: "abort this running job". */
  get cancelChannel(): string {
    return `${this.prefix}:lv:cancel`;
  }
}

class LuaScript {
  private readonly sha: string;

  constructor(
    private readonly source: string,
    private readonly numberOfKeys: number,
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    if (keys.length !== this.numberOfKeys) throw new Error(`script expects ${this.numberOfKeys} keys, got ${keys.length}`);
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

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

const SET_STATE = new LuaScript(
  `
if redis.call('HGET', KEYS[1], 'jobId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`,
  1,
);

const SAVE_CHECK_RUN = new LuaScript(
  `
if redis.call('HGET', KEYS[1], 'jobId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'checkRunId', ARGV[2])
return 1
`,
  1,
);

const RELEASE = new LuaScript(
  `
if redis.call('HGET', KEYS[1], 'jobId') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`,
  1,
);

const ACQUIRE_SLOT = new LuaScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local lease = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], lease)
  return 1
end
return 0
`,
  1,
);

const RENEW_SLOT = new LuaScript(
  `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`,
  1,
);

const ClaimReply = z.union([
  z.tuple([z.literal("duplicate_delivery"), z.string()]),
  z.tuple([z.literal("duplicate_head"), z.string()]),
  z.tuple([z.literal("claim"), z.string(), z.string()]),
  z.tuple([z.literal("supersede"), z.string(), z.string(), z.string(), z.enum(["queued", "running"])]),
]);

export type RedisClaim =
  | { readonly kind: "duplicate"; readonly reason: "delivery" | "head"; readonly jobId: string | null }
  | {
      readonly kind: "claim";
      /** Inherited from the superseded job when the newcomer had none (rules in `claim.ts`). */
      readonly previousSha: string | null;
      readonly checkRunId: number | null;
      readonly supersedes: { readonly jobId: string; readonly state: "queued" | "running" } | null;
    };

export interface ClaimInput {
  readonly prKey: string;
  readonly jobId: string;
  /** The event this job came from (`replayKeyOf`): the same event twice is a replay. */
  readonly replayKey: string;
  readonly headSha: string;
  readonly previousSha?: string | undefined;
  readonly checkRunId?: number | undefined;
  readonly onlyIfUnreviewed?: boolean | undefined;
  readonly pendingTtlSeconds: number;
  readonly deliveryTtlSeconds: number;
}

export async function claimPending(redis: Redis, keys: RedisKeys, input: ClaimInput): Promise<RedisClaim> {
  const reply = ClaimReply.parse(
    await CLAIM.run(
      redis,
      [keys.pending(input.prKey), keys.delivery(input.replayKey, input.prKey)],
      [
        input.jobId,
        input.headSha,
        input.onlyIfUnreviewed ? "1" : "0",
        input.checkRunId !== undefined ? "1" : "0",
        input.previousSha ?? "",
        input.checkRunId !== undefined ? String(input.checkRunId) : "",
        input.pendingTtlSeconds,
        input.deliveryTtlSeconds,
      ],
    ),
  );
  switch (reply[0]) {
    case "duplicate_delivery":
      return { kind: "duplicate", reason: "delivery", jobId: null };
    case "duplicate_head":
      return { kind: "duplicate", reason: "head", jobId: reply[1] };
    case "claim":
      return { kind: "claim", previousSha: reply[1] || null, checkRunId: toRunId(reply[2]), supersedes: null };
    case "supersede":
      return { kind: "claim", previousSha: reply[1] || null, checkRunId: toRunId(reply[2]), supersedes: { jobId: reply[3], state: reply[4] } };
  }
}

/** Undoes a claim whose job could not be added (so a redelivery can try again). */
export async function unclaimPending(redis: Redis, keys: RedisKeys, input: Pick<ClaimInput, "prKey" | "jobId" | "replayKey">): Promise<void> {
  await RELEASE.run(redis, [keys.pending(input.prKey)], [input.jobId]);
  await redis.del(keys.delivery(input.replayKey, input.prKey));
}

/** Marks the job running (or queued again); false when another job took the pull request meanwhile. */
export async function setPendingState(redis: Redis, keys: RedisKeys, prKey: string, jobId: string, state: "queued" | "running", ttlSeconds: number): Promise<boolean> {
  return (await SET_STATE.run(redis, [keys.pending(prKey)], [jobId, state, ttlSeconds])) === 1;
}

export async function savePendingCheckRun(redis: Redis, keys: RedisKeys, prKey: string, jobId: string, checkRunId: number): Promise<void> {
  await SAVE_CHECK_RUN.run(redis, [keys.pending(prKey)], [jobId, String(checkRunId)]);
}

/** The job is over: the pull request has no pending job, unless a newer one already took its place. */
export async function releasePending(redis: Redis, keys: RedisKeys, prKey: string, jobId: string): Promise<void> {
  await RELEASE.run(redis, [keys.pending(prKey)], [jobId]);
}

export async function acquireSlot(redis: Redis, keys: RedisKeys, installationId: number, jobId: string, limit: number, leaseMs: number): Promise<boolean> {
  return (await ACQUIRE_SLOT.run(redis, [keys.slots(installationId)], [jobId, limit, leaseMs])) === 1;
}

export async function renewSlot(redis: Redis, keys: RedisKeys, installationId: number, jobId: string, leaseMs: number): Promise<boolean> {
  return (await RENEW_SLOT.run(redis, [keys.slots(installationId)], [jobId, leaseMs])) === 1;
}

export async function releaseSlot(redis: Redis, keys: RedisKeys, installationId: number, jobId: string): Promise<void> {
  await redis.zrem(keys.slots(installationId), jobId);
}

function toRunId(value: string): number | null {
  const n = Number(value);
  return value !== "" && Number.isInteger(n) && n > 0 ? n : null;
}

import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Longview's own Redis state beside BullMQ's, changed only by these atomic
 * scripts (several app instances and workers race on the same keys):
 *
 * - `pending:<slot>`  hash: the one pending job of a slot (a review's pull
 *   request): jobId, state queued|running, and what the kind remembers of it
 *   (`RedisSlot.remember`). The kind's own claim script fills it (reviews:
 *   kinds/review-claim.ts); these scripts only move it along.
 * - `delivery:<replay key>:<pr>`  review events already enqueued (TTL; the
 *   key is the signed payload's digest, see handlers/replay-key.ts).
 * - `command:<replay key>`  events already enqueued for kinds without a slot
 *   (TTL; a plain SET NX). The name is from when commands were the only such
 *   kind; it stays, so an upgrade forgets no event already accepted.
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

  /** An accepted review event (kinds/review-claim.ts). */
  delivery(replayKey: string, prKey: string): string {
    return `${this.prefix}:lv:delivery:${replayKey}:${prKey}`;
  }

  /** An accepted event of a kind without a slot (`JobKind.replayKey`). */
  replay(replayKey: string): string {
    return `${this.prefix}:lv:command:${replayKey}`;
  }

  slots(installationId: number): string {
    return `${this.prefix}:lv:slots:${installationId}`;
  }

  /** Pub/sub channel: "abort this running job". */
  get cancelChannel(): string {
    return `${this.prefix}:lv:cancel`;
  }
}

export class LuaScript {
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

const SET_STATE = new LuaScript(
  `
if redis.call('HGET', KEYS[1], 'jobId') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`,
  1,
);

const SAVE_FIELDS = new LuaScript(
  `
if redis.call('HGET', KEYS[1], 'jobId') ~= ARGV[1] then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
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

/** Marks the job running (or queued again); false when another job took its slot meanwhile. */
export async function setPendingState(
  redis: Redis,
  keys: RedisKeys,
  slotKey: string,
  jobId: string,
  state: "queued" | "running",
  ttlSeconds: number,
): Promise<boolean> {
  return (await SET_STATE.run(redis, [keys.pending(slotKey)], [jobId, state, ttlSeconds])) === 1;
}

/** Saves what the slot keeps of its job (`RedisSlot.remember`), unless another job took the slot meanwhile. */
export async function savePendingFields(redis: Redis, keys: RedisKeys, slotKey: string, jobId: string, fields: Record<string, string>): Promise<void> {
  await SAVE_FIELDS.run(redis, [keys.pending(slotKey)], [jobId, ...Object.entries(fields).flat()]);
}

/** The job is over: its slot has no pending job, unless a newer one already took its place. */
export async function releasePending(redis: Redis, keys: RedisKeys, slotKey: string, jobId: string): Promise<void> {
  await RELEASE.run(redis, [keys.pending(slotKey)], [jobId]);
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

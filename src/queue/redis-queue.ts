import { Queue, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import type { Job, JobKind, PendingSlot } from "./job-kind.js";
import type { JobRegistry } from "./job-registry.js";
import type { EnqueueResult, JobQueue, QueueDepth, QueueHealth, QueueObserver, QueueSettings } from "./queue.js";
import { PENDING_TTL_SECONDS, RedisKeys } from "./redis-scripts.js";

/**
 * The producer side of the durable queue: BullMQ on Redis, shared by every
 * app instance. Enqueueing is one atomic claim and one BullMQ add (job name:
 * the kind's). For a kind with a pending slot the claim is the kind's own
 * script (de-duplication and supersede rules at once), and a superseded job
 * is removed if still queued, or told to abort over pub/sub if a worker is
 * running it; for the others it only refuses a replayed event.
 */

/** BullMQ's queue name, from when it held reviews only; renaming it would strand the jobs queued before an upgrade. */
export const QUEUE_NAME = "reviews";
/** The worker's backoff strategy (`RedisJobWorker`) handles this type. */
export const BACKOFF_TYPE = "longview";

export const CancelMessageSchema = z.object({ jobId: z.string().min(1), newSha: z.string().min(1), byJobId: z.string().min(1) });
export type CancelMessage = z.infer<typeof CancelMessageSchema>;

export interface RedisQueueOptions {
  /** The kinds of job this queue takes (the application's: `jobKinds`). */
  readonly kinds: JobRegistry;
  readonly redisUrl: string;
  /** Namespaces every key, so several deployments (or test runs) share one Redis. No `:`. */
  readonly prefix: string;
  readonly settings: Pick<QueueSettings, "attempts" | "backoffMs">;
  readonly deliveryTtlSeconds: number;
  readonly log: Logger;
  readonly observer?: QueueObserver;
  /** Redis answers within this, or health checks report it down. */
  readonly healthTimeoutMs?: number;
  /** Give up waiting for Redis at start-up after this long and go on (it keeps reconnecting); default: wait. */
  readonly readyTimeoutMs?: number;
}

export class RedisJobQueue implements JobQueue {
  readonly kind = "redis" as const;
  private readonly keys: RedisKeys;

  private constructor(
    private readonly options: RedisQueueOptions,
    private readonly redis: Redis,
    private readonly queue: Queue,
  ) {
    this.keys = new RedisKeys(options.prefix);
  }

  static async connect(options: RedisQueueOptions): Promise<RedisJobQueue> {
    assertPrefix(options.prefix);
    // Producer commands give up quickly: a webhook must be answered, not wait for Redis forever.
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
    redis.on("error", (err) => options.log.warn({ err }, "redis connection error (queue)"));
    const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: options.prefix });
    queue.on("error", (err) => options.log.error({ err }, "BullMQ queue error"));
    const ready = queue.waitUntilReady().then(() => true);
    if (options.readyTimeoutMs === undefined) await ready;
    else {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), options.readyTimeoutMs)));
      // Not awaited further: a rejection after start-up is only the same outage the client keeps reporting.
      ready.catch((err: unknown) => options.log.warn({ err }, "Redis was not ready at start-up"));
      const answered = await Promise.race([ready.catch(() => false), gaveUp]);
      clearTimeout(timer);
      if (!answered) options.log.warn({ waitedMs: options.readyTimeoutMs }, "Redis does not answer; starting anyway, jobs are spooled until it does");
    }
    return new RedisJobQueue(options, redis, queue);
  }

  async enqueue(input: Job): Promise<EnqueueResult> {
    const { job, kind } = this.options.kinds.parse(input);
    const jobId = this.options.kinds.newJobId(job);
    const result = kind.pendingSlot ? await this.enqueueToSlot(job, jobId, kind, kind.pendingSlot) : await this.enqueueOnce(job, jobId, kind);
    this.options.observer?.enqueued(result);
    return result;
  }

  private async enqueueToSlot(incoming: Job, jobId: string, kind: JobKind<Job>, slot: PendingSlot<Job>): Promise<EnqueueResult> {
    const claim = await slot.redis.claim(this.redis, this.keys, {
      job: incoming,
      jobId,
      pendingTtlSeconds: PENDING_TTL_SECONDS,
      replayTtlSeconds: this.options.deliveryTtlSeconds,
    });
    if (claim.kind === "duplicate") return { status: "duplicate", reason: claim.reason, jobId: claim.jobId };
    // The job as claimed: with what it inherited from the job it replaces.
    const job = claim.job;
    try {
      await this.queue.add(kind.name, job, this.jobOptions(jobId, kind, job));
    } catch (error) {
      await slot.redis
        .unclaim(this.redis, this.keys, { job, jobId })
        .catch((err: unknown) => this.options.log.error({ err, jobId }, "could not undo the claim of a job that was not enqueued"));
      throw error;
    }
    const superseded = claim.supersedes ? await this.supersede(claim.supersedes.jobId, { jobId, newSha: slot.headOf(job), slotKey: slot.key(job) }) : null;
    return { status: "queued", jobId, superseded };
  }

  /** A kind without a pending slot: only the same event twice is a duplicate. */
  private async enqueueOnce(job: Job, jobId: string, kind: JobKind<Job>): Promise<EnqueueResult> {
    const replayKey = this.keys.replay(kind.replayKey(job));
    const claimed = await this.redis.set(replayKey, jobId, "EX", this.options.deliveryTtlSeconds, "NX");
    if (claimed === null) return { status: "duplicate", reason: "delivery", jobId: null };
    try {
      await this.queue.add(kind.name, job, this.jobOptions(jobId, kind, job));
    } catch (error) {
      // So a redelivery can try again.
      await this.redis
        .del(replayKey)
        .catch((err: unknown) => this.options.log.error({ err, jobId }, "could not undo the claim of a job that was not enqueued"));
      throw error;
    }
    return { status: "queued", jobId, superseded: null };
  }

  async depth(): Promise<QueueDepth> {
    const counts = await this.queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed");
    return {
      waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
      active: counts.active ?? 0,
      delayed: counts.delayed ?? 0,
      failed: counts.failed ?? 0,
    };
  }

  async health(): Promise<QueueHealth> {
    return pingRedis(this.redis, this.kind, this.options.healthTimeoutMs ?? 1_000);
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private jobOptions(jobId: string, kind: JobKind<Job>, job: Job): JobsOptions {
    // BullMQ keeps a job with a delay in its delayed set until then (as durable as the queue).
    const delay = Math.max(0, Math.round((kind.notBefore?.(job) ?? 0) - Date.now()));
    return {
      jobId,
      ...(delay > 0 ? { delay } : {}),
      attempts: this.options.settings.attempts,
      backoff: { type: BACKOFF_TYPE, delay: this.options.settings.backoffMs },
      // Finished jobs are kept a while for inspection, not forever.
      removeOnComplete: { age: 24 * 3600, count: 1_000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 5_000 },
    };
  }

  /**
   * Removes the older job if it is still waiting; otherwise asks whichever
   * worker runs it to stop. Best effort: a job that misses this still sees,
   * when it starts, that it no longer holds its slot (and a running review
   * re-checks the head before it posts).
   */
  private async supersede(
    oldJobId: string,
    by: { jobId: string; newSha: string; slotKey: string },
  ): Promise<{ jobId: string; state: "queued" | "running" } | null> {
    const log = this.options.log.child({ jobId: oldJobId, supersededBy: by.jobId, slot: by.slotKey });
    try {
      // 1: removed (or already gone); 0: locked by a worker, i.e. running.
      if ((await this.queue.remove(oldJobId)) === 1) {
        log.info("queued job superseded");
        return { jobId: oldJobId, state: "queued" };
      }
      const message: CancelMessage = { jobId: oldJobId, newSha: by.newSha, byJobId: by.jobId };
      await this.redis.publish(this.keys.cancelChannel, JSON.stringify(message));
      log.info("running job told to stop: superseded");
      return { jobId: oldJobId, state: "running" };
    } catch (err) {
      log.warn({ err }, "could not stop the superseded job; it will stop when it sees the newer job");
      return null;
    }
  }
}

export function assertPrefix(prefix: string): void {
  if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`queue prefix must be letters, digits, - or _ (got "${prefix}")`);
}

export async function pingRedis(redis: Redis, queue: QueueHealth["queue"], timeoutMs: number): Promise<QueueHealth> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from Redis within ${timeoutMs} ms`)), timeoutMs);
    });
    await Promise.race([redis.ping(), timeout]);
    return { ok: true, queue, redis: "up" };
  } catch (error) {
    return { ok: false, queue, redis: "down", error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

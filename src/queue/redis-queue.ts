import { Queue, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import { QueueJobSchema, commandDeliveryKey, newJobId, pullRequestKey, replayKeyOf, type CommandJob, type QueueJob, type ReviewJob } from "./job.js";
import type { EnqueueResult, QueueDepth, QueueHealth, QueueObserver, QueueSettings, ReviewQueue } from "./queue.js";
import { PENDING_TTL_SECONDS, RedisKeys, claimPending, unclaimPending } from "./redis-scripts.js";

/**
 * The producer side of the durable queue: BullMQ on Redis, shared by every
 * app instance. Enqueueing is one atomic claim (de-duplication and
 * supersede rules) and one BullMQ add; a superseded job is removed if still
 * queued, or told to abort over pub/sub if a worker is running it. Command
 * jobs share the BullMQ queue (job name `command`) but not the supersede
 * rules: only a redelivered webhook is refused as a duplicate.
 */

export const QUEUE_NAME = "reviews";
export const JOB_NAME = "review";
export const COMMAND_JOB_NAME = "command";
/** The worker's backoff strategy (`RedisReviewWorker`) handles this type. */
export const BACKOFF_TYPE = "longview";

export const CancelMessageSchema = z.object({ jobId: z.string().min(1), newSha: z.string().min(1), byJobId: z.string().min(1) });
export type CancelMessage = z.infer<typeof CancelMessageSchema>;

export interface RedisQueueOptions {
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

export class RedisReviewQueue implements ReviewQueue {
  readonly kind = "redis" as const;
  private readonly keys: RedisKeys;

  private constructor(
    private readonly options: RedisQueueOptions,
    private readonly redis: Redis,
    private readonly queue: Queue,
  ) {
    this.keys = new RedisKeys(options.prefix);
  }

  static async connect(options: RedisQueueOptions): Promise<RedisReviewQueue> {
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
    return new RedisReviewQueue(options, redis, queue);
  }

  async enqueue(input: QueueJob): Promise<EnqueueResult> {
    const job = QueueJobSchema.parse(input);
    const result = job.kind === "review" ? await this.enqueueReview(job) : await this.enqueueCommand(job);
    this.options.observer?.enqueued(result);
    return result;
  }

  private async enqueueReview(job: ReviewJob): Promise<EnqueueResult> {
    const prKey = pullRequestKey(job);
    const jobId = newJobId(job);
    const claim = await claimPending(this.redis, this.keys, {
      prKey,
      jobId,
      replayKey: replayKeyOf(job),
      headSha: job.headSha,
      previousSha: job.previousSha,
      checkRunId: job.checkRunId,
      onlyIfUnreviewed: job.onlyIfUnreviewed,
      pendingTtlSeconds: PENDING_TTL_SECONDS,
      deliveryTtlSeconds: this.options.deliveryTtlSeconds,
    });
    if (claim.kind === "duplicate") return { status: "duplicate", reason: claim.reason, jobId: claim.jobId };

    const data: ReviewJob = {
      ...job,
      ...(claim.previousSha ? { previousSha: claim.previousSha } : {}),
      ...(claim.checkRunId ? { checkRunId: claim.checkRunId } : {}),
    };
    try {
      await this.queue.add(JOB_NAME, data, this.jobOptions(jobId));
    } catch (error) {
      await unclaimPending(this.redis, this.keys, { prKey, jobId, replayKey: replayKeyOf(job) }).catch((err: unknown) =>
        this.options.log.error({ err, jobId }, "could not undo the claim of a job that was not enqueued"),
      );
      throw error;
    }
    const superseded = claim.supersedes ? await this.supersede(claim.supersedes.jobId, data, jobId) : null;
    return { status: "queued", jobId, superseded };
  }

  private async enqueueCommand(job: CommandJob): Promise<EnqueueResult> {
    const jobId = newJobId(job);
    const deliveryKey = this.keys.commandDelivery(commandDeliveryKey(job));
    const claimed = await this.redis.set(deliveryKey, jobId, "EX", this.options.deliveryTtlSeconds, "NX");
    if (claimed === null) return { status: "duplicate", reason: "delivery", jobId: null };
    try {
      await this.queue.add(COMMAND_JOB_NAME, job, this.jobOptions(jobId));
    } catch (error) {
      // So a redelivery can try again.
      await this.redis.del(deliveryKey).catch((err: unknown) => this.options.log.error({ err, jobId }, "could not undo the claim of a command that was not enqueued"));
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

  private jobOptions(jobId: string): JobsOptions {
    return {
      jobId,
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
   * when it starts, that it is no longer the pull request's pending job, and
   * a running review re-checks the head before it posts.
   */
  private async supersede(oldJobId: string, by: ReviewJob, byJobId: string): Promise<{ jobId: string; state: "queued" | "running" } | null> {
    const log = this.options.log.child({ jobId: oldJobId, supersededBy: byJobId, repo: `${by.owner}/${by.repo}`, pr: by.pullNumber });
    try {
      // 1: removed (or already gone); 0: locked by a worker, i.e. running.
      if ((await this.queue.remove(oldJobId)) === 1) {
        log.info("queued review superseded");
        return { jobId: oldJobId, state: "queued" };
      }
      const message: CancelMessage = { jobId: oldJobId, newSha: by.headSha, byJobId };
      await this.redis.publish(this.keys.cancelChannel, JSON.stringify(message));
      log.info("running review told to stop: superseded");
      return { jobId: oldJobId, state: "running" };
    } catch (err) {
      log.warn({ err }, "could not stop the superseded review; it will stop when it sees the newer job");
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

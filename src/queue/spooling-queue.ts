import type { Logger } from "pino";
import type { Job } from "./job-kind.js";
import type { JobRegistry } from "./job-registry.js";
import type { JobStore } from "./job-store.js";
import type { EnqueueResult, JobQueue, QueueDepth, QueueHealth } from "./queue.js";

/**
 * The Redis queue's intake with a local spool in front. While Redis cannot
 * take a job (down, unreachable, too slow to answer within a webhook's
 * time), the job goes to a spool on local disk and the webhook is answered
 * as accepted; a forwarder hands spooled jobs to Redis, oldest first, once
 * it answers again. Without it, a delivery that arrived during an outage
 * got a 500 and was never reviewed — GitHub does not redeliver by itself.
 *
 * While anything is spooled, new jobs are spooled behind it, so Redis sees
 * them in the order they arrived. De-duplication is Redis's, at forwarding:
 * a replay spooled twice is forwarded twice and enqueued once.
 */

export interface SpoolingQueueOptions {
  /** The kinds of job the queue behind takes: a job it would refuse is refused here, never spooled. */
  readonly kinds: JobRegistry;
  readonly log: Logger;
  /** Longest wait for Redis to take a job before it is spooled (a webhook must be answered within 10 s). */
  readonly enqueueTimeoutMs?: number;
  /** Wait between forwarding attempts while Redis is away. */
  readonly retryMs?: number;
}

export class SpoolingQueue implements JobQueue {
  readonly kind = "redis" as const;
  private spooled: number;
  private timer: NodeJS.Timeout | null = null;
  private forwarding: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly redis: JobQueue,
    private readonly spool: JobStore,
    private readonly options: SpoolingQueueOptions,
  ) {
    this.spooled = spool.load().entries.length;
    if (this.spooled > 0) {
      options.log.warn({ spooled: this.spooled }, "jobs spooled while Redis was unreachable are forwarded now");
      this.schedule(0);
    }
  }

  async enqueue(input: Job): Promise<EnqueueResult> {
    // A job that is not valid is refused here, whatever Redis's state: only Redis failures spool.
    const { job } = this.options.kinds.parse(input);
    if (this.spooled > 0) return this.toSpool(job, null);
    try {
      return await withTimeout(this.redis.enqueue(job), this.options.enqueueTimeoutMs ?? 3_000);
    } catch (error) {
      return this.toSpool(job, error);
    }
  }

  async depth(): Promise<QueueDepth> {
    const depth = await this.redis.depth();
    return { ...depth, waiting: depth.waiting + this.spooled };
  }

  /** Healthy while the intake can accept work, spooling included; `redis` says whether Redis itself answers. */
  async health(): Promise<QueueHealth> {
    const health = await this.redis.health();
    if (health.ok || this.closed) return health;
    return { ...health, ok: true, error: `${health.error ?? "Redis is unreachable"}; ${this.spooled} job(s) spooled on local disk until it answers` };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.forwarding;
    await this.redis.close();
    this.spool.close();
  }

  private toSpool(job: Job, cause: unknown): EnqueueResult {
    const jobId = this.options.kinds.newJobId(job);
    // Written before answering: if even this fails, the webhook gets a 5xx and GitHub shows the failed delivery.
    this.spool.add({ jobId, key: "spool", job, state: "queued", attempts: 0, crashes: 0, runAfter: null });
    this.spooled++;
    const log = this.options.log.child(this.options.kinds.logFields(jobId, job));
    if (cause === null) log.info({ spooled: this.spooled }, "job spooled behind earlier ones");
    else log.warn({ err: cause, spooled: this.spooled }, "Redis did not take the job; spooled on local disk");
    this.schedule(this.options.retryMs ?? 2_000);
    return { status: "queued", jobId, superseded: null };
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.forwarding = this.forward().finally(() => {
        this.forwarding = null;
      });
    }, delayMs);
  }

  /** Hands spooled jobs to Redis in order; stops at the first refusal and tries again later. */
  private async forward(): Promise<void> {
    const { entries } = this.spool.load();
    for (const entry of entries) {
      if (this.closed) return;
      const parsed = this.options.kinds.safeParse(entry.job);
      if (!parsed.success) {
        // Spooled by another release: Redis would refuse it every time, and hold up everything behind it.
        this.options.log.error({ jobId: entry.jobId, problem: parsed.problem }, "a spooled job could not be read; it is dropped");
        this.spool.remove(entry.jobId);
        continue;
      }
      const log = this.options.log.child(this.options.kinds.logFields(entry.jobId, parsed.job));
      try {
        const result = await withTimeout(this.redis.enqueue(parsed.job), this.options.enqueueTimeoutMs ?? 3_000);
        this.spool.remove(entry.jobId);
        this.spooled = Math.max(0, this.spooled - 1);
        log.info({ ...result }, "spooled job forwarded to Redis");
      } catch (err) {
        log.warn({ err, spooled: this.spooled }, "Redis still does not take spooled jobs; trying again later");
        this.schedule(this.options.retryMs ?? 2_000);
        return;
      }
    }
    this.spooled = this.spool.load().entries.length;
    if (this.spooled > 0) this.schedule(0);
  }
}

class EnqueueTimeoutError extends Error {
  constructor(ms: number) {
    super(`Redis did not take the job within ${ms} ms`);
    this.name = "EnqueueTimeoutError";
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EnqueueTimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

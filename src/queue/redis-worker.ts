import { DelayedError, UnrecoverableError, WaitingError, Worker, type Job as BullJob } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import { Dispatcher } from "./dispatch.js";
import { InvalidJobError, JobHandedBackError, JobSupersededError } from "./errors.js";
import { retryDelayMs } from "./failure-policy.js";
import type { Job, JobHandlers, PendingSlot } from "./job-kind.js";
import type { JobRegistry } from "./job-registry.js";
import type { JobWorker, QueueHealth, QueueObserver, QueueSettings } from "./queue.js";
import { BACKOFF_TYPE, CancelMessageSchema, QUEUE_NAME, assertPrefix, pingRedis } from "./redis-queue.js";
import { PENDING_TTL_SECONDS, RedisKeys, acquireSlot, releasePending, releaseSlot, renewSlot, savePendingFields, setPendingState } from "./redis-scripts.js";
import { classifyError } from "../review/failure-class.js";

/**
 * The consumer side of the durable queue: a BullMQ worker that runs each job
 * with the handler of its kind. Crash safety comes from BullMQ's locks — a
 * worker killed mid-job stops renewing its lock, and after `lockMs` (checked
 * every `stalledIntervalMs`) another worker takes the job again. Supersede
 * reaches a running job over pub/sub; per-installation concurrency is a
 * Redis lease shared by all workers. Jobs of a kind with a pending slot keep
 * it up to date (running, queued again, released).
 */

export interface RedisWorkerOptions {
  /** The kinds of job this worker takes (the application's: `jobKinds`). */
  readonly kinds: JobRegistry;
  /** The bodies, by kind; a job of a kind left out fails. */
  readonly handlers: JobHandlers;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly settings: QueueSettings;
  /** A job's lock lives this long without renewal: how long a crashed worker holds it. */
  readonly lockMs: number;
  /** How often workers look for jobs whose lock expired. */
  readonly stalledIntervalMs: number;
  /** Crashes a job survives before it fails for good. */
  readonly maxStalls: number;
  readonly log: Logger;
  readonly observer?: QueueObserver;
  /** Wait before trying again when the installation has no free slot. */
  readonly slotRetryMs?: number;
}

export class RedisJobWorker implements JobWorker {
  private readonly keys: RedisKeys;
  private readonly dispatcher: Dispatcher;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly options: RedisWorkerOptions,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private worker: Worker | null,
  ) {
    this.keys = new RedisKeys(options.prefix);
    this.dispatcher = new Dispatcher({ kinds: options.kinds, handlers: options.handlers, log: options.log, observer: options.observer });
  }

  static async start(options: RedisWorkerOptions): Promise<RedisJobWorker> {
    assertPrefix(options.prefix);
    const { log } = options;
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    redis.on("error", (err) => log.warn({ err }, "redis connection error (worker)"));
    const subscriber = redis.duplicate();
    subscriber.on("error", (err) => log.warn({ err }, "redis connection error (cancel channel)"));

    const self = new RedisJobWorker(options, redis, subscriber, null);
    await subscriber.subscribe(self.keys.cancelChannel);
    subscriber.on("message", (_channel: string, message: string) => self.onCancel(message));

    const worker = new Worker(QUEUE_NAME, (job: BullJob, token?: string) => self.process(job, token), {
      connection: redis,
      prefix: options.prefix,
      concurrency: options.settings.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: options.maxStalls,
      settings: {
        backoffStrategy: (attemptsMade, type, err) => {
          if (type !== BACKOFF_TYPE) throw new Error(`unknown backoff type ${type}`);
          return retryDelayMs(attemptsMade, options.settings.backoffMs, err ? classifyError(err).retryAfterMs : null);
        },
      },
    });
    worker.on("error", (err) => log.error({ err }, "BullMQ worker error"));
    worker.on("failed", (job) => {
      // Failures the processor saw are handled there; this is the job that never reached it (stall limit).
      if (job?.deferredFailure) void self.abandon(job, job.deferredFailure);
    });
    self.worker = worker;
    await worker.waitUntilReady();
    log.info(
      { prefix: options.prefix, concurrency: options.settings.concurrency, lockMs: options.lockMs, kinds: handledKinds(options.handlers) },
      "job worker started",
    );
    return self;
  }

  get running(): number {
    return this.dispatcher.running.size;
  }

  async health(): Promise<QueueHealth> {
    if (this.closing) return { ok: false, queue: "redis", error: "the worker is shutting down" };
    return pingRedis(this.redis, "redis", 1_000);
  }

  close(deadlineMs: number): Promise<void> {
    this.closing ??= this.shutdown(deadlineMs);
    return this.closing;
  }

  private async shutdown(deadlineMs: number): Promise<void> {
    const worker = this.worker;
    // `close()` stops fetching at once and resolves when the running jobs have finished.
    if (worker)
      await this.dispatcher.stop(
        worker.close(),
        deadlineMs,
        () => new JobHandedBackError(),
        "shutdown deadline reached; handing running jobs back to the queue",
      );
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
    await this.redis.quit().catch(() => this.redis.disconnect());
    this.options.log.info("job worker stopped");
  }

  private onCancel(message: string): void {
    let parsed: z.infer<typeof CancelMessageSchema>;
    try {
      parsed = CancelMessageSchema.parse(JSON.parse(message));
    } catch (err) {
      this.options.log.warn({ err }, "ignored a malformed cancel message");
      return;
    }
    if (this.dispatcher.running.abort(parsed.jobId, new JobSupersededError(parsed.newSha, parsed.byJobId))) {
      this.options.log.info({ jobId: parsed.jobId, by: parsed.byJobId }, "superseded; aborting the running job");
    }
  }

  private async process(bullJob: BullJob, token: string | undefined): Promise<string> {
    const jobId = bullJob.id ?? "";
    const parsed = this.options.kinds.safeParse(bullJob.data);
    if (!parsed.success) {
      const error = new InvalidJobError(jobId, parsed.problem);
      this.options.log.error({ err: error, jobId }, "job rejected");
      this.options.observer?.jobFinished("failed", 0);
      throw new UnrecoverableError(error.message);
    }
    const { job, kind } = parsed;
    const slot = kind.pendingSlot ?? null;
    const slotKey = slot?.key(job) ?? "";
    const { settings, lockMs } = this.options;
    const log = this.dispatcher.logFor(jobId, job).child({ attempt: bullJob.attemptsMade + 1 });
    let renewal: NodeJS.Timeout | undefined;
    let holdsSlot = false;
    try {
      holdsSlot = await acquireSlot(this.redis, this.keys, job.installationId, jobId, settings.installationConcurrency, lockMs);
      if (!holdsSlot) {
        // Not an attempt: wait for a slot without using up retries.
        const waitMs = Math.round((this.options.slotRetryMs ?? 1_000) * (0.5 + Math.random()));
        await bullJob.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
      renewal = setInterval(
        () => {
          renewSlot(this.redis, this.keys, job.installationId, jobId, lockMs).catch((err: unknown) =>
            log.warn({ err }, "could not renew the installation slot"),
          );
        },
        Math.max(250, Math.floor(lockMs / 3)),
      );

      if (slot && !(await setPendingState(this.redis, this.keys, slotKey, jobId, "running", PENDING_TTL_SECONDS))) {
        log.info("a newer job took over before this one started");
        this.options.observer?.jobFinished("superseded", 0);
        return "superseded";
      }
      const end = await this.dispatcher.attempt({
        jobId,
        job,
        attempt: bullJob.attemptsMade + 1,
        maxAttempts: bullJob.opts.attempts ?? 1,
        save: this.saver(bullJob, job, slot, slotKey),
      });
      const what = `${job.kind} job`;
      switch (end.kind) {
        case "done":
          // Done either way. A leftover entry expires within a day; until then automatic events for this head count as duplicates (re-runs still run).
          if (slot)
            await releasePending(this.redis, this.keys, slotKey, jobId).catch((err: unknown) => end.log.warn({ err }, "could not release the pending entry"));
          return end.outcome;
        case "superseded":
          return "superseded";
        case "handed_back":
          if (slot) await setPendingState(this.redis, this.keys, slotKey, jobId, "queued", PENDING_TTL_SECONDS);
          await bullJob.moveToWait(token);
          end.log.info(`${what} handed back to the queue`);
          throw new WaitingError();
        case "retry":
          if (slot) await setPendingState(this.redis, this.keys, slotKey, jobId, "queued", PENDING_TTL_SECONDS);
          end.log.warn({ err: end.error, reason: end.reason }, `${what} failed; BullMQ retries it with backoff`);
          throw end.error;
        case "failed": {
          if (slot) await releasePending(this.redis, this.keys, slotKey, jobId);
          const message = end.error instanceof Error ? end.error.message : String(end.error);
          throw new UnrecoverableError(`${end.reason}: ${message}`);
        }
        default:
          return end satisfies never;
      }
    } finally {
      clearInterval(renewal);
      if (holdsSlot) {
        await releaseSlot(this.redis, this.keys, job.installationId, jobId).catch((err: unknown) =>
          log.warn({ err }, "could not release the installation slot"),
        );
      }
    }
  }

  /** The job's data in BullMQ, and what its pending slot keeps of it: every later attempt, on any worker, starts from there. */
  private saver(bullJob: BullJob, job: Job, slot: PendingSlot<Job> | null, slotKey: string) {
    let current = job;
    return async (changes: Partial<Job>): Promise<void> => {
      const next = { ...current, ...changes };
      current = next;
      await bullJob.updateData(next);
      if (slot) await savePendingFields(this.redis, this.keys, slotKey, bullJob.id ?? "", slot.redis.remember(next));
    };
  }

  private async abandon(bullJob: BullJob, reason: string): Promise<void> {
    const jobId = bullJob.id ?? "";
    const parsed = this.options.kinds.safeParse(bullJob.data);
    if (!parsed.success) {
      this.options.log.error({ jobId, reason }, "job abandoned: it kept crashing its worker");
      this.options.observer?.jobFinished("failed", 0);
      return;
    }
    const { job, kind } = parsed;
    const log = this.dispatcher.logFor(jobId, job);
    const slot = kind.pendingSlot;
    if (slot)
      await releasePending(this.redis, this.keys, slot.key(job), jobId).catch((err: unknown) => log.warn({ err }, "could not release the pending entry"));
    await this.dispatcher.abandon(jobId, job, reason, log);
  }
}

function handledKinds(handlers: JobHandlers): string[] {
  return Object.entries(handlers).flatMap(([kind, handler]) => (handler ? [kind] : []));
}

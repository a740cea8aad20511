import { DelayedError, UnrecoverableError, WaitingError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import { InvalidJobError, JobHandedBackError, JobSupersededError, NoCommandHandlerError } from "./errors.js";
import { decideFailure, retryDelayMs, willRetry, type AttemptContext } from "./failure-policy.js";
import { QueueJobSchema, jobLogFields, pullRequestKey, type CommandJob, type ReviewJob } from "./job.js";
import type {
  CommandJobHandler,
  CommandJobRun,
  CommandOutcome,
  FinishedAs,
  JobHandler,
  JobOutcome,
  JobRun,
  QueueHealth,
  QueueObserver,
  QueueSettings,
  ReviewWorker,
} from "./queue.js";
import { BACKOFF_TYPE, CancelMessageSchema, QUEUE_NAME, assertPrefix, pingRedis } from "./redis-queue.js";
import {
  PENDING_TTL_SECONDS,
  RedisKeys,
  acquireSlot,
  releasePending,
  releaseSlot,
  renewSlot,
  savePendingCheckRun,
  setPendingState,
} from "./redis-scripts.js";
import { classifyError } from "../review/failure-class.js";

/**
 * The consumer side of the durable queue: a BullMQ worker that runs review
 * jobs. Crash safety comes from BullMQ's locks — a worker killed mid-review
 * stops renewing its lock, and after `lockMs` (checked every
 * `stalledIntervalMs`) another worker takes the job again. Supersede
 * reaches a running job over pub/sub; per-installation concurrency is a
 * Redis lease shared by all workers. Command jobs (`/agent`) run the same
 * way, minus the pull request's pending entry (nothing supersedes them).
 */

export interface RedisWorkerOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly settings: QueueSettings;
  /** A job's lock lives this long without renewal: how long a crashed worker holds it. */
  readonly lockMs: number;
  /** How often workers look for jobs whose lock expired. */
  readonly stalledIntervalMs: number;
  /** Crashes a job survives before it fails for good. */
  readonly maxStalls: number;
  readonly handler: JobHandler;
  /** Runs `/agent` command jobs; without it they fail. */
  readonly commandHandler?: CommandJobHandler;
  readonly log: Logger;
  readonly observer?: QueueObserver;
  /** Wait before trying again when the installation has no free slot. */
  readonly slotRetryMs?: number;
}

export class RedisReviewWorker implements ReviewWorker {
  private readonly keys: RedisKeys;
  private readonly controllers = new Map<string, AbortController>();
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly options: RedisWorkerOptions,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private worker: Worker | null,
  ) {
    this.keys = new RedisKeys(options.prefix);
  }

  static async start(options: RedisWorkerOptions): Promise<RedisReviewWorker> {
    assertPrefix(options.prefix);
    const { log } = options;
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    redis.on("error", (err) => log.warn({ err }, "redis connection error (worker)"));
    const subscriber = redis.duplicate();
    subscriber.on("error", (err) => log.warn({ err }, "redis connection error (cancel channel)"));

    const self = new RedisReviewWorker(options, redis, subscriber, null);
    await subscriber.subscribe(self.keys.cancelChannel);
    subscriber.on("message", (_channel: string, message: string) => self.onCancel(message));

    const worker = new Worker(QUEUE_NAME, (job: Job, token?: string) => self.process(job, token), {
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
    log.info({ prefix: options.prefix, concurrency: options.settings.concurrency, lockMs: options.lockMs }, "review worker started");
    return self;
  }

  get running(): number {
    return this.controllers.size;
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
    const { log } = this.options;
    const worker = this.worker;
    if (worker) {
      // `close()` stops fetching at once and resolves when the running jobs have finished.
      const closed = worker.close();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<"deadline">((resolve) => {
        timer = setTimeout(() => resolve("deadline"), deadlineMs);
      });
      const first = await Promise.race([closed.then(() => "closed" as const), deadline]);
      clearTimeout(timer);
      if (first === "deadline") {
        log.warn({ running: this.controllers.size, deadlineMs }, "shutdown deadline reached; handing running reviews back to the queue");
        for (const controller of this.controllers.values()) controller.abort(new JobHandedBackError());
        await closed;
      }
    }
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
    await this.redis.quit().catch(() => this.redis.disconnect());
    log.info("review worker stopped");
  }

  private onCancel(message: string): void {
    let parsed: z.infer<typeof CancelMessageSchema>;
    try {
      parsed = CancelMessageSchema.parse(JSON.parse(message));
    } catch (err) {
      this.options.log.warn({ err }, "ignored a malformed cancel message");
      return;
    }
    const controller = this.controllers.get(parsed.jobId);
    if (!controller) return;
    this.options.log.info({ jobId: parsed.jobId, by: parsed.byJobId }, "superseded; aborting the running review");
    controller.abort(new JobSupersededError(parsed.newSha, parsed.byJobId));
  }

  private async process(job: Job, token: string | undefined): Promise<JobOutcome | CommandOutcome> {
    const jobId = job.id ?? "";
    const parsed = QueueJobSchema.safeParse(job.data);
    if (!parsed.success) {
      const error = new InvalidJobError(jobId, z.prettifyError(parsed.error));
      this.options.log.error({ err: error, jobId }, "job rejected");
      this.options.observer?.jobFinished("failed", 0);
      throw new UnrecoverableError(error.message);
    }
    const data = parsed.data;
    // Only reviews hold their pull request's pending entry.
    const prKey = data.kind === "review" ? pullRequestKey(data) : null;
    const what = `${data.kind} job`;
    const { settings, handler, lockMs } = this.options;
    const controller = new AbortController();
    const attempt: AttemptContext = { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1, signal: controller.signal };
    const log = this.options.log.child({ ...jobLogFields(jobId, data), attempt: attempt.attempt });
    this.controllers.set(jobId, controller);
    const started = performance.now();
    const finished = (as: FinishedAs) => this.options.observer?.jobFinished(as, (performance.now() - started) / 1000);
    let renewal: NodeJS.Timeout | undefined;
    let holdsSlot = false;
    try {
      holdsSlot = await acquireSlot(this.redis, this.keys, data.installationId, jobId, settings.installationConcurrency, lockMs);
      if (!holdsSlot) {
        // Not an attempt: wait for a slot without using up retries.
        const waitMs = Math.round((this.options.slotRetryMs ?? 1_000) * (0.5 + Math.random()));
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
      renewal = setInterval(() => {
        renewSlot(this.redis, this.keys, data.installationId, jobId, lockMs).catch((err: unknown) => log.warn({ err }, "could not renew the installation slot"));
      }, Math.max(250, Math.floor(lockMs / 3)));

      if (prKey !== null && !(await setPendingState(this.redis, this.keys, prKey, jobId, "running", PENDING_TTL_SECONDS))) {
        log.info("a newer job took over this pull request before this one started");
        finished("superseded");
        return "superseded";
      }
      log.info(`${what} started`);
      const outcome =
        data.kind === "review" ? await handler.run(data, this.jobRun(job, data, prKey ?? "", attempt, log)) : await this.runCommand(job, data, attempt, log);
      log.info({ outcome, durationMs: Math.round(performance.now() - started) }, `${what} finished`);
      // The review is done either way. A leftover entry expires within a day; until then automatic events for this head count as duplicates (re-runs still run).
      if (prKey !== null) {
        await releasePending(this.redis, this.keys, prKey, jobId).catch((err: unknown) => log.warn({ err }, "could not release the pending entry"));
      }
      finished(outcome);
      return outcome;
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      return await this.afterFailure(error, { job, token, what, prKey, attempt, log, finished });
    } finally {
      clearInterval(renewal);
      this.controllers.delete(jobId);
      if (holdsSlot) {
        await releaseSlot(this.redis, this.keys, data.installationId, jobId).catch((err: unknown) => log.warn({ err }, "could not release the installation slot"));
      }
    }
  }

  private async afterFailure(
    error: unknown,
    input: { job: Job; token: string | undefined; what: string; prKey: string | null; attempt: AttemptContext; log: Logger; finished: (as: FinishedAs) => void },
  ): Promise<JobOutcome> {
    const { job, token, what, prKey, attempt, log, finished } = input;
    const jobId = job.id ?? "";
    const decision = decideFailure(error, attempt);
    switch (decision.kind) {
      case "superseded":
        log.info({ newSha: decision.newSha }, `${what} superseded`);
        finished("superseded");
        return "superseded";
      case "hand_back":
        if (prKey !== null) await setPendingState(this.redis, this.keys, prKey, jobId, "queued", PENDING_TTL_SECONDS);
        await job.moveToWait(token);
        log.info(`${what} handed back to the queue`);
        finished("handed_back");
        throw new WaitingError();
      case "retry":
        if (prKey !== null) await setPendingState(this.redis, this.keys, prKey, jobId, "queued", PENDING_TTL_SECONDS);
        log.warn({ err: error, reason: decision.reason }, `${what} failed; BullMQ retries it with backoff`);
        finished("retrying");
        throw error;
      case "fail": {
        log.error({ err: error, reason: decision.reason }, `${what} failed`);
        if (prKey !== null) await releasePending(this.redis, this.keys, prKey, jobId);
        finished("failed");
        const message = error instanceof Error ? error.message : String(error);
        throw new UnrecoverableError(`${decision.reason}: ${message}`);
      }
    }
  }

  private async runCommand(job: Job, data: CommandJob, attempt: AttemptContext, log: Logger): Promise<CommandOutcome> {
    const handler = this.options.commandHandler;
    if (!handler) throw new NoCommandHandlerError();
    const run: CommandJobRun = {
      jobId: job.id ?? "",
      attempt: attempt.attempt,
      maxAttempts: attempt.maxAttempts,
      signal: attempt.signal,
      log,
      willRetry: (error) => willRetry(error, attempt),
      // Not caught: a fix whose state is not saved must not move the branch.
      saveCommitted: (committed) => job.updateData({ ...data, committed }),
    };
    return handler.run(data, run);
  }

  private jobRun(job: Job, data: ReviewJob, prKey: string, attempt: AttemptContext, log: Logger): JobRun {
    const jobId = job.id ?? "";
    return {
      jobId,
      attempt: attempt.attempt,
      maxAttempts: attempt.maxAttempts,
      signal: attempt.signal,
      log,
      willRetry: (error) => willRetry(error, attempt),
      saveCheckRunId: async (checkRunId) => {
        try {
          await job.updateData({ ...data, checkRunId, onlyIfUnreviewed: false });
          await savePendingCheckRun(this.redis, this.keys, prKey, jobId, checkRunId);
        } catch (err) {
          log.warn({ err, checkRunId }, "could not save the check run id; a retry would create a new run");
        }
      },
    };
  }

  private async abandon(job: Job, reason: string): Promise<void> {
    const jobId = job.id ?? "";
    const parsed = QueueJobSchema.safeParse(job.data);
    const log = this.options.log.child(parsed.success ? jobLogFields(jobId, parsed.data) : { jobId });
    log.error({ reason }, "job failed for good outside its body");
    this.options.observer?.jobFinished("failed", 0);
    // A command's requester saw the 👀 and gets no answer; the log above is what is left of it.
    if (!parsed.success || parsed.data.kind !== "review") return;
    try {
      await releasePending(this.redis, this.keys, pullRequestKey(parsed.data), jobId);
      await this.options.handler.abandoned?.(parsed.data, reason, log);
    } catch (err) {
      log.error({ err }, "could not report the abandoned review");
    }
  }
}

import type { Logger } from "pino";
import { resolveClaim, type PendingJob } from "./claim.js";
import { JobShutdownError, JobSupersededError, NoCommandHandlerError } from "./errors.js";
import { decideFailure, retryDelayMs, willRetry, type AttemptContext } from "./failure-policy.js";
import { QueueJobSchema, commandDeliveryKey, jobLogFields, newJobId, pullRequestKey, replayKeyOf, type CommandJob, type QueueJob, type ReviewJob } from "./job.js";
import type {
  AttemptRun,
  CommandJobHandler,
  CommandOutcome,
  EnqueueResult,
  FinishedAs,
  JobHandler,
  JobOutcome,
  QueueDepth,
  QueueHealth,
  QueueObserver,
  QueueSettings,
  ReviewQueue,
  ReviewWorker,
} from "./queue.js";
import { RecentKeys } from "./recent-keys.js";

/**
 * The embedded queue: jobs live in this process's memory and run here with
 * bounded concurrency (per process and per installation), the same
 * supersede / de-duplication / retry rules as the Redis queue (supersede
 * for reviews only; command jobs are de-duplicated by delivery), and no
 * dependencies. Not durable: a restart loses queued jobs (they are logged);
 * set REDIS_URL for that.
 */

export interface InProcessQueueOptions {
  readonly settings: QueueSettings;
  readonly log: Logger;
  readonly observer?: QueueObserver;
  /** Webhook deliveries remembered for de-duplication. */
  readonly recentDeliveries?: number;
  readonly random?: () => number;
}

interface Entry {
  readonly jobId: string;
  /** Reviews: the pull request's key (one pending review each); commands: their delivery key. */
  readonly key: string;
  job: QueueJob;
  state: "queued" | "running" | "delayed";
  /** Attempts started so far. */
  attempts: number;
  controller: AbortController | null;
  timer: NodeJS.Timeout | null;
}

export class QueueClosedError extends Error {
  constructor() {
    super("the review queue is closed");
    this.name = "QueueClosedError";
  }
}


export class InProcessQueue implements ReviewQueue {
  readonly kind = "in-process" as const;
  private readonly pending = new Map<string, Entry>();
  private readonly waiting: Entry[] = [];
  private readonly delayed = new Set<Entry>();
  private readonly running = new Map<Entry, Promise<void>>();
  private readonly perInstallation = new Map<number, number>();
  private readonly deliveries: RecentKeys;
  private readonly idleWaiters: (() => void)[] = [];
  private handler: JobHandler | null = null;
  private commands: CommandJobHandler | null = null;
  private accepting = true;
  private stopping = false;
  private failed = 0;

  constructor(private readonly options: InProcessQueueOptions) {
    this.deliveries = new RecentKeys(options.recentDeliveries ?? 10_000);
  }

  async enqueue(input: QueueJob): Promise<EnqueueResult> {
    if (!this.accepting) throw new QueueClosedError();
    const job = QueueJobSchema.parse(input);
    const result = job.kind === "review" ? this.admit(job, pullRequestKey(job)) : this.admitCommand(job);
    this.options.observer?.enqueued(result);
    return result;
  }

  /** Starts running jobs in this process: reviews with `handler`, `/agent` commands with `commands`. */
  startWorker(handler: JobHandler, commands?: CommandJobHandler): ReviewWorker {
    if (this.handler) throw new Error("the in-process worker is already started");
    this.handler = handler;
    this.commands = commands ?? null;
    this.pump();
    const running = this.running;
    return {
      close: (deadlineMs) => this.stopWorker(deadlineMs),
      get running() {
        return running.size;
      },
    };
  }

  /** Resolves once nothing is queued, running or waiting for a retry (tests, tools). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async depth(): Promise<QueueDepth> {
    return { waiting: this.waiting.length, active: this.running.size, delayed: this.delayed.size, failed: this.failed };
  }

  async health(): Promise<QueueHealth> {
    return this.accepting ? { ok: true, queue: this.kind } : { ok: false, queue: this.kind, error: "the queue is closed" };
  }

  async close(): Promise<void> {
    this.accepting = false;
  }

  private admit(job: ReviewJob, key: string): EnqueueResult {
    if (!this.deliveries.add(`${replayKeyOf(job)}|${key}`)) return { status: "duplicate", reason: "delivery", jobId: null };
    const current = this.pending.get(key) ?? null;
    const decision = resolveClaim(current ? asPending(current) : null, job);
    if (decision.kind === "duplicate") return { status: "duplicate", reason: "head", jobId: decision.pendingJobId };

    const entry: Entry = { jobId: newJobId(job), key, job: decision.job, state: "queued", attempts: 0, controller: null, timer: null };
    const superseded = current ? this.supersede(current, entry.jobId, decision.job.headSha) : null;
    this.pending.set(key, entry);
    this.waiting.push(entry);
    this.pump();
    return { status: "queued", jobId: entry.jobId, superseded };
  }

  /** Commands are not pull-request work items: only a redelivered webhook is a duplicate. */
  private admitCommand(job: CommandJob): EnqueueResult {
    const key = commandDeliveryKey(job);
    if (!this.deliveries.add(key)) return { status: "duplicate", reason: "delivery", jobId: null };
    const entry: Entry = { jobId: newJobId(job), key, job, state: "queued", attempts: 0, controller: null, timer: null };
    this.waiting.push(entry);
    this.pump();
    return { status: "queued", jobId: entry.jobId, superseded: null };
  }

  private supersede(old: Entry, byJobId: string, newSha: string): { jobId: string; state: "queued" | "running" } {
    if (old.state === "running") {
      old.controller?.abort(new JobSupersededError(newSha, byJobId));
      return { jobId: old.jobId, state: "running" };
    }
    this.unschedule(old);
    this.options.log.info({ ...jobLogFields(old.jobId, old.job), by: byJobId }, "queued review superseded");
    return { jobId: old.jobId, state: "queued" };
  }

  private unschedule(entry: Entry): void {
    const i = this.waiting.indexOf(entry);
    if (i >= 0) this.waiting.splice(i, 1);
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    this.delayed.delete(entry);
  }

  private pump(): void {
    if (!this.handler || this.stopping) return;
    const { concurrency, installationConcurrency } = this.options.settings;
    while (this.running.size < concurrency) {
      const i = this.waiting.findIndex((e) => (this.perInstallation.get(e.job.installationId) ?? 0) < installationConcurrency);
      if (i < 0) return;
      const [entry] = this.waiting.splice(i, 1);
      if (entry) this.running.set(entry, this.execute(entry, this.handler));
    }
  }

  private async execute(entry: Entry, handler: JobHandler): Promise<void> {
    const installationId = entry.job.installationId;
    this.perInstallation.set(installationId, (this.perInstallation.get(installationId) ?? 0) + 1);
    entry.state = "running";
    entry.attempts++;
    const controller = new AbortController();
    entry.controller = controller;
    const ctx: AttemptContext = { attempt: entry.attempts, maxAttempts: this.options.settings.attempts, signal: controller.signal };
    const log = this.options.log.child({ ...jobLogFields(entry.jobId, entry.job), attempt: ctx.attempt });
    const what = `${entry.job.kind} job`;
    const started = performance.now();
    const finished = (as: FinishedAs) => this.options.observer?.jobFinished(as, (performance.now() - started) / 1000);
    try {
      // Yield once so `running` holds this job before its body runs.
      await Promise.resolve();
      log.info(`${what} started`);
      const attempt: AttemptRun = {
        jobId: entry.jobId,
        attempt: ctx.attempt,
        maxAttempts: ctx.maxAttempts,
        signal: controller.signal,
        log,
        // A process on its way down schedules no retry.
        willRetry: (error) => !this.stopping && willRetry(error, ctx),
      };
      const outcome = await this.runBody(entry, handler, attempt);
      log.info({ outcome, durationMs: Math.round(performance.now() - started) }, `${what} finished`);
      finished(outcome);
      this.forget(entry);
    } catch (error) {
      const decision = decideFailure(error, ctx);
      if (decision.kind === "superseded") {
        log.info({ newSha: decision.newSha }, `${what} superseded`);
        finished("superseded");
        this.forget(entry);
      } else if (decision.kind === "retry" && !this.stopping) {
        const delayMs = retryDelayMs(ctx.attempt, this.options.settings.backoffMs, decision.retryAfterMs, this.options.random);
        log.warn({ err: error, reason: decision.reason, delayMs }, `${what} failed; retrying`);
        finished("retrying");
        this.scheduleRetry(entry, delayMs);
      } else {
        const reason = decision.kind === "fail" ? decision.reason : "the process is shutting down";
        log.error({ err: error, reason }, `${what} failed`);
        this.failed++;
        finished("failed");
        this.forget(entry);
      }
    } finally {
      entry.controller = null;
      const left = (this.perInstallation.get(installationId) ?? 1) - 1;
      if (left > 0) this.perInstallation.set(installationId, left);
      else this.perInstallation.delete(installationId);
      this.running.delete(entry);
      this.pump();
      this.notifyIfIdle();
    }
  }

  /** The job's body; what it saves for its next attempt lands in the entry. */
  private async runBody(entry: Entry, handler: JobHandler, attempt: AttemptRun): Promise<JobOutcome | CommandOutcome> {
    const job = entry.job;
    if (job.kind === "review") {
      return handler.run(job, {
        ...attempt,
        saveCheckRunId: async (checkRunId) => {
          const current = entry.job;
          if (current.kind === "review") entry.job = { ...current, checkRunId, onlyIfUnreviewed: false };
        },
      });
    }
    if (!this.commands) throw new NoCommandHandlerError();
    return this.commands.run(job, {
      ...attempt,
      saveCommitted: async (committed) => {
        const current = entry.job;
        if (current.kind === "command") entry.job = { ...current, committed };
      },
    });
  }

  private scheduleRetry(entry: Entry, delayMs: number): void {
    entry.state = "delayed";
    this.delayed.add(entry);
    entry.timer = setTimeout(() => {
      entry.timer = null;
      this.delayed.delete(entry);
      if ((entry.job.kind === "review" && this.pending.get(entry.key) !== entry) || this.stopping) return;
      entry.state = "queued";
      this.waiting.push(entry);
      this.pump();
    }, delayMs);
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.delayed.size === 0 && this.running.size === 0;
  }

  private notifyIfIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** Drops the pull request's pending entry, unless a newer job already took its place. */
  private forget(entry: Entry): void {
    if (this.pending.get(entry.key) === entry) this.pending.delete(entry.key);
  }

  private async stopWorker(deadlineMs: number): Promise<void> {
    this.stopping = true;
    const all = Promise.allSettled([...this.running.values()]);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), deadlineMs);
    });
    const first = await Promise.race([all.then(() => "done" as const), deadline]);
    clearTimeout(timer);
    if (first === "deadline") {
      this.options.log.warn({ running: this.running.size, deadlineMs }, "shutdown deadline reached; aborting running reviews");
      for (const entry of this.running.keys()) entry.controller?.abort(new JobShutdownError());
      await all;
    }
    const lost = [...this.waiting, ...this.delayed];
    for (const entry of lost) this.unschedule(entry);
    this.notifyIfIdle();
    if (lost.length > 0) {
      this.options.log.error(
        { lost: lost.map((e) => jobLogFields(e.jobId, e.job)) },
        `${lost.length} queued review(s) dropped at shutdown: the in-process queue is not durable (set REDIS_URL)`,
      );
    }
  }
}

function asPending(entry: Entry): PendingJob {
  const job: QueueJob = entry.job;
  // Only reviews are ever a pull request's pending job.
  if (job.kind !== "review") throw new Error(`job ${entry.jobId} is not a review`);
  return {
    jobId: entry.jobId,
    headSha: job.headSha,
    // A job waiting for its retry is as replaceable as a queued one.
    state: entry.state === "running" ? "running" : "queued",
    previousSha: job.previousSha,
    checkRunId: job.checkRunId,
  };
}

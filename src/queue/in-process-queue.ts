import type { Logger } from "pino";
import { resolveClaim, type PendingJob } from "./claim.js";
import { JobHandedBackError, JobShutdownError, JobSupersededError, NoCommandHandlerError } from "./errors.js";
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
import { memoryStore, type JobStore, type JournalChange, type JournalEntry } from "./job-store.js";

/**
 * The embedded queue: jobs run in this process with bounded concurrency (per
 * process and per installation) and the same supersede / de-duplication /
 * retry rules as the Redis queue (supersede for reviews only; commands are
 * de-duplicated by the event they came from). With a durable store (the
 * SQLite journal, the default) every job is on disk from the moment it is
 * accepted: after a crash, a kill or a restart `startWorker` resumes what was
 * queued, delayed or running, and a job found running more than `maxCrashes`
 * times (it keeps killing the process) is abandoned as a failed check run
 * instead of being run into another crash. At shutdown, jobs still running at
 * the deadline go back to the journal. Without a durable store a restart
 * loses queued jobs (they are logged).
 */

export interface InProcessQueueOptions {
  readonly settings: QueueSettings;
  readonly log: Logger;
  readonly observer?: QueueObserver;
  /** Where jobs and accepted events are kept (default: memory only). */
  readonly store?: JobStore;
  /** How long an accepted event is remembered as a replay (default 3 days). */
  readonly replayTtlMs?: number;
  /** Times a job may be found running after the process died before it is abandoned (default 2). */
  readonly maxCrashes?: number;
  readonly random?: () => number;
  readonly now?: () => number;
}

interface Entry {
  readonly jobId: string;
  /** Reviews: the pull request's key (one pending review each); commands: their delivery key. */
  readonly key: string;
  job: QueueJob;
  state: "queued" | "running" | "delayed";
  /** Attempts started so far. */
  attempts: number;
  /** Times the process died while it ran (from the journal). */
  crashes: number;
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
  private readonly store: JobStore;
  private readonly idleWaiters: (() => void)[] = [];
  private handler: JobHandler | null = null;
  private commands: CommandJobHandler | null = null;
  private accepting = true;
  private stopping = false;
  private failed = 0;

  /** Jobs that kept taking the process down, reported as failed once there is a handler to report them. */
  private abandoning: { entry: Entry; reason: string }[] = [];

  constructor(private readonly options: InProcessQueueOptions) {
    this.store = options.store ?? memoryStore();
    this.restore();
  }

  /** True when jobs survive a restart (a durable store). */
  get durable(): boolean {
    return this.store.durable;
  }

  async enqueue(input: QueueJob): Promise<EnqueueResult> {
    if (!this.accepting) throw new QueueClosedError();
    const job = QueueJobSchema.parse(input);
    const result = job.kind === "review" ? this.admit(job, pullRequestKey(job)) : this.admitCommand(job);
    this.options.observer?.enqueued(result);
    return result;
  }

  /**
   * Starts running jobs in this process: reviews with `handler`, `/agent`
   * commands with `commands` — first the ones the store kept from before.
   */
  startWorker(handler: JobHandler, commands?: CommandJobHandler): ReviewWorker {
    if (this.handler) throw new Error("the in-process worker is already started");
    this.handler = handler;
    this.commands = commands ?? null;
    for (const { entry, reason } of this.abandoning.splice(0)) this.abandon(entry, handler, reason);
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
    // Running jobs still write to the store until the worker has stopped (`ReviewWorker.close` first).
    if (!this.handler || this.stopping) this.store.close();
  }

  private admit(job: ReviewJob, key: string): EnqueueResult {
    const replay = `${replayKeyOf(job)}|${key}`;
    if (!this.store.rememberReplay(replay, this.replayTtlMs)) return { status: "duplicate", reason: "delivery", jobId: null };
    const current = this.pending.get(key) ?? null;
    const decision = resolveClaim(current ? asPending(current) : null, job);
    if (decision.kind === "duplicate") return { status: "duplicate", reason: "head", jobId: decision.pendingJobId };

    const entry = newEntry(decision.job, key);
    this.accept(entry, replay);
    const superseded = current ? this.supersede(current, entry.jobId, decision.job.headSha) : null;
    this.pending.set(key, entry);
    this.waiting.push(entry);
    this.pump();
    return { status: "queued", jobId: entry.jobId, superseded };
  }

  /** Commands are not pull-request work items: only the same event twice is a duplicate. */
  private admitCommand(job: CommandJob): EnqueueResult {
    const key = commandDeliveryKey(job);
    if (!this.store.rememberReplay(key, this.replayTtlMs)) return { status: "duplicate", reason: "delivery", jobId: null };
    const entry = newEntry(job, key);
    this.accept(entry, key);
    this.waiting.push(entry);
    this.pump();
    return { status: "queued", jobId: entry.jobId, superseded: null };
  }

  /** On disk before the webhook is answered; if it cannot be written, the event is not remembered either, so GitHub's redelivery is accepted. */
  private accept(entry: Entry, replay: string): void {
    try {
      this.store.add(journalEntry(entry));
    } catch (error) {
      this.store.forgetReplay(replay);
      throw error;
    }
  }

  private get replayTtlMs(): number {
    return this.options.replayTtlMs ?? 3 * 24 * 3600 * 1000;
  }

  /** A store write that fails while a job runs is logged; the job itself goes on (it is still in memory). */
  private persist(entry: Entry, change: JournalChange | "remove"): void {
    try {
      if (change === "remove") this.store.remove(entry.jobId);
      else this.store.update(entry.jobId, change);
    } catch (err) {
      this.options.log.error({ err, ...jobLogFields(entry.jobId, entry.job) }, "could not write the job journal; the job may not survive a restart");
    }
  }

  /**
   * The jobs the store kept from before this process. One found running was
   * cut short by the process's death: it runs again, unless it has already
   * taken the process down `maxCrashes` times — then it is given up on, and
   * its failure shown, rather than run into another crash.
   */
  private restore(): void {
    const { entries, unreadable } = this.store.load();
    for (const bad of unreadable) {
      this.options.log.error({ jobId: bad.jobId, problem: bad.problem }, "a journaled job could not be read; it is dropped");
      this.store.remove(bad.jobId);
    }
    const maxCrashes = this.options.maxCrashes ?? 2;
    const now = (this.options.now ?? Date.now)();
    // One pending review per pull request: of two kept for the same one (the process died between a supersede
    // and the end of the older job), the later one already inherited what it needs from the earlier.
    const latest = new Map<string, string>();
    for (const kept of entries) if (kept.job.kind === "review") latest.set(kept.key, kept.jobId);
    for (const kept of entries) {
      if (kept.job.kind === "review" && latest.get(kept.key) !== kept.jobId) {
        this.options.log.info(jobLogFields(kept.jobId, kept.job), "journaled review superseded while Longview was down");
        this.store.remove(kept.jobId);
        continue;
      }
      const entry: Entry = { ...kept, state: "queued", controller: null, timer: null };
      const log = this.options.log.child(jobLogFields(entry.jobId, entry.job));
      if (kept.state === "running") {
        entry.crashes++;
        if (entry.crashes > maxCrashes) {
          this.abandoning.push({ entry, reason: `the process died ${entry.crashes} times while running it` });
          continue;
        }
        this.persist(entry, { state: "queued", crashes: entry.crashes });
      }
      if (entry.job.kind === "review") this.pending.set(entry.key, entry);
      if (kept.state === "delayed" && kept.runAfter !== null && kept.runAfter > now) this.scheduleRetry(entry, kept.runAfter - now);
      else this.waiting.push(entry);
      log.info({ was: kept.state, crashes: entry.crashes }, "journaled job resumed");
    }
  }

  private abandon(entry: Entry, handler: JobHandler, reason: string): void {
    const log = this.options.log.child(jobLogFields(entry.jobId, entry.job));
    log.error({ reason }, "job abandoned: it kept taking the process down");
    this.failed++;
    this.options.observer?.jobFinished("failed", 0);
    this.persist(entry, "remove");
    const job = entry.job;
    // A command's requester saw the 👀 and gets no answer; the log above is what is left of it.
    if (job.kind !== "review") return;
    handler.abandoned?.(job, reason, log).catch((err: unknown) => log.error({ err }, "could not report the abandoned review"));
  }

  private supersede(old: Entry, byJobId: string, newSha: string): { jobId: string; state: "queued" | "running" } {
    if (old.state === "running") {
      old.controller?.abort(new JobSupersededError(newSha, byJobId));
      return { jobId: old.jobId, state: "running" };
    }
    this.unschedule(old);
    this.persist(old, "remove");
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
    // Written before the body runs: if the process dies now, the next start knows this job was running.
    this.persist(entry, { state: "running", attempts: entry.attempts });
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
        // A process on its way down schedules no retry, unless the journal keeps the job for the next start.
        willRetry: (error) => (this.store.durable || !this.stopping) && willRetry(error, ctx),
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
      } else if (decision.kind === "hand_back") {
        // Only a durable store gets jobs handed back (see `stopWorker`): the next start resumes it.
        log.info(`${what} kept in the journal; it resumes when Longview starts again`);
        finished("handed_back");
        entry.state = "queued";
        this.persist(entry, { state: "queued" });
      } else if (decision.kind === "retry" && !this.stopping) {
        const delayMs = retryDelayMs(ctx.attempt, this.options.settings.backoffMs, decision.retryAfterMs, this.options.random);
        log.warn({ err: error, reason: decision.reason, delayMs }, `${what} failed; retrying`);
        finished("retrying");
        this.scheduleRetry(entry, delayMs);
      } else if (decision.kind === "retry" && this.store.durable) {
        // Shutting down with a retry due: the next start runs it.
        log.warn({ err: error, reason: decision.reason }, `${what} failed; it is retried when Longview starts again`);
        finished("retrying");
        entry.state = "queued";
        this.persist(entry, { state: "queued" });
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
          this.persist(entry, { job: entry.job });
        },
      });
    }
    if (!this.commands) throw new NoCommandHandlerError();
    return this.commands.run(job, {
      ...attempt,
      saveCommitted: async (committed) => {
        const current = entry.job;
        if (current.kind === "command") entry.job = { ...current, committed };
        // Strict: the fix must not move the branch unless a later attempt will know it did.
        this.store.update(entry.jobId, { job: entry.job });
      },
    });
  }

  private scheduleRetry(entry: Entry, delayMs: number): void {
    entry.state = "delayed";
    this.persist(entry, { state: "delayed", runAfter: (this.options.now ?? Date.now)() + delayMs });
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

  /** The job has ended: out of the store, and out of its pull request's pending slot unless a newer job already took it. */
  private forget(entry: Entry): void {
    this.persist(entry, "remove");
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
      const durable = this.store.durable;
      this.options.log.warn({ running: this.running.size, deadlineMs }, durable ? "shutdown deadline reached; running jobs go back to the journal" : "shutdown deadline reached; aborting running reviews");
      for (const entry of this.running.keys()) entry.controller?.abort(durable ? new JobHandedBackError() : new JobShutdownError());
      await all;
    }
    const lost = [...this.waiting, ...this.delayed];
    for (const entry of lost) this.unschedule(entry);
    this.notifyIfIdle();
    this.store.close();
    if (lost.length > 0 && this.store.durable) {
      this.options.log.info({ kept: lost.length }, "queued jobs kept in the journal for the next start");
    } else if (lost.length > 0) {
      this.options.log.error(
        { lost: lost.map((e) => jobLogFields(e.jobId, e.job)) },
        `${lost.length} queued review(s) dropped at shutdown: the in-process queue is not durable (set REDIS_URL)`,
      );
    }
  }
}

function newEntry(job: QueueJob, key: string): Entry {
  return { jobId: newJobId(job), key, job, state: "queued", attempts: 0, crashes: 0, controller: null, timer: null };
}

function journalEntry(entry: Entry): JournalEntry {
  const { jobId, key, job, state, attempts, crashes } = entry;
  return { jobId, key, job, state, attempts, crashes, runAfter: null };
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

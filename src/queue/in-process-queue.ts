import type { Logger } from "pino";
import { Dispatcher } from "./dispatch.js";
import { JobHandedBackError, JobShutdownError, JobSupersededError } from "./errors.js";
import { retryDelayMs } from "./failure-policy.js";
import type { Job, JobHandlers, JobKind, PendingSlot } from "./job-kind.js";
import type { JobRegistry } from "./job-registry.js";
import { memoryStore, type JobStore, type JournalChange, type JournalEntry } from "./job-store.js";
import type { EnqueueResult, JobQueue, JobWorker, QueueDepth, QueueHealth, QueueObserver, QueueSettings } from "./queue.js";

/**
 * The embedded queue: jobs run in this process with bounded concurrency (per
 * process and per installation) and the same supersede / de-duplication /
 * retry rules as the Redis queue (supersede for kinds with a pending slot;
 * the others are de-duplicated by the event they came from). With a durable
 * store (the SQLite journal, the default) every job is on disk from the
 * moment it is accepted: after a crash, a kill or a restart `startWorker`
 * resumes what was queued, delayed or running, and a job found running more
 * than `maxCrashes` times (it keeps killing the process) is abandoned —
 * reported as failed — instead of being run into another crash. At shutdown,
 * jobs still running at the deadline go back to the journal. Without a
 * durable store a restart loses queued jobs (they are logged).
 */

export interface InProcessQueueOptions {
  /** The kinds of job this queue takes (the application's: `jobKinds`). */
  readonly kinds: JobRegistry;
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
  /** Its pending slot's key when its kind has one (one pending job each), else its replay key. */
  readonly key: string;
  readonly kind: JobKind<Job>;
  job: Job;
  state: "queued" | "running" | "delayed";
  /** Attempts started so far. */
  attempts: number;
  /** Times the process died while it ran (from the journal). */
  crashes: number;
  timer: NodeJS.Timeout | null;
}

export class QueueClosedError extends Error {
  constructor() {
    super("the job queue is closed");
    this.name = "QueueClosedError";
  }
}

export class InProcessQueue implements JobQueue {
  readonly kind = "in-process" as const;
  /** The pending job of each slot. */
  private readonly pending = new Map<string, Entry>();
  private readonly waiting: Entry[] = [];
  private readonly delayed = new Set<Entry>();
  private readonly running = new Map<Entry, Promise<void>>();
  private readonly perInstallation = new Map<number, number>();
  private readonly store: JobStore;
  private readonly idleWaiters: (() => void)[] = [];
  private dispatcher: Dispatcher | null = null;
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

  async enqueue(input: Job): Promise<EnqueueResult> {
    if (!this.accepting) throw new QueueClosedError();
    const { job, kind } = this.options.kinds.parse(input);
    const result = kind.pendingSlot ? this.admitToSlot(job, kind, kind.pendingSlot) : this.admit(job, kind);
    this.options.observer?.enqueued(result);
    return result;
  }

  /** Starts running jobs in this process, each with the handler of its kind — first the ones the store kept from before. */
  startWorker(handlers: JobHandlers): JobWorker {
    if (this.dispatcher) throw new Error("the in-process worker is already started");
    const dispatcher = new Dispatcher({ kinds: this.options.kinds, handlers, log: this.options.log, observer: this.options.observer });
    this.dispatcher = dispatcher;
    for (const { entry, reason } of this.abandoning.splice(0)) {
      this.failed++;
      this.persist(entry, "remove");
      void dispatcher.abandon(entry.jobId, entry.job, reason);
    }
    this.pump();
    const running = this.running;
    return {
      close: (deadlineMs) => this.stopWorker(dispatcher, deadlineMs),
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
    // Running jobs still write to the store until the worker has stopped (`JobWorker.close` first).
    if (!this.dispatcher || this.stopping) this.store.close();
  }

  /** One pending job per slot: the kind's rule decides between the newcomer and the pending job. */
  private admitToSlot(job: Job, kind: JobKind<Job>, slot: PendingSlot<Job>): EnqueueResult {
    const replay = kind.replayKey(job);
    if (!this.store.rememberReplay(replay, this.replayTtlMs)) return { status: "duplicate", reason: "delivery", jobId: null };
    const key = slot.key(job);
    const current = this.pending.get(key) ?? null;
    // A job waiting for its retry is as replaceable as a queued one.
    const decision = slot.claim(current && { jobId: current.jobId, state: current.state === "running" ? "running" : "queued", job: current.job }, job);
    if (decision.kind === "duplicate") return { status: "duplicate", reason: "head", jobId: decision.pendingJobId };

    const entry = this.newEntry(decision.job, kind, key);
    this.accept(entry, replay);
    const superseded = current ? this.supersede(current, entry.jobId, slot.headOf(decision.job)) : null;
    this.pending.set(key, entry);
    this.start(entry);
    return { status: "queued", jobId: entry.jobId, superseded };
  }

  /** Kinds without a slot are not replaced by newer work: only the same event twice is a duplicate. */
  private admit(job: Job, kind: JobKind<Job>): EnqueueResult {
    const key = kind.replayKey(job);
    if (!this.store.rememberReplay(key, this.replayTtlMs)) return { status: "duplicate", reason: "delivery", jobId: null };
    const entry = this.newEntry(job, kind, key);
    this.accept(entry, key);
    this.start(entry);
    return { status: "queued", jobId: entry.jobId, superseded: null };
  }

  /** A new job waits for its turn, or first for the time its kind says it may start (`notBefore`). */
  private start(entry: Entry): void {
    const wait = (entry.kind.notBefore?.(entry.job) ?? 0) - (this.options.now ?? Date.now)();
    if (wait > 0) return this.scheduleRetry(entry, wait);
    this.waiting.push(entry);
    this.pump();
  }

  private newEntry(job: Job, kind: JobKind<Job>, key: string): Entry {
    return { jobId: this.options.kinds.newJobId(job), key, kind, job, state: "queued", attempts: 0, crashes: 0, timer: null };
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
      this.options.log.error(
        { err, ...this.options.kinds.logFields(entry.jobId, entry.job) },
        "could not write the job journal; the job may not survive a restart",
      );
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
    const kept: (JournalEntry & { kind: JobKind<Job> })[] = [];
    for (const entry of entries) {
      const parsed = this.options.kinds.safeParse(entry.job);
      if (parsed.success) kept.push({ ...entry, job: parsed.job, kind: parsed.kind });
      else unreadable.push({ jobId: entry.jobId, problem: parsed.problem });
    }
    for (const bad of unreadable) {
      this.options.log.error({ jobId: bad.jobId, problem: bad.problem }, "a journaled job could not be read; it is dropped");
      this.store.remove(bad.jobId);
    }
    const maxCrashes = this.options.maxCrashes ?? 2;
    const now = (this.options.now ?? Date.now)();
    // One pending job per slot: of two kept for the same one (the process died between a supersede and the
    // end of the older job), the later one already inherited what it needs from the earlier.
    const latest = new Map<string, string>();
    for (const entry of kept) if (entry.kind.pendingSlot) latest.set(entry.key, entry.jobId);
    for (const { runAfter, ...saved } of kept) {
      const log = this.options.log.child(this.options.kinds.logFields(saved.jobId, saved.job));
      if (saved.kind.pendingSlot && latest.get(saved.key) !== saved.jobId) {
        log.info("journaled job superseded while Longview was down");
        this.store.remove(saved.jobId);
        continue;
      }
      const entry: Entry = { ...saved, state: "queued", timer: null };
      if (saved.state === "running") {
        entry.crashes++;
        if (entry.crashes > maxCrashes) {
          this.abandoning.push({ entry, reason: `the process died ${entry.crashes} times while running it` });
          continue;
        }
        this.persist(entry, { state: "queued", crashes: entry.crashes });
      }
      if (entry.kind.pendingSlot) this.pending.set(entry.key, entry);
      if (saved.state === "delayed" && runAfter !== null && runAfter > now) this.scheduleRetry(entry, runAfter - now);
      else this.waiting.push(entry);
      log.info({ was: saved.state, crashes: entry.crashes }, "journaled job resumed");
    }
  }

  private supersede(old: Entry, byJobId: string, newSha: string): { jobId: string; state: "queued" | "running" } {
    if (old.state === "running") {
      this.dispatcher?.running.abort(old.jobId, new JobSupersededError(newSha, byJobId));
      return { jobId: old.jobId, state: "running" };
    }
    this.unschedule(old);
    this.persist(old, "remove");
    this.options.log.info({ ...this.options.kinds.logFields(old.jobId, old.job), by: byJobId }, "queued job superseded");
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
    const dispatcher = this.dispatcher;
    if (!dispatcher || this.stopping) return;
    const { concurrency, installationConcurrency } = this.options.settings;
    while (this.running.size < concurrency) {
      const i = this.waiting.findIndex((e) => (this.perInstallation.get(e.job.installationId) ?? 0) < installationConcurrency);
      if (i < 0) return;
      const [entry] = this.waiting.splice(i, 1);
      if (entry) this.running.set(entry, this.execute(entry, dispatcher));
    }
  }

  private async execute(entry: Entry, dispatcher: Dispatcher): Promise<void> {
    const installationId = entry.job.installationId;
    this.perInstallation.set(installationId, (this.perInstallation.get(installationId) ?? 0) + 1);
    entry.state = "running";
    entry.attempts++;
    // Written before the body runs: if the process dies now, the next start knows this job was running.
    this.persist(entry, { state: "running", attempts: entry.attempts });
    try {
      const end = await dispatcher.attempt({
        jobId: entry.jobId,
        job: entry.job,
        attempt: entry.attempts,
        maxAttempts: this.options.settings.attempts,
        // A process on its way down runs nothing again, unless the journal keeps the job for the next start.
        canRunAgain: () => this.store.durable || !this.stopping,
        save: async (changes) => {
          entry.job = { ...entry.job, ...changes };
          this.store.update(entry.jobId, { job: entry.job });
        },
      });
      const what = `${entry.job.kind} job`;
      switch (end.kind) {
        case "done":
        case "superseded":
          this.forget(entry);
          break;
        case "handed_back":
          // Only a durable store gets jobs handed back (see `stopWorker`): the next start resumes it.
          end.log.info(`${what} kept in the journal; it resumes when Longview starts again`);
          entry.state = "queued";
          this.persist(entry, { state: "queued" });
          break;
        case "retry":
          if (this.stopping) {
            end.log.warn({ err: end.error, reason: end.reason }, `${what} failed; it is retried when Longview starts again`);
            entry.state = "queued";
            this.persist(entry, { state: "queued" });
          } else {
            const delayMs = retryDelayMs(entry.attempts, this.options.settings.backoffMs, end.retryAfterMs, this.options.random);
            end.log.warn({ err: end.error, reason: end.reason, delayMs }, `${what} failed; retrying`);
            this.scheduleRetry(entry, delayMs);
          }
          break;
        case "failed":
          this.failed++;
          this.forget(entry);
          break;
      }
    } finally {
      const left = (this.perInstallation.get(installationId) ?? 1) - 1;
      if (left > 0) this.perInstallation.set(installationId, left);
      else this.perInstallation.delete(installationId);
      this.running.delete(entry);
      this.pump();
      this.notifyIfIdle();
    }
  }

  private scheduleRetry(entry: Entry, delayMs: number): void {
    entry.state = "delayed";
    this.persist(entry, { state: "delayed", runAfter: (this.options.now ?? Date.now)() + delayMs });
    this.delayed.add(entry);
    entry.timer = setTimeout(() => {
      entry.timer = null;
      this.delayed.delete(entry);
      if ((entry.kind.pendingSlot && this.pending.get(entry.key) !== entry) || this.stopping) return;
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

  /** The job has ended: out of the store, and out of its pending slot unless a newer job already took it. */
  private forget(entry: Entry): void {
    this.persist(entry, "remove");
    if (this.pending.get(entry.key) === entry) this.pending.delete(entry.key);
  }

  private async stopWorker(dispatcher: Dispatcher, deadlineMs: number): Promise<void> {
    this.stopping = true;
    const durable = this.store.durable;
    await dispatcher.stop(
      Promise.allSettled([...this.running.values()]),
      deadlineMs,
      () => (durable ? new JobHandedBackError() : new JobShutdownError()),
      durable ? "shutdown deadline reached; running jobs go back to the journal" : "shutdown deadline reached; aborting running jobs",
    );
    const lost = [...this.waiting, ...this.delayed];
    for (const entry of lost) this.unschedule(entry);
    this.notifyIfIdle();
    this.store.close();
    if (lost.length > 0 && durable) {
      this.options.log.info({ kept: lost.length }, "queued jobs kept in the journal for the next start");
    } else if (lost.length > 0) {
      this.options.log.error(
        { lost: lost.map((e) => this.options.kinds.logFields(e.jobId, e.job)) },
        `${lost.length} queued job(s) dropped at shutdown: the in-process queue is not durable (set REDIS_URL)`,
      );
    }
  }
}

function journalEntry(entry: Entry): JournalEntry {
  const { jobId, key, job, state, attempts, crashes } = entry;
  return { jobId, key, job, state, attempts, crashes, runAfter: null };
}

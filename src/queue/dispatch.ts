import type { Logger } from "pino";
import { NoHandlerError } from "./errors.js";
import { decideFailure, willRetry, type AttemptContext } from "./failure-policy.js";
import type { AttemptRun, Job, JobHandlers, SaveJob } from "./job-kind.js";
import type { JobRegistry } from "./job-registry.js";
import type { FinishedAs, QueueObserver } from "./queue.js";

/**
 * What both queues do with a job, whatever its kind: run one attempt (the
 * kind's hooks, the kind's handler, the failure policy), give up on a job
 * that kept crashing its worker, and stop with a deadline. The queues keep
 * only what differs — where jobs wait, how a retry is scheduled, where a job
 * goes back to at shutdown.
 */

export interface DispatcherOptions {
  readonly kinds: JobRegistry;
  readonly handlers: JobHandlers;
  readonly log: Logger;
  readonly observer?: QueueObserver | undefined;
}

export interface AttemptInput {
  readonly jobId: string;
  readonly job: Job;
  /** 1-based. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly save: SaveJob<Job>;
  /** False once the queue could not run the job again (an in-process queue without a journal, shutting down). */
  readonly canRunAgain?: () => boolean;
}

/** How an attempt ended. Done, superseded and failed are logged and counted here; the queue logs retries and hand-backs its own way. */
export type AttemptEnd = { readonly log: Logger } & (
  | { readonly kind: "done"; readonly outcome: string }
  | { readonly kind: "superseded" }
  | { readonly kind: "handed_back" }
  | { readonly kind: "retry"; readonly error: unknown; readonly reason: string; readonly retryAfterMs: number | null }
  | { readonly kind: "failed"; readonly error: unknown; readonly reason: string }
);

export class Dispatcher {
  /** The attempts running now, by job id: what supersede and shutdown abort. */
  readonly running = new RunningAttempts();

  constructor(private readonly options: DispatcherOptions) {
    // A misspelt kind would otherwise only show as jobs failing with "this worker runs no … jobs".
    const unknown = Object.keys(options.handlers).filter((name) => !options.kinds.names.includes(name));
    if (unknown.length > 0)
      throw new Error(`handlers for kinds of job this queue does not know: ${unknown.join(", ")} (known: ${options.kinds.names.join(", ")})`);
  }

  /** A job log correlated by its kind's fields. */
  logFor(jobId: string, job: Job): Logger {
    return this.options.log.child(this.options.kinds.logFields(jobId, job));
  }

  async attempt(input: AttemptInput): Promise<AttemptEnd> {
    const { jobId, job } = input;
    const kind = this.options.kinds.kindOf(job);
    const controller = this.running.start(jobId);
    const ctx: AttemptContext = { attempt: input.attempt, maxAttempts: input.maxAttempts, signal: controller.signal };
    const canRunAgain = input.canRunAgain ?? (() => true);
    const log = this.logFor(jobId, job).child({ attempt: ctx.attempt });
    const what = `${job.kind} job`;
    const started = performance.now();
    const finished = (as: FinishedAs) => this.options.observer?.jobFinished(as, (performance.now() - started) / 1000);
    try {
      // Yield once, so the queue's bookkeeping holds this attempt before its body runs.
      await Promise.resolve();
      const handler = this.options.handlers[kind.name];
      if (!handler) throw new NoHandlerError(kind.name);
      log.info(`${what} started`);
      const base: AttemptRun = {
        jobId,
        attempt: ctx.attempt,
        maxAttempts: ctx.maxAttempts,
        signal: controller.signal,
        log,
        willRetry: (error) => canRunAgain() && willRetry(error, ctx),
      };
      const outcome = await handler.run(job, kind.attemptRun(base, input.save));
      log.info({ outcome, durationMs: Math.round(performance.now() - started) }, `${what} finished`);
      finished(outcome);
      return { kind: "done", outcome, log };
    } catch (error) {
      const decision = decideFailure(error, ctx);
      if (decision.kind === "superseded") {
        log.info({ newSha: decision.newSha }, `${what} superseded`);
        finished("superseded");
        return { kind: "superseded", log };
      }
      if (decision.kind === "hand_back" && canRunAgain()) {
        finished("handed_back");
        return { kind: "handed_back", log };
      }
      if (decision.kind === "retry" && canRunAgain()) {
        finished("retrying");
        return { kind: "retry", error, reason: decision.reason, retryAfterMs: decision.retryAfterMs, log };
      }
      const reason = decision.kind === "fail" ? decision.reason : "the process is shutting down";
      log.error({ err: error, reason }, `${what} failed`);
      finished("failed");
      return { kind: "failed", error, reason, log };
    } finally {
      this.running.end(jobId, controller);
    }
  }

  /**
   * A job failed for good outside its body (it kept crashing its worker):
   * counted, logged, and handed to its kind's handler to make the failure
   * visible. Never rejects.
   */
  async abandon(jobId: string, job: Job, reason: string, log = this.logFor(jobId, job)): Promise<void> {
    log.error({ reason }, "job abandoned: it kept crashing its worker");
    this.options.observer?.jobFinished("failed", 0);
    try {
      await this.options.handlers[job.kind]?.abandoned?.(job, reason, log);
    } catch (err) {
      log.error({ err }, `could not report the abandoned ${job.kind} job`);
    }
  }

  /**
   * Waits for `drained` (the running jobs finished) at most `deadlineMs`,
   * then aborts what still runs with `reason()` and waits for it to unwind.
   */
  async stop(drained: Promise<unknown>, deadlineMs: number, reason: () => Error, atDeadline: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<"deadline">((resolve) => {
      timer = setTimeout(() => resolve("deadline"), deadlineMs);
    });
    const first = await Promise.race([drained.then(() => "drained" as const), deadline]);
    clearTimeout(timer);
    if (first === "drained") return;
    this.options.log.warn({ running: this.running.size, deadlineMs }, atDeadline);
    this.running.abortAll(reason);
    await drained;
  }
}

/** Abort controllers of the attempts running now, by job id. */
export class RunningAttempts {
  private readonly controllers = new Map<string, AbortController>();

  get size(): number {
    return this.controllers.size;
  }

  start(jobId: string): AbortController {
    const controller = new AbortController();
    this.controllers.set(jobId, controller);
    return controller;
  }

  end(jobId: string, controller: AbortController): void {
    if (this.controllers.get(jobId) === controller) this.controllers.delete(jobId);
  }

  /** False when no attempt of `jobId` runs here. */
  abort(jobId: string, reason: Error): boolean {
    const controller = this.controllers.get(jobId);
    controller?.abort(reason);
    return controller !== undefined;
  }

  abortAll(reason: () => Error): void {
    for (const controller of this.controllers.values()) controller.abort(reason());
  }
}

import type { Logger } from "pino";
import type { CommandJob, CommittedFix, QueueJob, ReviewJob } from "./job.js";

/**
 * The job queue, seen from both ends. Webhook handlers only `enqueue`
 * (validate, enqueue, return); workers run a `JobHandler` for each review
 * job and a `CommandJobHandler` for each `/agent` command job.
 * Two implementations: `InProcessQueue` (embedded default) and the BullMQ
 * pair `RedisReviewQueue` / `RedisReviewWorker` (several app instances and
 * worker processes sharing one Redis).
 */

/** What webhook handlers need: nothing but a place to put the job. */
export interface ReviewIntake {
  enqueue(job: QueueJob): Promise<EnqueueResult>;
}

export type EnqueueResult =
  | {
      readonly status: "queued";
      readonly jobId: string;
      /** The pending job of the same pull request this one replaced (removed if queued, aborted if running). */
      readonly superseded: { readonly jobId: string; readonly state: "queued" | "running" } | null;
    }
  | {
      readonly status: "duplicate";
      /** `delivery`: this webhook delivery was already enqueued; `head`: a pending job already covers this head (reviews only). */
      readonly reason: "delivery" | "head";
      readonly jobId: string | null;
    };

export interface ReviewQueue extends ReviewIntake {
  readonly kind: "in-process" | "redis";
  depth(): Promise<QueueDepth>;
  health(): Promise<QueueHealth>;
  /** Stops accepting jobs and releases connections (workers have their own `close`). */
  close(): Promise<void>;
}

export interface QueueDepth {
  readonly waiting: number;
  readonly active: number;
  /** Waiting for a retry (or for an installation's slot). */
  readonly delayed: number;
  readonly failed: number;
}

export interface QueueHealth {
  readonly ok: boolean;
  readonly queue: ReviewQueue["kind"];
  readonly redis?: "up" | "down";
  readonly error?: string;
}

export interface ReviewWorker {
  /**
   * Stops taking jobs, lets running ones finish until `deadlineMs`, then
   * aborts the rest: the Redis worker hands them back to the queue, the
   * in-process one fails them visibly (there is nobody to hand them to).
   */
  close(deadlineMs: number): Promise<void>;
  readonly running: number;
}

export type JobOutcome = "reviewed" | "skipped" | "superseded";
/** A command job ran to its answer (a refusal included: that is an answer too). */
export type CommandOutcome = "answered";

/** The work. Tests inject fakes; production uses `createReviewJobHandler`. */
export interface JobHandler {
  run(job: ReviewJob, run: JobRun): Promise<JobOutcome>;
  /**
   * The job failed for good without its body reporting it (its worker kept
   * crashing until the stall limit): make the failure visible to the user.
   */
  abandoned?(job: ReviewJob, reason: string, log: Logger): Promise<void>;
}

/** The body of `/agent` command jobs (`createCommandJobHandler`). */
export interface CommandJobHandler {
  run(job: CommandJob, run: CommandJobRun): Promise<CommandOutcome>;
}

/** One attempt of a job, whatever its kind. */
export interface AttemptRun {
  readonly jobId: string;
  /** 1-based. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Fires when a newer job supersedes this one, or at shutdown; see `errors.ts` for the reasons. */
  readonly signal: AbortSignal;
  /** Correlated: delivery id, job id, repository, pull request, attempt. */
  readonly log: Logger;
  /** True when the queue will run this job again after this error: do not report it as final. */
  willRetry(error: unknown): boolean;
}

export interface CommandJobRun extends AttemptRun {
  /**
   * Saves how far the fix's commit got (`committing` before the branch
   * moves, `committed` once it holds the commit), replacing the value saved
   * before. Resolves only once the value is durable — as durable as the job
   * itself: every later attempt of this job (a retry, or a recovery after a
   * crash or a restart) must see it as `job.committed`. Rejects when it could
   * not be saved: the caller then does not move the branch.
   */
  saveCommitted(committed: CommittedFix): Promise<void>;
}

export interface JobRun extends AttemptRun {
  /** Remembers the job's check run, so a retry (or a worker recovering after a crash) completes the same run. */
  saveCheckRunId(checkRunId: number): Promise<void>;
}

/** Counters the queues report to (the Prometheus metrics implement it). */
export interface QueueObserver {
  enqueued(result: EnqueueResult): void;
  jobFinished(outcome: FinishedAs, durationSeconds: number): void;
}

export type FinishedAs = JobOutcome | CommandOutcome | "failed" | "retrying" | "handed_back";

export interface QueueSettings {
  /** Jobs run at once by one worker process. */
  readonly concurrency: number;
  /** Jobs of one installation run at once (across all workers with Redis). */
  readonly installationConcurrency: number;
  /** Attempts per job, the first included. */
  readonly attempts: number;
  /** Backoff before the first retry; doubles for each later one. */
  readonly backoffMs: number;
}

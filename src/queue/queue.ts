import type { Job } from "./job-kind.js";
import type { QueueJob } from "./kinds/index.js";

/**
 * The job queue, seen from both ends. Webhook handlers only `enqueue`
 * (validate, enqueue, return); workers run each job with the handler of its
 * kind (`JobHandlers`, kinds in job-kind.ts). Two implementations:
 * `InProcessQueue` (embedded default) and the BullMQ pair `RedisJobQueue` /
 * `RedisJobWorker` (several app instances and worker processes sharing one
 * Redis). What they share, whatever the kind, is in dispatch.ts.
 */

/** What webhook handlers and commands need: a place to put the application's jobs (reviews, commands). */
export interface JobIntake {
  enqueue(job: QueueJob): Promise<EnqueueResult>;
}

export type EnqueueResult =
  | {
      readonly status: "queued";
      readonly jobId: string;
      /** The pending job of the same slot (a review's pull request) this one replaced (removed if queued, aborted if running). */
      readonly superseded: { readonly jobId: string; readonly state: "queued" | "running" } | null;
    }
  | {
      readonly status: "duplicate";
      /** `delivery`: this event was already enqueued; `head`: a pending job already covers it (kinds with a pending slot). */
      readonly reason: "delivery" | "head";
      readonly jobId: string | null;
    };

/** A queue takes any job of the kinds it was given (its registry validates them). */
export interface JobQueue extends JobIntake {
  readonly kind: "in-process" | "redis";
  enqueue(job: Job): Promise<EnqueueResult>;
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
  readonly queue: JobQueue["kind"];
  readonly redis?: "up" | "down";
  readonly error?: string;
}

export interface JobWorker {
  /**
   * Stops taking jobs, lets running ones finish until `deadlineMs`, then
   * aborts the rest: the Redis worker hands them back to the queue, the
   * in-process one keeps them in its journal, or fails them visibly when it
   * has none (there is nobody to hand them to).
   */
  close(deadlineMs: number): Promise<void>;
  readonly running: number;
}

/** Counters the queues report to (the Prometheus metrics implement it). */
export interface QueueObserver {
  enqueued(result: EnqueueResult): void;
  jobFinished(outcome: FinishedAs, durationSeconds: number): void;
}

/** The handler's outcome (`reviewed`, `skipped`, `answered`, …), or how the attempt ended without one. */
export type FinishedAs = string;

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

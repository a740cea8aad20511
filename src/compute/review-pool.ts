import { availableParallelism } from "node:os";
import type { Logger } from "pino";
import type { Analyzer } from "../analyzers/analyzer.js";
import { DEFAULT_ANALYZER_NAMES } from "../analyzers/index.js";
import type { PlanWindows } from "../review/plan-windows.js";
import { REVIEW_TASK_ERRORS, REVIEW_TASKS, type ReviewTasks } from "./review-tasks.js";
import { WorkerPool, workerScript } from "./worker-pool.js";

/**
 * The app's review stages on worker threads: the default analyzers and
 * window planning, behind the same interfaces the pipeline uses inline
 * (`Analyzer`, `PlanWindows`), so `runReview` does not know where they run.
 */

export type ReviewPool = WorkerPool<ReviewTasks>;

export interface ReviewPoolOptions {
  readonly threads: number;
  readonly taskTimeoutMs: number;
  readonly log: Logger;
  /** Idle threads are stopped after this long (default REVIEW_THREAD_IDLE_MS). */
  readonly idleTimeoutMs?: number;
}

/**
 * A review thread holds ESLint, the parsers and the tokenizer (well over 100 MiB): kept through a burst of
 * reviews, given back when the process has had no review for this long. A review warms the pool as it
 * starts, so a thread started again costs no time the review waits for.
 */
export const REVIEW_THREAD_IDLE_MS = 10_000;

export function createReviewPool(options: ReviewPoolOptions): ReviewPool {
  return new WorkerPool(REVIEW_TASKS, {
    script: workerScript("review-worker", import.meta.url),
    threads: options.threads,
    taskTimeoutMs: options.taskTimeoutMs,
    log: options.log,
    knownErrors: REVIEW_TASK_ERRORS,
    idleTimeoutMs: options.idleTimeoutMs ?? REVIEW_THREAD_IDLE_MS,
  });
}

/** LONGVIEW_COMPUTE_THREADS, or by default one core fewer than the machine has (at least 1, at most 4): one stays with the event loop. */
export function computeThreads(configured: number | undefined): number {
  return configured ?? Math.max(1, Math.min(4, availableParallelism() - 1));
}

/** `createDefaultAnalyzers()`, each running on the pool. */
export function pooledAnalyzers(pool: ReviewPool): Analyzer[] {
  return DEFAULT_ANALYZER_NAMES.map((name) => ({
    name,
    analyze: (input, signal) =>
      pool.run(
        "analyze",
        {
          analyzer: name,
          files: [...input.files],
          headContents: new Map(input.headContents),
          filter: input.filter,
          ...(input.impact ? { impact: input.impact } : {}),
        },
        { ...(signal ? { signal } : {}), ...(input.log ? { log: input.log } : {}) },
      ),
  }));
}

/** `planWindows` on the pool. */
export function pooledPlanWindows(pool: ReviewPool): PlanWindows {
  return (request, signal) =>
    pool.run(
      "plan",
      {
        changeSet: { files: [...request.changeSet.files], skipped: [...request.changeSet.skipped], headContents: new Map(request.changeSet.headContents) },
        pr: request.pr,
        guidelines: request.guidelines,
        budget: request.budget,
        options: request.options,
        redact: request.redact,
        flaggedSecrets: [...request.flaggedSecrets],
      },
      signal ? { signal } : {},
    );
}

import { availableParallelism } from "node:os";
import type { Logger } from "pino";
import type { Analyzer, AnalyzerInput } from "../analyzers/analyzer.js";
import { extensionOf } from "../analyzers/analyzable-files.js";
import { TS_EXTENSIONS } from "../analyzers/eslint/extensions.js";
import { DEFAULT_ANALYZER_NAMES, IMPACT_FREE_ANALYZER_NAMES } from "../analyzers/index.js";
import { changedLineCount, type ChangedFile } from "../domain/change-set.js";
import { planWindows, type PlanWindows } from "../review/plan-windows.js";
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
 * A review thread holds ESLint, the parsers and the token vocabulary (some 60–100 MiB): kept through a burst of
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
    ignoresImpact: IMPACT_FREE_ANALYZER_NAMES.has(name),
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

/**
 * How much a change may hold for its analyzers and window planning to run on the event loop instead of a
 * thread. Handing a few files to a thread costs more than the work when the thread must first start and
 * load ESLint, the parsers and the tokenizer (a second or more on a busy machine); on the event loop a
 * change this size takes some tens of milliseconds, plus, once per process, loading what it needs there
 * (0.2–0.3 s: nothing is loaded before the first job, so an idle server stays small). Head bytes bound it
 * because ESLint and planning read whole files, not only the diff. TypeScript always goes to a thread: its
 * parser (with the compiler, ~150 MiB) is loaded only there.
 */
export const INLINE_STAGES = { files: 8, changedLines: 200, headBytes: 48 * 1024 } as const;

export interface ChangeSize {
  readonly files: number;
  readonly changedLines: number;
}

/** Whether a pull request of this size is small enough for its stages to run on the event loop (it then starts no thread). */
export function fitsInline(size: ChangeSize): boolean {
  return size.files <= INLINE_STAGES.files && size.changedLines <= INLINE_STAGES.changedLines;
}

/** Whether these files, with their head contents, are analyzed and planned on the event loop. */
export function runsInline(files: readonly ChangedFile[], headContents: ReadonlyMap<string, string>): boolean {
  if (!fitsInline({ files: files.length, changedLines: files.reduce((n, f) => n + changedLineCount(f), 0) })) return false;
  if (files.some((f) => TS_EXTENSIONS.has(extensionOf(f.path)))) return false;
  let bytes = 0;
  for (const f of files) bytes += headContents.get(f.path)?.length ?? 0;
  return bytes <= INLINE_STAGES.headBytes;
}

/** The default analyzers on the pool, or on the event loop (`inline`, the same analyzers) for an input `runsInline` admits. */
export function stagedAnalyzers(pool: ReviewPool, inline: readonly Analyzer[]): Analyzer[] {
  const pooled = pooledAnalyzers(pool);
  return pooled.map((analyzer) => {
    const here = inline.find((a) => a.name === analyzer.name);
    if (!here) return analyzer;
    return {
      name: analyzer.name,
      ignoresImpact: analyzer.ignoresImpact ?? false,
      analyze: (input: AnalyzerInput, signal?: AbortSignal) =>
        runsInline(input.files, input.headContents) ? here.analyze(input, signal) : analyzer.analyze(input, signal),
    };
  });
}

/** `planWindows` on the pool, or on the event loop for a change `runsInline` admits. */
export function stagedPlanWindows(pool: ReviewPool): PlanWindows {
  const pooled = pooledPlanWindows(pool);
  return (request, signal) => (runsInline(request.changeSet.files, request.changeSet.headContents) ? planWindows(request, signal) : pooled(request, signal));
}

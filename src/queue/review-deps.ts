import type { Logger } from "pino";
import { createReviewer } from "../agent/index.js";
import { createDefaultAnalyzers } from "../analyzers/index.js";
import { computeThreads, createReviewPool, pooledAnalyzers, pooledPlanWindows } from "../compute/review-pool.js";
import type { Env } from "../config/env.js";
import { meterReviewer, type UsageSink } from "../ops/meter-reviewer.js";
import type { ReviewDeps } from "../review/review-pull-request.js";
import { limitReviewer } from "./limit-reviewer.js";
import { Semaphore } from "./semaphore.js";

/**
 * What a process that runs review jobs needs: the analyzers and the model
 * reviewer, metered (tokens, cost) and capped at LONGVIEW_MODEL_CONCURRENCY
 * calls in flight for the whole process (`modelSlots`: pass the semaphore
 * the fix model uses too, so reviews and fixes share the cap). The analyzers
 * and window planning run on LONGVIEW_COMPUTE_THREADS worker threads; `close`
 * stops them.
 */
export function createReviewDeps(env: Env, log: Logger, usage: UsageSink, modelSlots = new Semaphore(env.LONGVIEW_MODEL_CONCURRENCY)): ReviewDeps & { close(): Promise<void> } {
  const model = createReviewer(env, log);
  const reviewer = model ? limitReviewer(meterReviewer(model, usage), modelSlots) : null;
  const threads = computeThreads(env.LONGVIEW_COMPUTE_THREADS);
  if (threads === 0) return { env, reviewer, analyzers: createDefaultAnalyzers({ log }), close: async () => undefined };
  // Analyzers and window planning on worker threads: a large pull request must not hold the event loop.
  const pool = createReviewPool({ threads, taskTimeoutMs: env.LONGVIEW_COMPUTE_TASK_TIMEOUT_MS, log: log.child({ component: "compute" }) });
  return { env, reviewer, analyzers: pooledAnalyzers(pool), planWindows: pooledPlanWindows(pool), close: () => pool.close() };
}

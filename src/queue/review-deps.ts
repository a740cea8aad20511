import type { Logger } from "pino";
import { createDefaultAnalyzers } from "../analyzers/index.js";
import { computeThreads, createReviewPool, pooledAnalyzers, pooledPlanWindows } from "../compute/review-pool.js";
import type { Env } from "../config/env.js";
import type { ModelClient } from "../model/index.js";
import type { ReviewDeps } from "../review/review-pull-request.js";
import { createReviewer } from "../reviewer/index.js";

/**
 * What a process that runs review jobs needs: the analyzers and the model
 * reviewer on the process's model client (null in offline mode), which
 * meters every call and caps the calls in flight for reviews and fixes
 * together. The analyzers and window planning run on
 * LONGVIEW_COMPUTE_THREADS worker threads; `close` stops them.
 */
export function createReviewDeps(env: Env, log: Logger, model: ModelClient | null): ReviewDeps & { close(): Promise<void> } {
  const reviewer = model && createReviewer(model, log);
  const threads = computeThreads(env.LONGVIEW_COMPUTE_THREADS);
  if (threads === 0) return { env, reviewer, analyzers: createDefaultAnalyzers({ log }), close: async () => undefined };
  // Analyzers and window planning on worker threads: a large pull request must not hold the event loop.
  const pool = createReviewPool({ threads, taskTimeoutMs: env.LONGVIEW_COMPUTE_TASK_TIMEOUT_MS, log: log.child({ component: "compute" }) });
  return { env, reviewer, analyzers: pooledAnalyzers(pool), planWindows: pooledPlanWindows(pool), close: () => pool.close() };
}

import type { Logger } from "pino";
import { createReviewer } from "../agent/index.js";
import { createDefaultAnalyzers } from "../analyzers/index.js";
import type { Env } from "../config/env.js";
import { meterReviewer, type UsageSink } from "../ops/meter-reviewer.js";
import type { ReviewDeps } from "../review/review-pull-request.js";
import { limitReviewer } from "./limit-reviewer.js";
import { Semaphore } from "./semaphore.js";

/**
 * What a process that runs review jobs needs: the analyzers and the model
 * reviewer, metered (tokens, cost) and capped at LONGVIEW_MODEL_CONCURRENCY
 * calls in flight for the whole process.
 */
export function createReviewDeps(env: Env, log: Logger, usage: UsageSink): ReviewDeps {
  const model = createReviewer(env, log);
  const reviewer = model ? limitReviewer(meterReviewer(model, usage), new Semaphore(env.LONGVIEW_MODEL_CONCURRENCY)) : null;
  return { env, reviewer, analyzers: createDefaultAnalyzers({ log }) };
}

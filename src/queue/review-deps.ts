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
 * calls in flight for the whole process (`modelSlots`: pass the semaphore
 * the fix model uses too, so reviews and fixes share the cap).
 */
export function createReviewDeps(env: Env, log: Logger, usage: UsageSink, modelSlots = new Semaphore(env.LONGVIEW_MODEL_CONCURRENCY)): ReviewDeps {
  const model = createReviewer(env, log);
  const reviewer = model ? limitReviewer(meterReviewer(model, usage), modelSlots) : null;
  return { env, reviewer, analyzers: createDefaultAnalyzers({ log }) };
}

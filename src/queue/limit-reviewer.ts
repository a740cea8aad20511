import type { Reviewer } from "../agent/reviewer.js";
import type { Semaphore } from "./semaphore.js";

/**
 * Caps model calls in flight across every job of this process (each job
 * already runs its windows LONGVIEW_WINDOW_CONCURRENCY at a time). With Redis
 * the cap is per worker process: N workers make at most N × the limit calls.
 * A window waiting for a slot gives up when its job is aborted.
 */
export function limitReviewer(reviewer: Reviewer, semaphore: Semaphore): Reviewer {
  return {
    model: reviewer.model,
    review: (window, evidence, signal) => semaphore.use(() => reviewer.review(window, evidence, signal), signal),
  };
}

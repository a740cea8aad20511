import { ModelError } from "../agent/errors.js";
import type { Reviewer, TokenUsage } from "../agent/reviewer.js";

export type UsageSink = (model: string, usage: TokenUsage, calls: number) => void;

/**
 * Counts every window's tokens and calls, including what a failed window
 * spent (model errors carry it), so cost metrics do not undercount failures.
 */
export function meterReviewer(reviewer: Reviewer, sink: UsageSink): Reviewer {
  return {
    model: reviewer.model,
    async review(window, evidence, signal) {
      try {
        const review = await reviewer.review(window, evidence, signal);
        sink(reviewer.model, review.usage, review.calls);
        return review;
      } catch (error) {
        if (error instanceof ModelError) sink(reviewer.model, error.usage, error.calls);
        throw error;
      }
    },
  };
}

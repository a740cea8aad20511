import { JobHandedBackError, JobSupersededError } from "./errors.js";
import { classifyError } from "../review/failure-class.js";

/**
 * What becomes of a job whose attempt threw. Both queues apply the same
 * policy, and the job body asks it (`willRetry`) before failing the check
 * run, so a run is never shown as failed while a retry is pending.
 */

export type FailureDecision =
  | { readonly kind: "superseded"; readonly newSha: string }
  | { readonly kind: "hand_back" }
  | { readonly kind: "retry"; readonly reason: string; readonly retryAfterMs: number | null }
  | { readonly kind: "fail"; readonly reason: string };

export interface AttemptContext {
  /** 1-based. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly signal: AbortSignal;
}

export function decideFailure(error: unknown, ctx: AttemptContext): FailureDecision {
  // Once the signal fired, whatever the body threw (an AbortError, a wrapped abort) is a consequence of that.
  if (ctx.signal.aborted) {
    const reason: unknown = ctx.signal.reason;
    if (reason instanceof JobSupersededError) return { kind: "superseded", newSha: reason.newSha };
    if (reason instanceof JobHandedBackError) return { kind: "hand_back" };
    return { kind: "fail", reason: reason instanceof Error ? reason.message : "aborted" };
  }
  const failure = classifyError(error);
  if (failure.transient && ctx.attempt < ctx.maxAttempts) {
    return { kind: "retry", reason: failure.reason, retryAfterMs: failure.retryAfterMs };
  }
  const attempts = ctx.attempt > 1 ? ` after ${ctx.attempt} attempts` : "";
  return { kind: "fail", reason: `${failure.reason}${attempts}` };
}

/** True when another attempt follows this failure (a retry, or another worker after a hand-back). */
export function willRetry(error: unknown, ctx: AttemptContext): boolean {
  const kind = decideFailure(error, ctx).kind;
  return kind === "retry" || kind === "hand_back";
}

/**
 * Exponential backoff with ±20 % jitter (so workers that failed together do
 * not retry together), never shorter than what the server asked for.
 * `failedAttempts` is 1 after the first failure.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, retryAfterMs: number | null, random: () => number = Math.random): number {
  const exponential = baseMs * 2 ** Math.max(0, failedAttempts - 1);
  const jittered = Math.round(exponential * (0.8 + 0.4 * random()));
  return Math.max(jittered, retryAfterMs ?? 0);
}

import type { Finding } from "../domain/finding.js";
import type { MemoryNote, Window } from "../domain/window.js";

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
}

export interface WindowReview {
  readonly findings: readonly Finding[];
  /** Short notes for later windows (changed APIs, invariants, suspicions). */
  readonly notes: readonly MemoryNote[];
  readonly usage: TokenUsage;
  /** Model calls made for this window (retries and repairs included). */
  readonly calls: number;
}

/** The model-backed reviewer of one window. Analyzer findings arrive as evidence. */
export interface Reviewer {
  readonly model: string;
  review(window: Window, evidence: readonly Finding[], signal?: AbortSignal): Promise<WindowReview>;
}

export const ZERO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 };

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

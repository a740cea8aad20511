import type { Finding } from "../domain/finding.js";
import type { MemoryNote, Window } from "../domain/window.js";
import type { TokenUsage } from "../model/index.js";

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

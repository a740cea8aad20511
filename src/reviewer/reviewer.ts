import type { Finding } from "../domain/finding.js";
import type { MemoryNote, Window } from "../domain/window.js";
import type { TokenUsage } from "../model/index.js";
import type { SurveyPass } from "./survey/survey-pass.js";
import type { SynthesisPass } from "./synthesis/synthesis-pass.js";

export interface WindowReview {
  readonly findings: readonly Finding[];
  /** Short notes for later windows (changed APIs, invariants, suspicions). */
  readonly notes: readonly MemoryNote[];
  readonly usage: TokenUsage;
  /** Model calls made for this window (retries and repairs included). */
  readonly calls: number;
}

/**
 * The model-backed reviewer of one window (analyzer findings arrive as
 * evidence), with the passes around the windows: the survey before them and
 * the synthesis after them, each absent when switched off (LONGVIEW_SURVEY,
 * LONGVIEW_SYNTHESIS).
 */
export interface Reviewer {
  readonly model: string;
  review(window: Window, evidence: readonly Finding[], signal?: AbortSignal): Promise<WindowReview>;
  readonly survey?: SurveyPass;
  readonly synthesis?: SynthesisPass;
}

import type { Finding } from "../domain/finding.js";
import type { MemoryNote, Window } from "../domain/window.js";
import type { ModelToolSet, TokenUsage, ToolUsage } from "../model/index.js";
import type { ModelFindingFunnel } from "./evidence.js";
import type { SurveyPass } from "./survey/survey-pass.js";
import type { SynthesisPass } from "./synthesis/synthesis-pass.js";
import type { VerificationPass } from "./verification/verification-pass.js";

export interface WindowReview {
  readonly findings: readonly Finding[];
  /** Short notes for later windows (changed APIs, invariants, suspicions). */
  readonly notes: readonly MemoryNote[];
  readonly usage: TokenUsage;
  /** Model calls made for this window (retries, tool-loop turns and repairs included). */
  readonly calls: number;
  /** What the window's tool loop ran and spent; absent when the window was reviewed without tools. */
  readonly tools?: ToolUsage;
  /** Findings the model answered and what validation dropped or moved (reviewer/evidence.ts); absent: nothing was checked. */
  readonly funnel?: ModelFindingFunnel;
}

/**
 * The tools one window may use (repository reads, search, definitions and
 * references, expanding folded code), with an optional budget override.
 * Built per window by the caller, so a tool can be bound to the window's
 * repository snapshot and files.
 */
export type WindowTools = ModelToolSet;

/**
 * The model-backed reviewer of one window (analyzer findings arrive as
 * evidence), with the passes around the windows: the survey before them and
 * the synthesis and the verification of candidate findings after them, each
 * absent when switched off (LONGVIEW_SURVEY, LONGVIEW_SYNTHESIS, LONGVIEW_VERIFICATION).
 */
export interface Reviewer {
  readonly model: string;
  /** With `tools`, the window is reviewed as a tool-using agent. */
  review(window: Window, evidence: readonly Finding[], signal?: AbortSignal, tools?: WindowTools): Promise<WindowReview>;
  readonly survey?: SurveyPass;
  readonly synthesis?: SynthesisPass;
  readonly verification?: VerificationPass;
}

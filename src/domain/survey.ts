/**
 * Survey: the pull request at a glance, written by a cheap pass over the diff
 * before any window is reviewed. Every window carries it as memory, the
 * synthesis pass reads it, and the review body shows its file summaries.
 * All text is model output: untrusted, one line each, bounded.
 */

export interface FileSummary {
  readonly path: string;
  /** What the change does to this file, one line. */
  readonly summary: string;
}

export interface SurveyApiChange {
  readonly path: string;
  /** The function, type, endpoint or setting whose contract changed. */
  readonly symbol: string;
  /** How it changed (signature, behaviour, removal), one line. */
  readonly change: string;
}

export interface SurveyRisk {
  readonly path: string | null;
  /** Something the window reviewers should check, one line. */
  readonly text: string;
}

export interface Survey {
  /** In the change set's file order; files the survey did not reach are absent. */
  readonly files: readonly FileSummary[];
  readonly apiChanges: readonly SurveyApiChange[];
  readonly risks: readonly SurveyRisk[];
}

export const EMPTY_SURVEY: Survey = { files: [], apiChanges: [], risks: [] };

import type { Survey } from "../../domain/survey.js";
import type { MemoryNote } from "../../domain/window.js";

export const SURVEY_NOTE_SOURCE = "survey";

/**
 * The pull request's memory, given to every window ahead of windows' notes, in
 * priority order: deterministic notes (computed, so trusted most), the survey's
 * API changes, its risks, then its one-line file summaries. `withMemory` keeps
 * as many as fit, in this order.
 */
export function pullRequestMemory(survey: Survey | null, deterministicNotes: readonly MemoryNote[] = []): MemoryNote[] {
  if (survey === null) return [...deterministicNotes];
  return [
    ...deterministicNotes,
    ...survey.apiChanges.map((a): MemoryNote => ({ kind: "api-change", path: a.path, text: `${a.symbol}: ${a.change}`, windowId: SURVEY_NOTE_SOURCE })),
    ...survey.risks.map((r): MemoryNote => ({ kind: "suspicion", path: r.path, text: r.text, windowId: SURVEY_NOTE_SOURCE })),
    ...survey.files.map((f): MemoryNote => ({ kind: "summary", path: f.path, text: f.summary, windowId: SURVEY_NOTE_SOURCE })),
  ];
}

import type { SurveyApiChange, FileSummary, Survey, SurveyRisk } from "../../domain/survey.js";
import type { SurveyOutput } from "./survey-schema.js";

/**
 * The survey's answers → one Survey: only files the batch showed, one line
 * per text, bounded counts, no duplicates, in the order the files were shown.
 * Pure; what was dropped is returned for the caller to log.
 */

export const SURVEY_OUTPUT_LIMITS = {
  summaryChars: 200,
  symbolChars: 120,
  changeChars: 240,
  riskChars: 240,
  apiChangesPerBatch: 20,
  risksPerBatch: 6,
  apiChanges: 60,
  risks: 12,
} as const;

export function validateSurveyBatch(output: SurveyOutput, shownPaths: readonly string[]): { readonly survey: Survey; readonly problems: readonly string[] } {
  const shown = new Set(shownPaths);
  const problems: string[] = [];
  const L = SURVEY_OUTPUT_LIMITS;

  const summaries = new Map<string, string>();
  for (const raw of output.files) {
    const summary = oneLine(raw.summary, L.summaryChars);
    if (!shown.has(raw.path)) problems.push(`dropped a summary for a file not in the batch: ${oneLine(raw.path, 120)}`);
    else if (summary !== "" && !summaries.has(raw.path)) summaries.set(raw.path, summary);
  }
  const files: FileSummary[] = shownPaths.flatMap((path) => {
    const summary = summaries.get(path);
    return summary === undefined ? [] : [{ path, summary }];
  });

  const apiChanges: SurveyApiChange[] = [];
  for (const raw of output.api_changes) {
    const symbol = oneLine(raw.symbol, L.symbolChars);
    const change = oneLine(raw.change, L.changeChars);
    if (!shown.has(raw.path)) problems.push(`dropped an API change in a file not in the batch: ${oneLine(raw.path, 120)}`);
    else if (symbol !== "" && change !== "") apiChanges.push({ path: raw.path, symbol, change });
  }
  if (apiChanges.length > L.apiChangesPerBatch) {
    problems.push(`kept the first ${L.apiChangesPerBatch} of ${apiChanges.length} API changes`);
    apiChanges.length = L.apiChangesPerBatch;
  }

  const risks: SurveyRisk[] = [];
  for (const raw of output.risks) {
    const text = oneLine(raw.text, L.riskChars);
    const path = raw.path === null || !shown.has(raw.path) ? null : raw.path;
    if (text !== "") risks.push({ path, text });
  }
  if (risks.length > L.risksPerBatch) {
    problems.push(`kept the first ${L.risksPerBatch} of ${risks.length} risks`);
    risks.length = L.risksPerBatch;
  }
  return { survey: { files, apiChanges, risks }, problems };
}

/** Batches' surveys in batch order → one survey, within the overall limits. */
export function mergeSurveys(parts: readonly Survey[]): Survey {
  return {
    files: parts.flatMap((p) => p.files),
    apiChanges: parts.flatMap((p) => p.apiChanges).slice(0, SURVEY_OUTPUT_LIMITS.apiChanges),
    risks: parts.flatMap((p) => p.risks).slice(0, SURVEY_OUTPUT_LIMITS.risks),
  };
}

/** First non-empty line, whitespace collapsed, cut to `max` characters. */
export function oneLine(text: string, max: number): string {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
  const flat = first.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

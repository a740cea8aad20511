import type { Scores } from "./metrics.js";
import type { CaseResult, EvalResult } from "./result.js";

/**
 * Two runs' results → what moved: scores overall and per category, severity
 * and language; spend; the settings that differ; and the cases whose
 * outcome changed. Deltas are `after − before`, null when either side has no
 * value (e.g. no findings, so no precision).
 */

export interface ScoreDelta {
  readonly key: string;
  readonly before: Scores | null;
  readonly after: Scores | null;
  readonly recall: number | null;
  readonly precision: number | null;
  readonly f1: number | null;
}

export interface CaseOutcome {
  readonly matched: number;
  readonly missed: number;
  readonly falsePositives: number;
}

export interface CaseChange {
  readonly id: string;
  /** Null when the case is new in the later run. */
  readonly before: CaseOutcome | null;
  /** Null when the case is gone from the later run. */
  readonly after: CaseOutcome | null;
}

export interface NumberDelta {
  readonly before: number | null;
  readonly after: number | null;
  readonly delta: number | null;
}

export interface Comparison {
  /** `setting: before → after` for every setting that differs. */
  readonly settings: readonly string[];
  readonly overall: ScoreDelta;
  /** The overall scores before verification (key `before verification`); null unless both runs have them. */
  readonly beforeVerification: ScoreDelta | null;
  readonly byCategory: readonly ScoreDelta[];
  readonly bySeverity: readonly ScoreDelta[];
  readonly byLanguage: readonly ScoreDelta[];
  readonly costUsd: NumberDelta;
  readonly inputTokens: NumberDelta;
  readonly outputTokens: NumberDelta;
  readonly modelCalls: NumberDelta;
  readonly reviewMs: NumberDelta;
  readonly cases: readonly CaseChange[];
}

export function compareResults(before: EvalResult, after: EvalResult): Comparison {
  return {
    settings: settingChanges(before, after),
    overall: scoreDelta("overall", before.overall, after.overall),
    beforeVerification:
      before.beforeVerification && after.beforeVerification
        ? scoreDelta("before verification", before.beforeVerification.overall, after.beforeVerification.overall)
        : null,
    byCategory: deltasOf(before.byCategory, after.byCategory),
    bySeverity: deltasOf(before.bySeverity, after.bySeverity),
    byLanguage: deltasOf(before.byLanguage, after.byLanguage),
    costUsd: numberDelta(before.totals.review.costUsd, after.totals.review.costUsd),
    inputTokens: numberDelta(before.totals.review.usage.inputTokens, after.totals.review.usage.inputTokens),
    outputTokens: numberDelta(before.totals.review.usage.outputTokens, after.totals.review.usage.outputTokens),
    modelCalls: numberDelta(before.totals.review.modelCalls, after.totals.review.modelCalls),
    reviewMs: numberDelta(before.totals.review.durationMs, after.totals.review.durationMs),
    cases: caseChanges(before.cases, after.cases),
  };
}

export function scoreDelta(key: string, before: Scores | null, after: Scores | null): ScoreDelta {
  return {
    key,
    before,
    after,
    recall: difference(before?.recall ?? null, after?.recall ?? null),
    precision: difference(before?.precision ?? null, after?.precision ?? null),
    f1: difference(before?.f1 ?? null, after?.f1 ?? null),
  };
}

function deltasOf(before: Readonly<Record<string, Scores>>, after: Readonly<Record<string, Scores>>): ScoreDelta[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.map((key) => scoreDelta(key, before[key] ?? null, after[key] ?? null));
}

function numberDelta(before: number | null, after: number | null): NumberDelta {
  return { before, after, delta: difference(before, after) };
}

function difference(before: number | null, after: number | null): number | null {
  return before === null || after === null ? null : after - before;
}

function settingChanges(before: EvalResult, after: EvalResult): string[] {
  const fields: [string, unknown, unknown][] = [
    ["dataset", before.dataset, after.dataset],
    ["mode", before.mode, after.mode],
    ["model", before.model, after.model],
    ["judge", before.judgeModel, after.judgeModel],
    ["tolerance", before.tolerance, after.tolerance],
    ["window tokens", before.windowTokens, after.windowTokens],
    ["cases", before.cases.length, after.cases.length],
  ];
  return fields.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name}: ${a ?? "none"} → ${b ?? "none"}`);
}

function caseChanges(before: readonly CaseResult[], after: readonly CaseResult[]): CaseChange[] {
  const earlier = new Map(before.map((c) => [c.id, outcomeOf(c)]));
  const later = new Map(after.map((c) => [c.id, outcomeOf(c)]));
  const ids = [...new Set([...earlier.keys(), ...later.keys()])].sort();
  return ids.map((id) => ({ id, before: earlier.get(id) ?? null, after: later.get(id) ?? null })).filter((change) => !sameOutcome(change.before, change.after));
}

function outcomeOf(c: CaseResult): CaseOutcome {
  return { matched: c.matches.length, missed: c.missed.length, falsePositives: c.falsePositives.length };
}

function sameOutcome(a: CaseOutcome | null, b: CaseOutcome | null): boolean {
  if (a === null || b === null) return a === b;
  return a.matched === b.matched && a.missed === b.missed && a.falsePositives === b.falsePositives;
}

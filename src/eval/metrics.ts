import type { ExpectedIssue } from "./case-schema.js";
import type { MatchableFinding, MatchOutcome } from "./match.js";

/**
 * Recall, precision and F1 from matched cases, micro-averaged: counts are
 * summed over cases first, so a case with many issues weighs more than a
 * clean one. Recall is per expected issue, precision per reported finding —
 * an unmatched finding on a clean case is a false positive like any other.
 * A ratio with nothing to divide by is null ("not measured"), never 0 or 1.
 */

export interface Counts {
  readonly expected: number;
  readonly matchedExpected: number;
  readonly findings: number;
  readonly matchedFindings: number;
}

export interface Scores extends Counts {
  readonly recall: number | null;
  readonly precision: number | null;
  readonly f1: number | null;
}

/** What the metrics need of one case. */
export interface MatchedCase {
  readonly language: string;
  readonly expected: readonly Pick<ExpectedIssue, "category" | "severity">[];
  readonly findings: readonly Pick<MatchableFinding, "category" | "severity">[];
  readonly outcome: Pick<MatchOutcome, "pairs">;
}

export const NO_COUNTS: Counts = { expected: 0, matchedExpected: 0, findings: 0, matchedFindings: 0 };

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    expected: a.expected + b.expected,
    matchedExpected: a.matchedExpected + b.matchedExpected,
    findings: a.findings + b.findings,
    matchedFindings: a.matchedFindings + b.matchedFindings,
  };
}

export function score(counts: Counts): Scores {
  const recall = counts.expected === 0 ? null : counts.matchedExpected / counts.expected;
  const precision = counts.findings === 0 ? null : counts.matchedFindings / counts.findings;
  const f1 = recall === null || precision === null ? null : recall + precision === 0 ? 0 : (2 * recall * precision) / (recall + precision);
  return { ...counts, recall, precision, f1 };
}

export function caseCounts(c: MatchedCase): Counts {
  return { expected: c.expected.length, matchedExpected: c.outcome.pairs.length, findings: c.findings.length, matchedFindings: c.outcome.pairs.length };
}

export function overallScores(cases: readonly MatchedCase[]): Scores {
  return score(cases.map(caseCounts).reduce(addCounts, NO_COUNTS));
}

/**
 * Scores per key: an expected issue counts toward its own key's recall, a
 * finding toward its own key's precision. A P1 issue found by a P2 finding is
 * recalled under P1 and precise under P2.
 */
export function scoresBy(
  cases: readonly MatchedCase[],
  keyOfExpected: (issue: MatchedCase["expected"][number], c: MatchedCase) => string,
  keyOfFinding: (finding: MatchedCase["findings"][number], c: MatchedCase) => string,
): Map<string, Scores> {
  const counts = new Map<string, Counts>();
  const bump = (key: string, delta: Partial<Counts>) => counts.set(key, addCounts(counts.get(key) ?? NO_COUNTS, { ...NO_COUNTS, ...delta }));
  for (const c of cases) {
    const matchedExpected = new Set(c.outcome.pairs.map((p) => p.expected));
    const matchedFindings = new Set(c.outcome.pairs.map((p) => p.finding));
    c.expected.forEach((issue, i) => bump(keyOfExpected(issue, c), { expected: 1, matchedExpected: matchedExpected.has(i) ? 1 : 0 }));
    c.findings.forEach((finding, i) => bump(keyOfFinding(finding, c), { findings: 1, matchedFindings: matchedFindings.has(i) ? 1 : 0 }));
  }
  return new Map([...counts].map(([key, value]) => [key, score(value)]));
}

export function scoresByCategory(cases: readonly MatchedCase[]): Map<string, Scores> {
  return scoresBy(
    cases,
    (e) => e.category,
    (f) => f.category,
  );
}

export function scoresBySeverity(cases: readonly MatchedCase[]): Map<string, Scores> {
  return scoresBy(
    cases,
    (e) => e.severity,
    (f) => f.severity,
  );
}

export function scoresByLanguage(cases: readonly MatchedCase[]): Map<string, Scores> {
  return scoresBy(
    cases,
    (_, c) => c.language,
    (_, c) => c.language,
  );
}

/** Share of matched pairs whose finding has the expected severity; null without matches. */
export function severityAgreement(cases: readonly MatchedCase[]): number | null {
  let agreed = 0;
  let total = 0;
  for (const c of cases) {
    for (const pair of c.outcome.pairs) {
      total++;
      if (c.expected[pair.expected]?.severity === c.findings[pair.finding]?.severity) agreed++;
    }
  }
  return total === 0 ? null : agreed / total;
}

import { severityRank, type Finding } from "../domain/finding.js";
import type { ExpectedIssue } from "./case-schema.js";

/**
 * Which reported findings are which expected issues. A pair is a candidate
 * when the finding is where the issue is (same file, line ranges within
 * `tolerance` lines of each other) and of a compatible category; an optional
 * judge then decides whether the finding describes the issue. Pairs are taken
 * greedily, closest first, so each issue and each finding is used at most once.
 */

export const DEFAULT_TOLERANCE = 3;

export type MatchableFinding = Pick<Finding, "path" | "line" | "startLine" | "side" | "category" | "severity">;

/** How precisely the expected issue is located: lines of a file, a whole file, or anywhere in the change. */
export type MatchScope = "lines" | "file" | "change";

export interface CandidatePair {
  readonly expected: number;
  readonly finding: number;
  readonly scope: MatchScope;
  /** Lines between the two ranges (0 when they overlap); 0 for file and change scope. */
  readonly distance: number;
}

export interface MatchOutcome {
  /** Matched pairs, in the order they were taken. */
  readonly pairs: readonly CandidatePair[];
  readonly missedExpected: readonly number[];
  readonly unmatchedFindings: readonly number[];
}

/** Decides whether finding `finding` describes expected issue `expected` (indices into the matcher's inputs). */
export type PairAcceptor = (pair: CandidatePair) => boolean;

export function isCompatibleCategory(expected: ExpectedIssue["category"], found: Finding["category"]): boolean {
  if (found === "other") return false;
  return expected === "any" || expected === found;
}

/** Lines between two inclusive ranges; 0 when they overlap. */
export function lineGap(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return Math.max(0, bStart - aEnd, aStart - bEnd);
}

/** The pair's scope and distance when the finding is where the issue is, else null. */
export function locate(issue: ExpectedIssue, finding: MatchableFinding, tolerance: number): Pick<CandidatePair, "scope" | "distance"> | null {
  if (issue.path === null) return { scope: "change", distance: 0 };
  if (issue.path !== finding.path) return null;
  if (issue.lineStart === null || issue.lineEnd === null) return { scope: "file", distance: 0 };
  // A finding on a deleted line is numbered in the base version; expected lines are head lines.
  if (finding.side !== "RIGHT") return null;
  const distance = lineGap(issue.lineStart, issue.lineEnd, finding.startLine ?? finding.line, finding.line);
  return distance <= tolerance ? { scope: "lines", distance } : null;
}

/** Every location- and category-compatible pair, closest first. */
export function candidatePairs(expected: readonly ExpectedIssue[], findings: readonly MatchableFinding[], tolerance: number): CandidatePair[] {
  const ranked: { readonly pair: CandidatePair; readonly severityGap: number }[] = [];
  expected.forEach((issue, e) => {
    findings.forEach((finding, f) => {
      if (!isCompatibleCategory(issue.category, finding.category)) return;
      const where = locate(issue, finding, tolerance);
      if (where === null) return;
      // Among equally close findings, the one whose severity agrees best is the likelier match.
      const severityGap = Math.abs(severityRank(issue.severity) - severityRank(finding.severity));
      ranked.push({ pair: { expected: e, finding: f, ...where }, severityGap });
    });
  });
  ranked.sort(
    (a, b) =>
      SCOPE_ORDER[a.pair.scope] - SCOPE_ORDER[b.pair.scope] ||
      a.pair.distance - b.pair.distance ||
      a.severityGap - b.severityGap ||
      a.pair.expected - b.pair.expected ||
      a.pair.finding - b.pair.finding,
  );
  return ranked.map((r) => r.pair);
}

const SCOPE_ORDER: Readonly<Record<MatchScope, number>> = { lines: 0, file: 1, change: 2 };

export function matchFindings(
  expected: readonly ExpectedIssue[],
  findings: readonly MatchableFinding[],
  options: { readonly tolerance: number; readonly accepts?: PairAcceptor },
): MatchOutcome {
  const usedExpected = new Set<number>();
  const usedFindings = new Set<number>();
  const pairs: CandidatePair[] = [];
  for (const pair of candidatePairs(expected, findings, options.tolerance)) {
    if (usedExpected.has(pair.expected) || usedFindings.has(pair.finding)) continue;
    if (options.accepts && !options.accepts(pair)) continue;
    usedExpected.add(pair.expected);
    usedFindings.add(pair.finding);
    pairs.push(pair);
  }
  return {
    pairs,
    missedExpected: expected.map((_, i) => i).filter((i) => !usedExpected.has(i)),
    unmatchedFindings: findings.map((_, i) => i).filter((i) => !usedFindings.has(i)),
  };
}

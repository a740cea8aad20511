import { severityRank, type Finding } from "../domain/finding.js";

/**
 * Self-consistency for the most severe model findings: the same window is
 * reviewed several times independently, and a P0/P1 finding of the first
 * review is kept only when a majority of the reviews report a problem at the
 * same place (same file and side, lines within `LINE_SLACK`). Less severe
 * findings pass untouched: the verification pass checks them all. Pure.
 */

export const LINE_SLACK = 3;

export function isConsistencyCandidate(finding: Finding): boolean {
  return finding.source === "agent" && severityRank(finding.severity) <= severityRank("P1");
}

export function agreedFindings(first: readonly Finding[], others: readonly (readonly Finding[])[]): { readonly kept: Finding[]; readonly dropped: Finding[] } {
  const samples = 1 + others.length;
  const kept: Finding[] = [];
  const dropped: Finding[] = [];
  for (const finding of first) {
    if (!isConsistencyCandidate(finding)) {
      kept.push(finding);
      continue;
    }
    const votes = 1 + others.filter((sample) => sample.some((other) => samePlace(finding, other))).length;
    (votes * 2 > samples ? kept : dropped).push(finding);
  }
  return { kept, dropped };
}

function samePlace(a: Finding, b: Finding): boolean {
  if (a.path !== b.path || a.side !== b.side) return false;
  const aStart = (a.startLine ?? a.line) - LINE_SLACK;
  const bStart = b.startLine ?? b.line;
  return bStart <= a.line + LINE_SLACK && b.line >= aStart;
}

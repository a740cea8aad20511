import type { LineMap } from "../domain/change-set.js";
import { compareFindings, type Finding, type PlacedFinding } from "../domain/finding.js";
import { placeFinding } from "../review/placement.js";
import { needsVerification } from "../review/verification.js";

/**
 * What the review would have posted had verification kept every candidate:
 * the posted findings that never went to the verifier (analyzer findings, and
 * model findings an analyzer corroborated) plus every candidate the verifier
 * was given (`VerificationSummary.candidates`: model findings after merging,
 * `review.suppress` and `review.minSeverity`, before any verdict), placed on
 * the diff exactly as posted findings are. Scoring this set and the posted
 * set with the same matcher gives precision and recall before and after
 * verification; everything upstream (evidence, scope, merging,
 * self-consistency) has already applied to both. Pure.
 */

export function findingsBeforeVerification(posted: readonly PlacedFinding[], candidates: readonly Finding[], lineMap: LineMap): PlacedFinding[] {
  // Placement is per finding (the inline cap only changes where a comment goes, not its lines), so a
  // confirmed candidate lands on the same lines here as in the posted set.
  const placed = candidates.map((c) => placeFinding(c, lineMap));
  return [...posted.filter((f) => !needsVerification(f)), ...placed].sort(compareFindings);
}

/**
 * A finding's identity across the two sets: everything matching looks at, plus
 * what tells two findings on one line apart. Not the verification, which only
 * the posted copy carries.
 */
export function findingKey(f: Pick<Finding, "path" | "line" | "startLine" | "side" | "category" | "severity" | "title" | "source">): string {
  return JSON.stringify([f.path, f.side, f.startLine, f.line, f.category, f.severity, f.source, f.title]);
}

/** Indices into `before` of the findings verification removed: those without a posted counterpart (as a multiset). */
export function droppedByVerification(before: readonly Parameters<typeof findingKey>[0][], posted: readonly Parameters<typeof findingKey>[0][]): number[] {
  const remaining = new Map<string, number>();
  for (const f of posted) remaining.set(findingKey(f), (remaining.get(findingKey(f)) ?? 0) + 1);
  const dropped: number[] = [];
  before.forEach((f, i) => {
    const key = findingKey(f);
    const left = remaining.get(key) ?? 0;
    if (left > 0) remaining.set(key, left - 1);
    else dropped.push(i);
  });
  return dropped;
}

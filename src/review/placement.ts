import type { LineMap } from "../domain/change-set.js";
import type { Finding, PlacedFinding } from "../domain/finding.js";
import { compareFindings } from "../domain/finding.js";

/**
 * Decides where each finding can be posted on GitHub. Order of preference:
 * inline on its own line → inline on the nearest commentable line of the hunk
 * (within `maxShift` lines) → a file-level comment → the review body.
 * Nothing is dropped: a finding that cannot go anywhere else goes in the body.
 */

export const MAX_LINE_SHIFT = 3;

export function placeFinding(reported: Finding, lineMap: LineMap): PlacedFinding {
  // GitHub suggestions apply to the head version only.
  const finding = reported.side === "RIGHT" ? reported : { ...reported, suggestion: null };
  const { path, line, side } = finding;
  if (lineMap.locate(path, line, side)) {
    const startOk = finding.startLine === null || lineMap.isCommentableRange(path, finding.startLine, line, side);
    if (startOk) return { ...finding, placement: "inline", placementNote: null };
    // The range crosses hunks: keep the comment on its last line, drop the range (and a suggestion that needed it).
    return {
      ...finding,
      startLine: null,
      suggestion: null,
      placement: "inline",
      placementNote: `reported for lines ${finding.startLine}-${line}; the range is not inside one diff hunk`,
    };
  }
  const nearest = lineMap.nearestCommentable(path, line, side, MAX_LINE_SHIFT);
  if (nearest !== null) {
    return {
      ...finding,
      line: nearest,
      startLine: null,
      // A suggestion replaces exactly the commented lines; on another line it would be wrong.
      suggestion: null,
      placement: "inline",
      placementNote: `reported for line ${line}, which is not part of the diff`,
    };
  }
  if (lineMap.hasFile(path)) {
    return { ...finding, suggestion: null, placement: "file", placementNote: `reported for line ${line}, outside the diff of this file` };
  }
  return { ...finding, suggestion: null, placement: "body", placementNote: `reported for ${path}:${line}, which is not part of this pull request's diff` };
}

/**
 * Places all findings and applies the inline cap: the most severe findings keep
 * their inline comments, the rest are summarised in the review body.
 */
export function placeFindings(findings: readonly Finding[], lineMap: LineMap, maxInline: number): PlacedFinding[] {
  const placed = [...findings].sort(compareFindings).map((f) => placeFinding(f, lineMap));
  let inline = 0;
  return placed.map((f) => {
    if (f.placement !== "inline") return f;
    inline++;
    if (inline <= maxInline) return f;
    return { ...f, placement: "body", placementNote: `over the limit of ${maxInline} inline comments (review.maxInlineComments)` };
  });
}

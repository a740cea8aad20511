import type { LineMap } from "../domain/change-set.js";
import type { Finding } from "../domain/finding.js";
import type { AnalyzerFilter } from "./analyzer.js";

/** True when the filter lets an analyzer report on this RIGHT-side line. */
export function isAdmitted(lineMap: LineMap, filter: AnalyzerFilter, path: string, line: number): boolean {
  const location = lineMap.locate(path, line, "RIGHT");
  if (location === null) return false;
  return filter === "diff_context" || location.kind === "add";
}

/**
 * The finding as the filter admits it: unchanged when every line of its
 * range is admitted and the range is one commentable block; narrowed to its
 * first admitted line (without a suggestion, which replaced the whole range)
 * when only part is; null when no line is.
 */
export function applyLineFilter(finding: Finding, lineMap: LineMap, filter: AnalyzerFilter): Finding | null {
  if (finding.side === "LEFT") return leftSide(finding, lineMap);
  const first = finding.startLine ?? finding.line;
  const admitted: number[] = [];
  for (let line = first; line <= finding.line; line++) {
    if (isAdmitted(lineMap, filter, finding.path, line)) admitted.push(line);
  }
  if (admitted.length === 0) return null;
  const whole = admitted.length === finding.line - first + 1 && lineMap.isCommentableRange(finding.path, first, finding.line, "RIGHT");
  if (whole) return finding;
  return { ...finding, line: admitted[0]!, startLine: null, suggestion: null };
}

/**
 * A finding on deleted lines (base numbering) is kept whenever its file is
 * part of the diff: deleted lines are part of the change under either filter.
 * On lines the diff shows it stays where it is (narrowed to its last deleted
 * line when the range is not one commentable block); otherwise placement puts
 * it at file level (a file whose diff GitHub does not show).
 */
function leftSide(finding: Finding, lineMap: LineMap): Finding | null {
  if (!lineMap.hasFile(finding.path)) return null;
  const first = finding.startLine ?? finding.line;
  if (first === finding.line || lineMap.isCommentableRange(finding.path, first, finding.line, "LEFT")) return finding;
  return { ...finding, startLine: null, suggestion: null };
}

import type { Side } from "../domain/change-set.js";
import type { Finding } from "../domain/finding.js";
import type { WindowHunk, WindowPlan } from "../domain/window.js";
import { changedRange } from "./hunk-lines.js";

/**
 * Findings on a folded hunk hold for every occurrence of the same change: each
 * finding whose lines lie in a representative's changed span is copied to the
 * same relative lines of every duplicate, on the duplicate's own path. Lines
 * outside the span (leading or trailing context) differ between occurrences
 * and are not copied. Originals come first, each followed by its copies.
 */
export function fanOutFindings(findings: readonly Finding[], plan: WindowPlan): Finding[] {
  const representatives = new Map<string, WindowHunk[]>();
  for (const window of plan.windows) {
    for (const file of window.local.files) {
      for (const windowHunk of file.hunks) {
        if (windowHunk.duplicates.length === 0) continue;
        const list = representatives.get(file.path);
        if (list) list.push(windowHunk);
        else representatives.set(file.path, [windowHunk]);
      }
    }
  }
  const out: Finding[] = [];
  for (const finding of findings) {
    out.push(finding);
    for (const windowHunk of representatives.get(finding.path) ?? []) {
      const span = changedSpan(windowHunk, finding.side);
      if (span === null || !within(span, finding.line) || (finding.startLine !== null && !within(span, finding.startLine))) continue;
      for (const duplicate of windowHunk.duplicates) {
        const delta = duplicate.lineDelta[finding.side];
        out.push({
          ...finding,
          path: duplicate.path,
          line: finding.line + delta,
          startLine: finding.startLine === null ? null : finding.startLine + delta,
        });
      }
      break;
    }
  }
  return out;
}

/** Line numbers (of one side) from the first to the last changed line of the hunk. */
function changedSpan({ hunk }: WindowHunk, side: Side): [number, number] | null {
  const range = changedRange(hunk);
  if (range === null) return null;
  let first: number | null = null;
  let last: number | null = null;
  for (let i = range.first; i <= range.last; i++) {
    const line = hunk.lines[i]!;
    const n = side === "RIGHT" ? line.newLine : line.oldLine;
    if (n === null) continue;
    first ??= n;
    last = n;
  }
  return first === null || last === null ? null : [first, last];
}

function within([first, last]: [number, number], line: number): boolean {
  return line >= first && line <= last;
}

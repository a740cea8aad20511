import type { ChangeSet, SkippedFile } from "../domain/change-set.js";
import type { Coverage, Window } from "../domain/window.js";
import { WindowPlanInvariantError } from "./errors.js";
import { changedLineCount } from "./hunk-lines.js";

/**
 * Coverage from what the windows actually hold: each window's hunk lines,
 * plus the occurrences its folded hunks stand for, plus every skip with its
 * reason. The identity changed = reviewed + skipped is checked, not assumed.
 */
export function computeCoverage(input: {
  readonly changeSet: ChangeSet;
  readonly windows: readonly Window[];
  /** Skips found while planning (whitespace-only hunks, changed lines missing from a patch). */
  readonly planSkips: readonly SkippedFile[];
  /** Changed lines of a folded duplicate, by path and hunk index. */
  readonly duplicateLines: (path: string, hunkIndex: number) => number;
}): Coverage {
  const { changeSet, windows, planSkips } = input;
  const skipped = [...changeSet.skipped, ...planSkips];
  const skippedPaths = new Set(changeSet.skipped.map((s) => s.path));

  let changedLines = 0;
  for (const s of changeSet.skipped) changedLines += s.lines;
  for (const file of changeSet.files) {
    if (skippedPaths.has(file.path)) continue;
    const inHunks = file.hunks.reduce((n, h) => n + changedLineCount(h), 0);
    changedLines += Math.max(inHunks, file.additions + file.deletions);
  }

  let reviewedLines = 0;
  const reviewedPaths = new Set<string>();
  for (const window of windows) {
    for (const file of window.local.files) {
      for (const { hunk, duplicates } of file.hunks) {
        const lines = changedLineCount(hunk);
        reviewedLines += lines;
        if (lines > 0) reviewedPaths.add(file.path);
        for (const d of duplicates) {
          reviewedLines += input.duplicateLines(d.path, d.hunkIndex);
          reviewedPaths.add(d.path);
        }
      }
    }
  }
  const skippedLines = skipped.reduce((n, s) => n + s.lines, 0);
  if (changedLines !== reviewedLines + skippedLines) {
    throw new WindowPlanInvariantError(`coverage does not add up: ${changedLines} changed lines, ${reviewedLines} reviewed + ${skippedLines} skipped`);
  }
  const allPaths = new Set([...changeSet.files.map((f) => f.path), ...changeSet.skipped.map((s) => s.path)]);
  return { changedLines, reviewedLines, skippedLines, skipped, files: allPaths.size, reviewedFiles: reviewedPaths.size };
}

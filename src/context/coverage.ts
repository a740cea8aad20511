import type { ChangeSet, SkippedFile } from "../domain/change-set.js";
import type { Coverage, Window, WindowFile } from "../domain/window.js";
import { WindowPlanInvariantError } from "./errors.js";
import { changedLineCount } from "./hunk-lines.js";
import { summaryShown } from "./render.js";

/**
 * Coverage from what the windows actually hold. A line counts as reviewed
 * only when a window shows it; the occurrences folded hunks stand for, the
 * deleted lines a summary leaves out and the lines of triaged files are
 * counted apart, and every skip comes with its reason. The identity
 * changed = reviewed + folded + summarized + triaged + skipped is checked, not assumed.
 */
export function computeCoverage(input: {
  readonly changeSet: ChangeSet;
  readonly windows: readonly Window[];
  /** Skips found while planning (whitespace-only hunks, changed lines missing from a patch). */
  readonly planSkips: readonly SkippedFile[];
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

  const counts = { reviewed: 0, folded: 0, summarized: 0, triaged: 0 };
  const coveredPaths = new Set<string>();
  for (const window of windows) {
    for (const file of window.local.files) {
      countFile(file, counts);
      if (file.hunks.some((h) => changedLineCount(h.hunk) > 0)) coveredPaths.add(file.path);
      for (const { duplicates } of file.hunks) {
        for (const d of duplicates) {
          counts.folded += changedLineCount(d.hunk);
          coveredPaths.add(d.path);
        }
      }
    }
  }
  const skippedLines = skipped.reduce((n, s) => n + s.lines, 0);
  const accounted = counts.reviewed + counts.folded + counts.summarized + counts.triaged + skippedLines;
  if (changedLines !== accounted) {
    throw new WindowPlanInvariantError(
      `coverage does not add up: ${changedLines} changed lines, ${counts.reviewed} reviewed + ${counts.folded} folded + ${counts.summarized} summarized + ${counts.triaged} triaged + ${skippedLines} skipped`,
    );
  }
  const allPaths = new Set([...changeSet.files.map((f) => f.path), ...changeSet.skipped.map((s) => s.path)]);
  return {
    changedLines,
    reviewedLines: counts.reviewed,
    foldedLines: counts.folded,
    summarizedLines: counts.summarized,
    triagedLines: counts.triaged,
    skippedLines,
    skipped,
    files: allPaths.size,
    reviewedFiles: coveredPaths.size,
  };
}

function countFile(file: WindowFile, counts: { reviewed: number; summarized: number; triaged: number }): void {
  const changed = file.hunks.reduce((n, h) => n + changedLineCount(h.hunk), 0);
  const compacted = file.compacted ?? null;
  if (compacted === null) counts.reviewed += changed;
  else if (compacted.kind === "triaged") counts.triaged += changed;
  else {
    // A summarized file only deletes: the lines its summary shows were seen, the rest were not.
    const { head, tail } = summaryShown(changed);
    counts.reviewed += head + tail;
    counts.summarized += changed - head - tail;
  }
}

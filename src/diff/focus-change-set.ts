import { leavesChangeUnreviewed, type ChangedFile, type ChangeSet, type Hunk } from "../domain/change-set.js";
import { withLineCounts } from "./line-counts.js";

/**
 * An incremental review's targets: the pull request's hunks that the latest
 * pushes touched. `increment` is the diff between the last reviewed head and
 * the new head; the line map stays the whole pull request's, because comments
 * are anchored to the pull request's diff.
 */
export function focusChangeSet(full: ChangeSet, increment: { readonly files: readonly ChangedFile[]; readonly wholeFiles: ReadonlySet<string> }): ChangeSet {
  const touched = new Map(increment.files.map((f) => [f.path, touchedHeadLines(f)]));
  const files: ChangedFile[] = [];
  for (const file of full.files) {
    if (increment.wholeFiles.has(file.path)) {
      files.push(file);
      continue;
    }
    const lines = touched.get(file.path);
    if (!lines) continue;
    const hunks = file.hunks.filter((h) => hunkTouches(h, lines));
    if (hunks.length > 0) files.push(withLineCounts({ ...file, hunks }));
  }
  return {
    files,
    lineMap: full.lineMap,
    // What the pull request leaves unreviewed stays said (and gated) until it is reviewed, whatever the increment touched.
    skipped: full.skipped.filter((s) => touched.has(s.path) || increment.wholeFiles.has(s.path) || leavesChangeUnreviewed(s.reason)),
    headContents: full.headContents,
  };
}

/** Head line numbers the increment added, and where it deleted lines (the head line after the deletion). */
function touchedHeadLines(file: ChangedFile): Set<number> {
  const lines = new Set<number>();
  for (const hunk of file.hunks) {
    let nextHeadLine = hunk.newStart;
    for (const l of hunk.lines) {
      if (l.newLine !== null) {
        if (l.kind === "add") lines.add(l.newLine);
        nextHeadLine = l.newLine + 1;
      } else {
        lines.add(nextHeadLine);
      }
    }
  }
  return lines;
}

function hunkTouches(hunk: Hunk, touched: ReadonlySet<number>): boolean {
  const end = hunk.newStart + Math.max(hunk.newLines, 1);
  for (let line = hunk.newStart; line <= end; line++) if (touched.has(line)) return true;
  return false;
}

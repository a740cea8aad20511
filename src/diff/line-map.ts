import type { ChangedFile, DiffLineKind, LineLocation, LineMap, Side } from "../domain/change-set.js";

/**
 * GitHub accepts a review comment only on a line inside a hunk: added and
 * context lines on RIGHT by new line number, deleted lines on LEFT by old line
 * number (context lines are on LEFT too, by old number). A multi-line comment's
 * start_line must be in the same hunk as its line.
 */
export function buildLineMap(files: readonly ChangedFile[]): LineMap {
  const index = new Map<string, FileIndex>();
  for (const file of files) index.set(file.path, indexFile(file));

  return {
    locate(path, line, side) {
      const entry = index.get(path)?.[side].get(line);
      return entry ? { path, hunkIndex: entry.hunkIndex, kind: entry.kind } : null;
    },
    isCommentableRange(path, startLine, line, side) {
      const sideIndex = index.get(path)?.[side];
      const start = sideIndex?.get(startLine);
      const end = sideIndex?.get(line);
      return start !== undefined && end !== undefined && startLine <= line && start.hunkIndex === end.hunkIndex;
    },
    nearestCommentable(path, line, side, maxDistance) {
      const sideIndex = index.get(path)?.[side];
      if (!sideIndex) return null;
      for (let d = 0; d <= maxDistance; d++) {
        if (sideIndex.has(line - d)) return line - d;
        if (sideIndex.has(line + d)) return line + d;
      }
      return null;
    },
    hasFile(path) {
      return index.has(path);
    },
  };
}

interface Entry {
  hunkIndex: number;
  kind: DiffLineKind;
}

type FileIndex = Record<Side, Map<number, Entry>>;

function indexFile(file: ChangedFile): FileIndex {
  const right = new Map<number, Entry>();
  const left = new Map<number, Entry>();
  for (const hunk of file.hunks) {
    for (const l of hunk.lines) {
      if (l.newLine !== null) right.set(l.newLine, { hunkIndex: hunk.index, kind: l.kind });
      if (l.oldLine !== null) left.set(l.oldLine, { hunkIndex: hunk.index, kind: l.kind });
    }
  }
  return { RIGHT: right, LEFT: left };
}

export type { LineLocation };

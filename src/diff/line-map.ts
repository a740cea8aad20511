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
      const entry = index.get(path)?.[side].lines.get(line);
      return entry ? { path, hunkIndex: entry.hunkIndex, kind: entry.kind } : null;
    },
    isCommentableRange(path, startLine, line, side) {
      const sideIndex = index.get(path)?.[side].lines;
      const start = sideIndex?.get(startLine);
      const end = sideIndex?.get(line);
      return start !== undefined && end !== undefined && startLine <= line && start.hunkIndex === end.hunkIndex;
    },
    nearestCommentable(path, line, side, maxDistance) {
      const sorted = index.get(path)?.[side].sorted;
      if (!sorted || sorted.length === 0 || !Number.isInteger(line)) return null;
      // Binary search, not a walk outwards: the cost must not grow with the distance asked for.
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid]! < line) lo = mid + 1;
        else hi = mid;
      }
      const above = sorted[lo];
      const below = sorted[lo - 1];
      const dAbove = above === undefined ? Infinity : above - line;
      const dBelow = below === undefined ? Infinity : line - below;
      // On a tie the earlier line wins, as a reader scanning down would meet it first.
      const [best, distance] = dBelow <= dAbove ? [below, dBelow] : [above, dAbove];
      return best !== undefined && distance <= maxDistance ? best : null;
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

interface SideIndex {
  readonly lines: Map<number, Entry>;
  /** The commentable line numbers, ascending. */
  readonly sorted: readonly number[];
}

type FileIndex = Record<Side, SideIndex>;

function indexFile(file: ChangedFile): FileIndex {
  const right = new Map<number, Entry>();
  const left = new Map<number, Entry>();
  for (const hunk of file.hunks) {
    for (const l of hunk.lines) {
      if (l.newLine !== null) right.set(l.newLine, { hunkIndex: hunk.index, kind: l.kind });
      if (l.oldLine !== null) left.set(l.oldLine, { hunkIndex: hunk.index, kind: l.kind });
    }
  }
  const sorted = (lines: Map<number, Entry>) => [...lines.keys()].sort((a, b) => a - b);
  return { RIGHT: { lines: right, sorted: sorted(right) }, LEFT: { lines: left, sorted: sorted(left) } };
}

export type { LineLocation };

import type { DiffLine, Hunk } from "../domain/change-set.js";
import type { WindowHunk } from "../domain/window.js";
import { WindowPlanInvariantError } from "./errors.js";
import { newSpan } from "./hunk-lines.js";
import { codeLineTokens, hunkTokens } from "./render.js";
import type { Region } from "./surrounding-code.js";

/**
 * A hunk too large for one window becomes consecutive parts, each a hunk of
 * its own with the original index and line numbers. Cuts fall where a
 * definition starts when one is near the limit, else at a blank or
 * unindented line, else at the limit. Each part shows a few head lines of its
 * neighbours as surrounding code (the overlap): context, not review target,
 * so every changed line is still the target of exactly one part.
 */

export interface SplitOptions {
  /** Tokens one part's hunk block may take (its file header excluded). */
  readonly capacity: number;
  /** Head line numbers where definitions start. */
  readonly definitionStarts: ReadonlySet<number>;
  /** Head-side text of a line, where known. */
  readonly headLine: (line: number) => string | undefined;
  /** Head lines of neighbouring parts shown before and after each part. */
  readonly overlap: number;
  /** Enclosing code before the hunk, for the first part, and after it, for the last. */
  readonly before: Region | null;
  readonly after: Region | null;
}

export const SPLIT_OVERLAP_LINES = 3;

export function splitHunk(hunk: Hunk, options: SplitOptions): WindowHunk[] {
  const lines = hunk.lines;
  const costs = lines.map(codeLineTokens);
  const average = costs.length === 0 ? 1 : costs.reduce((a, b) => a + b, 0) / costs.length;
  const allowance = 40 + Math.ceil(2 * options.overlap * average);
  const starts = lineStarts(hunk);
  const parts: WindowHunk[] = [];
  let s = 0;
  let partNo = 1;
  while (s < lines.length) {
    let e = s;
    let used = allowance;
    while (e < lines.length && used + costs[e]! <= options.capacity) used += costs[e++]!;
    if (e === s) e = s + 1;
    if (e < lines.length) e = preferredCut(lines, s, e, options.definitionStarts);
    let part = makePart(hunk, starts, s, e, partNo, options, e >= lines.length);
    let tokens = hunkTokens(part);
    while (tokens > options.capacity && e > s + 1) {
      let excess = tokens - options.capacity;
      do excess -= costs[--e]!;
      while (excess > 0 && e > s + 1);
      part = makePart(hunk, starts, s, e, partNo, options, e >= lines.length);
      tokens = hunkTokens(part);
    }
    if (tokens > options.capacity) {
      part = { ...part, surrounding: null };
      if (hunkTokens(part) > options.capacity) {
        throw new WindowPlanInvariantError(`hunk ${hunk.index + 1} has a line that does not fit a window of ${options.capacity} tokens`);
      }
    }
    if (lines.slice(s, e).some((l) => l.kind !== "context")) {
      parts.push(part);
      partNo++;
    }
    s = e;
  }
  return parts;
}

/** Cut at the latest good boundary in the second half of [s, limit). */
function preferredCut(lines: readonly DiffLine[], s: number, limit: number, definitionStarts: ReadonlySet<number>): number {
  const floor = s + Math.max(1, Math.ceil((limit - s) / 2));
  for (let e = limit; e >= floor; e--) {
    const at = lines[e]!;
    if (at.newLine !== null && definitionStarts.has(at.newLine)) return e;
  }
  for (let e = limit; e >= floor; e--) {
    const previous = lines[e - 1]!;
    const at = lines[e]!;
    if (previous.text.trim() === "" || (at.text !== "" && !/^\s/.test(at.text))) return e;
  }
  return limit;
}

interface LineStarts {
  /** Last old/new line number before index i (git's "line before" for an empty side). */
  readonly oldBefore: number[];
  readonly newBefore: number[];
}

function lineStarts(hunk: Hunk): LineStarts {
  let lastOld = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
  let lastNew = hunk.newLines === 0 ? hunk.newStart : hunk.newStart - 1;
  const oldBefore: number[] = [];
  const newBefore: number[] = [];
  for (const line of hunk.lines) {
    oldBefore.push(lastOld);
    newBefore.push(lastNew);
    if (line.oldLine !== null) lastOld = line.oldLine;
    if (line.newLine !== null) lastNew = line.newLine;
  }
  oldBefore.push(lastOld);
  newBefore.push(lastNew);
  return { oldBefore, newBefore };
}

function subHunk(hunk: Hunk, starts: LineStarts, s: number, e: number, partNo: number): Hunk {
  const lines = hunk.lines.slice(s, e);
  let oldLines = 0;
  let newLines = 0;
  let oldStart = 0;
  let newStart = 0;
  for (const line of lines) {
    if (line.oldLine !== null && oldLines++ === 0) oldStart = line.oldLine;
    if (line.newLine !== null && newLines++ === 0) newStart = line.newLine;
  }
  const close = hunk.header.indexOf("@@", 2);
  const context = hunk.header.startsWith("@@") && close !== -1 ? hunk.header.slice(close + 2).trimEnd() : "";
  return {
    index: hunk.index,
    header: `@@${context} (part ${partNo} of hunk ${hunk.index + 1}, split to fit the window)`,
    oldStart: oldLines > 0 ? oldStart : starts.oldBefore[s]!,
    oldLines,
    newStart: newLines > 0 ? newStart : starts.newBefore[s]!,
    newLines,
    lines,
  };
}

function makePart(hunk: Hunk, starts: LineStarts, s: number, e: number, partNo: number, options: SplitOptions, isLast: boolean): WindowHunk {
  const sub = subHunk(hunk, starts, s, e, partNo);
  const span = newSpan(sub);
  let from = span.first - options.overlap;
  let to = span.last + options.overlap;
  if (s === 0 && options.before) from = Math.min(from, options.before.start);
  if (isLast && options.after) to = Math.max(to, options.after.end);
  while (from < span.first && options.headLine(from) === undefined) from++;
  while (to > span.last && options.headLine(to) === undefined) to--;
  if (from >= span.first && to <= span.last) return { hunk: sub, surrounding: null, duplicates: [] };
  const text: string[] = [];
  for (let row = from; row <= to; row++) {
    const line = options.headLine(row);
    if (line === undefined) return { hunk: sub, surrounding: null, duplicates: [] };
    text.push(line);
  }
  return { hunk: sub, surrounding: { startLine: from, text: text.join("\n") }, duplicates: [] };
}

import type { Hunk } from "../domain/change-set.js";
import { changedAnchors, newSpan } from "./hunk-lines.js";
import { enclosingBlock } from "./syntax/indentation.js";
import { innermostDefAt, type Outline } from "./syntax/outline.js";

/**
 * The head-side code a hunk sits in: from the start of the definition(s)
 * enclosing its changes to their end, at most `before`/`after` lines beyond
 * the hunk. Outside any definition, the indentation block around the change,
 * or a few lines. Only from head content that agrees with the hunk.
 */

export interface HeadFile {
  readonly path: string;
  readonly text: string;
  /** The file's lines (a final newline does not make an extra empty line). */
  readonly lines: readonly string[];
  /** Best outline (tree-sitter when available and within the plan's parsing budget). */
  outline(): Outline;
  /** An outline without parsing: the best one if already made, else the indentation heuristic's. */
  quickOutline(): Outline;
}

/** 1-based head lines, inclusive. */
export interface Region {
  readonly start: number;
  readonly end: number;
}

export const SURROUNDING_LINES_BEFORE = 80;
export const SURROUNDING_LINES_AFTER = 80;
/** Around top-level code (imports, constants), a little context is enough. */
const TOP_LEVEL_CONTEXT = 8;

export function enclosingRegion(hunk: Hunk, head: HeadFile, before = SURROUNDING_LINES_BEFORE, after = SURROUNDING_LINES_AFTER): Region | null {
  const span = newSpan(hunk);
  // A hunk spanning the whole file (a new file) has nothing around it: no need to parse.
  if (span.first <= 1 && span.last >= head.lines.length) return null;
  const anchors = changedAnchors(hunk) ?? { first: span.first, last: Math.max(span.first, span.last) };
  const outline = head.outline();
  const first = innermostDefAt(outline, anchors.first);
  const last = innermostDefAt(outline, anchors.last);
  let start: number;
  let end: number;
  if (first === null && last === null) {
    const block = enclosingBlock(head.lines, anchors.first, anchors.last);
    start = block?.start ?? anchors.first - TOP_LEVEL_CONTEXT;
    end = block?.end ?? anchors.last + TOP_LEVEL_CONTEXT;
  } else {
    start = first?.startLine ?? anchors.first;
    end = last?.endLine ?? anchors.last;
  }
  const lo = Math.max(1, Math.max(start, span.first - before));
  const hi = Math.min(head.lines.length, Math.min(end, span.last + after));
  const region = { start: Math.min(lo, span.first), end: Math.max(hi, span.last) };
  if (region.start >= span.first && region.end <= span.last) return null;
  return region;
}

/** True when the head lines at the hunk's new-side positions are the hunk's own lines (head content is not stale). */
export function headAgreesWith(hunk: Hunk, head: HeadFile): boolean {
  const headSide = hunk.lines.filter((l) => l.newLine !== null);
  const probes = headSide.length <= 6 ? headSide : [...headSide.slice(0, 3), ...headSide.slice(-3)];
  return probes.every((l) => head.lines[l.newLine! - 1] === l.text);
}

export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

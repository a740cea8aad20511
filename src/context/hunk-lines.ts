import type { Hunk } from "../domain/change-set.js";

/** Head-side (new) line range a hunk occupies; empty (first > last) for a hunk that only deletes. */
export function newSpan(hunk: Hunk): { first: number; last: number } {
  let first = 0;
  let last = 0;
  for (const line of hunk.lines) {
    if (line.newLine === null) continue;
    if (first === 0) first = line.newLine;
    last = line.newLine;
  }
  // Git's convention for an empty side: the start is the line before the change.
  return first === 0 ? { first: hunk.newStart + 1, last: hunk.newStart } : { first, last };
}

export function changedLineCount(hunk: Hunk): number {
  let n = 0;
  for (const line of hunk.lines) if (line.kind !== "context") n++;
  return n;
}

/** Indexes of the first and last added/deleted line, or null for a hunk without changes. */
export function changedRange(hunk: Hunk): { first: number; last: number } | null {
  let first = -1;
  let last = -1;
  hunk.lines.forEach((line, i) => {
    if (line.kind === "context") return;
    if (first === -1) first = i;
    last = i;
  });
  return first === -1 ? null : { first, last };
}

/**
 * Head lines the changes sit at: an added line's own number, a deleted line's
 * nearest head line above (where the deletion happened).
 */
export function changedAnchors(hunk: Hunk): { first: number; last: number } | null {
  let previousNew = hunk.newStart;
  let first = 0;
  let last = 0;
  for (const line of hunk.lines) {
    if (line.newLine !== null) previousNew = line.newLine;
    if (line.kind === "context") continue;
    const anchor = line.newLine ?? Math.max(1, previousNew);
    if (first === 0) first = anchor;
    last = anchor;
  }
  return first === 0 ? null : { first, last };
}

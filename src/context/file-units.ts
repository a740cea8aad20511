import type { Hunk } from "../domain/change-set.js";
import type { DuplicateHunk, FileCompaction, WindowFile, WindowHunk } from "../domain/window.js";
import type { ReviewFile } from "./review-files.js";
import { isSummarizedDeletion } from "./compaction.js";
import { WindowPlanInvariantError } from "./errors.js";
import { newSpan } from "./hunk-lines.js";
import { fileHeader, fileTokens, hunkTokens, surroundingLines } from "./render.js";
import { SPLIT_OVERLAP_LINES, splitHunk } from "./split-hunk.js";
import { enclosingRegion, type Region } from "./surrounding-code.js";
import { definitionStarts } from "./syntax/outline.js";
import { countCached } from "./tokens.js";
import { TRIAGE_SHOWN_LINES } from "./triage.js";

/**
 * A file's share of the review as window-sized units: consecutive hunks (with
 * their surrounding code) while they fit, a hunk alone when it is large, parts
 * of a hunk when it is larger than a window. A file that only deletes is one
 * summarized unit, a triaged file one short listing.
 */

export interface Unit {
  readonly file: WindowFile;
  readonly tokens: number;
  readonly summarized: boolean;
}

export function fileUnits(review: ReviewFile, capacity: number, nextRef: () => string): Unit[] {
  const { file, hunks, head } = review;
  const headerTokens = countCached(fileHeader(file));
  const dupes = (hunk: Hunk): readonly DuplicateHunk[] => review.duplicates.get(hunk.index) ?? [];
  const windowFile = (windowHunks: WindowHunk[], compacted: FileCompaction | null = null): WindowFile => ({
    path: file.path,
    previousPath: file.previousPath,
    status: file.status,
    hunks: windowHunks,
    compacted,
  });
  const bareHunks = (): WindowHunk[] => hunks.map((hunk) => ({ hunk, surrounding: null, duplicates: dupes(hunk) }));

  if (review.triage !== null) {
    const ref = nextRef();
    // Fewer lines shown until the listing fits; with none it is a header and one line.
    for (let shown = TRIAGE_SHOWN_LINES[review.triage]; shown >= 0; shown = shown === 0 ? -1 : Math.floor(shown / 2)) {
      const listing = windowFile(bareHunks(), { kind: "triaged", ref, triage: review.triage, shownLines: shown });
      const tokens = fileTokens(listing);
      if (tokens <= capacity) return [{ file: listing, tokens, summarized: false }];
    }
  }

  if (isSummarizedDeletion(hunks)) {
    const summary = windowFile(bareHunks(), { kind: "summarized", ref: nextRef() });
    const tokens = fileTokens(summary);
    if (tokens <= capacity) return [{ file: summary, tokens, summarized: true }];
  }

  const spans = hunks.map(newSpan);
  const regions = hunks.map((hunk, i) => {
    const region = head === null ? null : enclosingRegion(hunk, head);
    if (region === null) return null;
    // Never show a neighbouring hunk's lines as surrounding code.
    const start = i > 0 ? Math.max(region.start, spans[i - 1]!.last + 1) : region.start;
    const end = i + 1 < hunks.length ? Math.min(region.end, spans[i + 1]!.first - 1) : region.end;
    return { start, end };
  });
  const headLine = (line: number): string | undefined => (head !== null && line >= 1 ? head.lines[line - 1] : undefined);

  const make = (i: number, shownUpTo: number): WindowHunk => {
    const hunk = hunks[i]!;
    const headers = review.enclosing.get(hunk.index);
    const base = { hunk, duplicates: dupes(hunk), ...(headers ? { enclosing: headers.filter((h) => h.line > shownUpTo) } : {}) };
    const region = regions[i];
    const span = spans[i]!;
    if (!region || head === null) return { ...base, surrounding: null };
    const start = Math.min(Math.max(region.start, shownUpTo + 1), span.first);
    const end = Math.max(region.end, span.last);
    if (start >= span.first && end <= span.last) return { ...base, surrounding: null };
    return { ...base, surrounding: { startLine: start, text: head.lines.slice(start - 1, end).join("\n") } };
  };

  const units: Unit[] = [];
  let current: WindowHunk[] = [];
  let used = headerTokens;
  let shownUpTo = 0;
  const flush = (): void => {
    if (current.length > 0) units.push({ file: windowFile(current), tokens: used, summarized: false });
    current = [];
    used = headerTokens;
    shownUpTo = 0;
  };
  const append = (windowHunk: WindowHunk, tokens: number): void => {
    current.push(windowHunk);
    used += tokens;
    shownUpTo = shownEnd(windowHunk);
  };

  for (let i = 0; i < hunks.length; i++) {
    if (current.length > 0) {
      const following = make(i, shownUpTo);
      const tokens = hunkTokens(following);
      if (used + tokens <= capacity) {
        append(following, tokens);
        continue;
      }
      flush();
    }
    const alone = make(i, 0);
    const tokens = hunkTokens(alone);
    if (headerTokens + tokens <= capacity) {
      append(alone, tokens);
      continue;
    }
    if (alone.duplicates.length > 0) {
      // A representative of folded duplicates is never split (fan-out maps whole hunks); it was chosen small enough to fit bare.
      let bare: WindowHunk = { ...alone, surrounding: null };
      let bareTokens = hunkTokens(bare);
      if (headerTokens + bareTokens > capacity && bare.enclosing !== undefined) {
        bare = { hunk: bare.hunk, surrounding: null, duplicates: bare.duplicates };
        bareTokens = hunkTokens(bare);
      }
      if (headerTokens + bareTokens > capacity) throw new WindowPlanInvariantError(`${file.path}: folded hunk ${i + 1} does not fit a window`);
      append(bare, bareTokens);
      continue;
    }
    const parts = splitHunk(hunks[i]!, {
      capacity: capacity - headerTokens,
      definitionStarts: head === null ? new Set() : definitionStarts(head.outline()),
      headLine: head !== null ? headLine : hunkHeadLine(hunks[i]!),
      overlap: SPLIT_OVERLAP_LINES,
      before: beforePart(regions[i] ?? null, spans[i]!.first),
      after: afterPart(regions[i] ?? null, spans[i]!.last),
    });
    for (const part of parts) {
      const partTokens = hunkTokens(part);
      if (current.length > 0 && used + partTokens > capacity) flush();
      append(part, partTokens);
    }
  }
  flush();
  return units;
}

function shownEnd(windowHunk: WindowHunk): number {
  const span = newSpan(windowHunk.hunk);
  const surrounding = windowHunk.surrounding;
  if (surrounding === null) return span.last;
  return Math.max(span.last, surrounding.startLine + surroundingLines(surrounding).length - 1);
}

function beforePart(region: Region | null, first: number): Region | null {
  return region !== null && region.start < first ? { start: region.start, end: first - 1 } : null;
}

function afterPart(region: Region | null, last: number): Region | null {
  return region !== null && region.end > last ? { start: last + 1, end: region.end } : null;
}

/** Without head content, a hunk still knows its own head-side lines. */
function hunkHeadLine(hunk: Hunk): (line: number) => string | undefined {
  const byLine = new Map<number, string>();
  for (const line of hunk.lines) if (line.newLine !== null) byLine.set(line.newLine, line.text);
  return (line) => byLine.get(line);
}

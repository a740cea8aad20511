import type { ChangedFile, ChangeSet, Hunk, SkippedFile } from "../domain/change-set.js";
import type { DuplicateHunk, TriageKind } from "../domain/window.js";
import { changeKey, duplicateOf, enclosingHeaders, enclosingKey, isWhitespaceOnly, type CompactionStats } from "./compaction.js";
import { InvalidChangeSetError } from "./errors.js";
import type { HeadFiles } from "./head-files.js";
import { changedLineCount } from "./hunk-lines.js";
import { DUPLICATES_LIST_TOKENS, fileHeader, hunkTokens } from "./render.js";
import { headAgreesWith, type HeadFile } from "./surrounding-code.js";
import { countCached } from "./tokens.js";
import { triageKind } from "./triage.js";

/**
 * What the windows must review: the change set's files minus its skips, minus
 * whitespace-only hunks (reported as skips), with identical changes in
 * identical enclosing code folded onto their first occurrence, triaged files
 * marked, and head content kept only where it agrees with the hunks. Changed
 * lines a patch lacks are reported too, never lost.
 */

export interface ReviewFile {
  readonly file: ChangedFile;
  /** The hunks to review: whitespace-only hunks and folded duplicates removed. */
  readonly hunks: readonly Hunk[];
  /** Identical changes each representative hunk (by index) stands for. */
  readonly duplicates: ReadonlyMap<number, readonly DuplicateHunk[]>;
  /** Head content, only when it agrees with the hunks. */
  readonly head: HeadFile | null;
  /** Changelogs, lockfile-like files and CI configuration are listed and summarized, not reviewed line by line. */
  readonly triage: TriageKind | null;
  /** Enclosing block headers to show with a hunk (by index) whose change also appears in other enclosing code. */
  readonly enclosing: ReadonlyMap<number, readonly { line: number; text: string }[]>;
}

export interface ReviewSelection {
  /** Files not skipped by the change set, in change-set order. */
  readonly reviewable: readonly ChangedFile[];
  /** Reviewable files with hunks left to review. */
  readonly files: readonly ReviewFile[];
  /** Skips found here: whitespace-only hunks, changed lines missing from a patch. */
  readonly skips: readonly SkippedFile[];
}

/** Tokens the "same change repeated in …" line can take: its fixed words and numbers plus the bounded list. */
const DUPLICATES_LINE_ALLOWANCE = DUPLICATES_LIST_TOKENS + 60;

export function selectReview(changeSet: ChangeSet, heads: HeadFiles, capacity: number, stats: CompactionStats, nextRef: () => string): ReviewSelection {
  const skippedPaths = new Set(changeSet.skipped.map((s) => s.path));
  const reviewable = changeSet.files.filter((f) => !skippedPaths.has(f.path));
  assertUniquePaths(reviewable);
  const skips: SkippedFile[] = [];
  const kept = new Map<string, Hunk[]>();
  for (const file of reviewable) {
    reportMissingPatchLines(file, skips);
    kept.set(file.path, skipWhitespaceOnly(file, skips, stats));
  }
  const { duplicates, enclosing } = foldIdenticalHunks(
    reviewable.filter((f) => triageKind(f.path) === null),
    kept,
    { stats, capacity, heads, nextRef },
  );
  const files: ReviewFile[] = [];
  for (const file of reviewable) {
    const hunks = kept.get(file.path)!;
    if (hunks.length === 0) continue;
    const head = heads.get(file.path);
    const triage = triageKind(file.path);
    if (triage !== null) stats.triagedFiles++;
    files.push({
      file,
      hunks,
      duplicates: duplicates.get(file.path) ?? new Map(),
      head: head !== null && hunks.every((h) => headAgreesWith(h, head)) ? head : null,
      triage,
      enclosing: enclosing.get(file.path) ?? new Map(),
    });
  }
  return { reviewable, files, skips };
}

function assertUniquePaths(files: readonly ChangedFile[]): void {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new InvalidChangeSetError(`the change set lists ${file.path} twice`);
    seen.add(file.path);
  }
}

/** GitHub truncates large patches: lines counted by the API but absent from the hunks are reported, not lost. */
function reportMissingPatchLines(file: ChangedFile, planSkips: SkippedFile[]): void {
  const inHunks = file.hunks.reduce((n, h) => n + changedLineCount(h), 0);
  const missing = file.additions + file.deletions - inHunks;
  if (missing > 0) {
    planSkips.push({ path: file.path, reason: "patch-unavailable", lines: missing, detail: `${missing} changed lines are not in the patch` });
  }
}

function skipWhitespaceOnly(file: ChangedFile, planSkips: SkippedFile[], stats: CompactionStats): Hunk[] {
  const keep: Hunk[] = [];
  let lines = 0;
  let count = 0;
  for (const hunk of file.hunks) {
    if (changedLineCount(hunk) > 0 && isWhitespaceOnly(file.path, hunk)) {
      lines += changedLineCount(hunk);
      count++;
    } else if (changedLineCount(hunk) > 0) keep.push(hunk);
  }
  if (count > 0) {
    stats.whitespaceOnlySkipped += count;
    planSkips.push({ path: file.path, reason: "whitespace-only", lines, detail: `${count} of ${file.hunks.length} hunks change only whitespace` });
  }
  return keep;
}

/**
 * The first occurrence of each change (in change-set order) is reviewed; later
 * ones are removed from their files and listed on it, but only when their
 * enclosing code (block headers and the hunk's unchanged lines) is the same
 * too: the same lines in another function or `describe` block may mean
 * something else there, so such a copy is reviewed on its own, shown with the
 * headers of the blocks it sits in.
 */
function foldIdenticalHunks(
  files: readonly ChangedFile[],
  kept: Map<string, Hunk[]>,
  options: { readonly stats: CompactionStats; readonly capacity: number; readonly heads: HeadFiles; readonly nextRef: () => string },
): { duplicates: Map<string, Map<number, DuplicateHunk[]>>; enclosing: Map<string, Map<number, { line: number; text: string }[]>> } {
  const { stats, capacity, heads, nextRef } = options;
  // First pass: each foldable hunk's change and where it sits; a change seen in more than one place needs both to fold.
  const keyed: { file: ChangedFile; hunk: Hunk; head: HeadFile | null; change: string | null; context: string | null }[] = [];
  const contexts = new Map<string, Set<string>>();
  for (const file of files) {
    const head = heads.get(file.path);
    for (const hunk of kept.get(file.path)!) {
      const change = changeKey(hunk);
      const agreeing = head !== null && headAgreesWith(hunk, head) ? head : null;
      const context = change === null ? null : enclosingKey(hunk, agreeing);
      keyed.push({ file, hunk, head: agreeing, change, context });
      if (change !== null && context !== null) {
        const set = contexts.get(change) ?? new Set<string>();
        set.add(context);
        contexts.set(change, set);
      }
    }
  }

  const first = new Map<string, { path: string; hunk: Hunk }>();
  const representatives = new Map<string, number>();
  const duplicates = new Map<string, Map<number, DuplicateHunk[]>>();
  const enclosing = new Map<string, Map<number, { line: number; text: string }[]>>();
  const remaining = new Map<string, Hunk[]>(files.map((f) => [f.path, []]));
  // A representative is never split (fan-out maps whole hunks), so only hunks that fit a window with room to spare are folded.
  const fitsWhole = (file: ChangedFile, hunk: Hunk): boolean =>
    countCached(fileHeader(file)) + hunkTokens({ hunk, surrounding: null, duplicates: [] }) + DUPLICATES_LINE_ALLOWANCE <= capacity;
  for (const { file, hunk, head, change, context } of keyed) {
    const placesOfChange = change === null ? 0 : (contexts.get(change)?.size ?? 0);
    if (placesOfChange > 1 && head !== null) {
      const headers = enclosingHeaders(hunk, head);
      if (headers.length > 0) {
        const byHunk = enclosing.get(file.path) ?? new Map<number, { line: number; text: string }[]>();
        byHunk.set(hunk.index, headers);
        enclosing.set(file.path, byHunk);
      }
    }
    let key = change === null || context === null ? null : `${change}\u0001${context}`;
    if (key !== null && !first.has(key) && !fitsWhole(file, hunk)) key = null;
    const representative = key === null ? undefined : first.get(key);
    if (key === null || representative === undefined) {
      if (key !== null && change !== null) {
        first.set(key, { path: file.path, hunk });
        // Every distinct place of a change past the first is one more review of the same lines.
        const places = (representatives.get(change) ?? 0) + 1;
        representatives.set(change, places);
        if (places > 1) stats.identicalHunksInOtherContext++;
      }
      remaining.get(file.path)!.push(hunk);
      continue;
    }
    const byHunk = duplicates.get(representative.path) ?? new Map<number, DuplicateHunk[]>();
    duplicates.set(representative.path, byHunk);
    const list = byHunk.get(representative.hunk.index) ?? [];
    byHunk.set(representative.hunk.index, list);
    list.push(duplicateOf(representative.hunk, hunk, file.path, nextRef()));
    stats.identicalHunks++;
  }
  for (const [path, hunks] of remaining) kept.set(path, hunks);
  return { duplicates, enclosing };
}

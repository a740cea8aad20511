import type { ChangedFile, ChangeSet, Hunk, SkippedFile } from "../domain/change-set.js";
import type { DuplicateHunk } from "../domain/window.js";
import { changeKey, duplicateOf, isWhitespaceOnly, type CompactionStats } from "./compaction.js";
import { InvalidChangeSetError } from "./errors.js";
import type { HeadFiles } from "./head-files.js";
import { changedLineCount } from "./hunk-lines.js";
import { DUPLICATES_LIST_TOKENS, fileHeader, hunkTokens } from "./render.js";
import { headAgreesWith, type HeadFile } from "./surrounding-code.js";
import { countCached } from "./tokens.js";

/**
 * What the windows must review: the change set's files minus its skips, minus
 * whitespace-only hunks (reported as skips), with identical changes folded onto
 * their first occurrence, and head content kept only where it agrees with the
 * hunks. Changed lines a patch lacks are reported too, never lost.
 */

export interface ReviewFile {
  readonly file: ChangedFile;
  /** The hunks to review: whitespace-only hunks and folded duplicates removed. */
  readonly hunks: readonly Hunk[];
  /** Identical changes each representative hunk (by index) stands for. */
  readonly duplicates: ReadonlyMap<number, readonly DuplicateHunk[]>;
  /** Head content, only when it agrees with the hunks. */
  readonly head: HeadFile | null;
}

export interface ReviewSelection {
  /** Files not skipped by the change set, in change-set order. */
  readonly reviewable: readonly ChangedFile[];
  /** Reviewable files with hunks left to review. */
  readonly files: readonly ReviewFile[];
  /** Skips found here: whitespace-only hunks, changed lines missing from a patch. */
  readonly skips: readonly SkippedFile[];
  /** Changed lines of a folded duplicate, by path and hunk index. */
  readonly duplicateLines: (path: string, hunkIndex: number) => number;
}

/** Tokens the "same change repeated in …" line can take: its fixed words and numbers plus the bounded list. */
const DUPLICATES_LINE_ALLOWANCE = DUPLICATES_LIST_TOKENS + 60;

export function selectReview(changeSet: ChangeSet, heads: HeadFiles, capacity: number, stats: CompactionStats): ReviewSelection {
  const skippedPaths = new Set(changeSet.skipped.map((s) => s.path));
  const reviewable = changeSet.files.filter((f) => !skippedPaths.has(f.path));
  assertUniquePaths(reviewable);
  const skips: SkippedFile[] = [];
  const kept = new Map<string, Hunk[]>();
  for (const file of reviewable) {
    reportMissingPatchLines(file, skips);
    kept.set(file.path, skipWhitespaceOnly(file, skips, stats));
  }
  const { duplicates, duplicateLines } = foldIdenticalHunks(reviewable, kept, stats, capacity);
  const files: ReviewFile[] = [];
  for (const file of reviewable) {
    const hunks = kept.get(file.path)!;
    if (hunks.length === 0) continue;
    const head = heads.get(file.path);
    files.push({
      file,
      hunks,
      duplicates: duplicates.get(file.path) ?? new Map(),
      head: head !== null && hunks.every((h) => headAgreesWith(h, head)) ? head : null,
    });
  }
  return { reviewable, files, skips, duplicateLines };
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
 * identical ones are removed from their files and listed on it.
 */
function foldIdenticalHunks(
  files: readonly ChangedFile[],
  kept: Map<string, Hunk[]>,
  stats: CompactionStats,
  capacity: number,
): { duplicates: Map<string, Map<number, DuplicateHunk[]>>; duplicateLines: (path: string, hunkIndex: number) => number } {
  const first = new Map<string, { path: string; hunk: Hunk }>();
  const duplicates = new Map<string, Map<number, DuplicateHunk[]>>();
  const lines = new Map<string, number>();
  // A representative is never split (fan-out maps whole hunks), so only hunks that fit a window with room to spare are folded.
  const fitsWhole = (file: ChangedFile, hunk: Hunk): boolean =>
    countCached(fileHeader(file)) + hunkTokens({ hunk, surrounding: null, duplicates: [] }) + DUPLICATES_LINE_ALLOWANCE <= capacity;
  for (const file of files) {
    const remaining: Hunk[] = [];
    for (const hunk of kept.get(file.path)!) {
      let key = changeKey(hunk);
      if (key !== null && !first.has(key) && !fitsWhole(file, hunk)) key = null;
      const representative = key === null ? undefined : first.get(key);
      if (key === null || representative === undefined) {
        if (key !== null) first.set(key, { path: file.path, hunk });
        remaining.push(hunk);
        continue;
      }
      const byHunk = duplicates.get(representative.path) ?? new Map<number, DuplicateHunk[]>();
      duplicates.set(representative.path, byHunk);
      const list = byHunk.get(representative.hunk.index) ?? [];
      byHunk.set(representative.hunk.index, list);
      list.push(duplicateOf(representative.hunk, hunk, file.path));
      lines.set(`${file.path}\u0000${hunk.index}`, changedLineCount(hunk));
      stats.identicalHunks++;
    }
    kept.set(file.path, remaining);
  }
  return { duplicates, duplicateLines: (path, hunkIndex) => lines.get(`${path}\u0000${hunkIndex}`) ?? 0 };
}

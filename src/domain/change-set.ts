/**
 * ChangeSet: the parsed diff of a pull request (or a local git range) plus the
 * facts every later stage needs about it. Built once by `diff/`, read by
 * everything downstream; never mutated after construction.
 */

/** GitHub's diff sides: LEFT is the base (old) version, RIGHT the head (new) version. */
export type Side = "LEFT" | "RIGHT";

export type FileStatus = "added" | "modified" | "removed" | "renamed" | "copied" | "binary" | "mode-only";

export type DiffLineKind = "add" | "del" | "context";

export interface DiffLine {
  readonly kind: DiffLineKind;
  /** Line number in the base file; null for added lines. */
  readonly oldLine: number | null;
  /** Line number in the head file; null for deleted lines. */
  readonly newLine: number | null;
  /** The line's text without the leading +/-/space marker. */
  readonly text: string;
}

export interface Hunk {
  /** Position of the hunk within its file, from 0. */
  readonly index: number;
  readonly header: string;
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly DiffLine[];
}

export interface ChangedFile {
  /** Path at head (for removed files: the path at base). */
  readonly path: string;
  /** Path at base when the file was renamed or copied. */
  readonly previousPath: string | null;
  readonly status: FileStatus;
  readonly hunks: readonly Hunk[];
  readonly additions: number;
  readonly deletions: number;
}

/** Why a file (or part of it) is not reviewed. Every skip is reported, never silent. */
export type SkipReason =
  | "binary"
  | "removed"
  | "mode-only"
  | "excluded-by-config"
  | "lockfile"
  | "generated"
  | "vendored"
  | "minified"
  | "whitespace-only"
  | "too-large"
  | "patch-unavailable"
  | "github-file-cap";

export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
  /** Changed lines (additions + deletions) left unreviewed because of this skip. */
  readonly lines: number;
  /** Free-text detail for the reader, e.g. which glob excluded the file. */
  readonly detail?: string;
  /** Files this entry stands for when more than one: GitHub's unlisted files (`github-file-cap`) have no paths. */
  readonly files?: number;
}

/**
 * Skips that leave part of a change unreviewed without anyone having chosen so
 * (GitHub's file cap, size limits, diffs that cannot be read), unlike skips by
 * rule (configuration, lockfiles, generated, binary, …). They make a review
 * incomplete (review/completeness.ts).
 */
export function leavesChangeUnreviewed(reason: SkipReason): boolean {
  return reason === "github-file-cap" || reason === "too-large" || reason === "patch-unavailable";
}

/** Files a skip stands for. */
export function skippedFileCount(skip: Pick<SkippedFile, "files">): number {
  return skip.files ?? 1;
}

/** Where a (path, line, side) sits in the diff. */
export interface LineLocation {
  readonly path: string;
  readonly hunkIndex: number;
  readonly kind: DiffLineKind;
}

export interface LineMap {
  /** The hunk containing (path, line, side), or null when GitHub would reject a comment there. */
  locate(path: string, line: number, side: Side): LineLocation | null;
  /** True when a multi-line comment from startLine to line is acceptable to GitHub (both ends in one hunk). */
  isCommentableRange(path: string, startLine: number, line: number, side: Side): boolean;
  /** The commentable line of the same side nearest to `line` in the hunk closest to it, within maxDistance lines. */
  nearestCommentable(path: string, line: number, side: Side, maxDistance: number): number | null;
  /** True when the file is part of the diff (so a file-level comment is possible). */
  hasFile(path: string): boolean;
}

export interface ChangeSet {
  readonly files: readonly ChangedFile[];
  readonly lineMap: LineMap;
  /** Files (or parts) not reviewed, each with its reason. */
  readonly skipped: readonly SkippedFile[];
  /** Head content of changed files, fetched for context; absent where unavailable or too large. */
  readonly headContents: ReadonlyMap<string, string>;
}

export function changedLineCount(file: Pick<ChangedFile, "additions" | "deletions">): number {
  return file.additions + file.deletions;
}

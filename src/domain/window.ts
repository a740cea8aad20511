import type { FileStatus, Hunk, SkippedFile } from "./change-set.js";
import { skippedFileCount } from "./change-set.js";

/**
 * Window: what one model call sees. Three layers:
 *  - global: the same in every window (PR title, description, guidelines, file map);
 *  - memory: compact notes carried from earlier windows;
 *  - local: the hunks this window is responsible for, with surrounding code.
 */

export interface GlobalLayer {
  readonly title: string;
  /** Trimmed PR description (untrusted). */
  readonly description: string;
  /** Repository review guidelines (AGENTS.md "Review guidelines", config instructions). */
  readonly guidelines: string;
  /** File map of the whole PR, compacted to directories with counts when large. */
  readonly fileMap: string;
}

export type MemoryNoteKind = "api-change" | "invariant" | "suspicion";

export interface MemoryNote {
  readonly kind: MemoryNoteKind;
  readonly path: string | null;
  readonly text: string;
  /** Window that wrote the note. */
  readonly windowId: string;
}

/** An occurrence of the same change elsewhere, reviewed through its representative hunk. */
export interface DuplicateHunk {
  readonly path: string;
  readonly hunkIndex: number;
  /**
   * Added to a line number of the representative's changed span to get the same line here,
   * per side (RIGHT: new line numbers, LEFT: old line numbers).
   */
  readonly lineDelta: { readonly RIGHT: number; readonly LEFT: number };
}

export interface WindowHunk {
  readonly hunk: Hunk;
  /** Head-side code around the hunk (enclosing function/class), with its first line number. */
  readonly surrounding: { readonly startLine: number; readonly text: string } | null;
  /** Occurrences of the identical change this hunk stands for (compaction fan-out). */
  readonly duplicates: readonly DuplicateHunk[];
}

export interface WindowFile {
  readonly path: string;
  readonly previousPath: string | null;
  readonly status: FileStatus;
  readonly hunks: readonly WindowHunk[];
}

export interface LocalLayer {
  readonly files: readonly WindowFile[];
  /** Outlines/signatures of peripheral code (other changed files, called definitions). */
  readonly peripheral: string;
  /**
   * Changed definitions of this window's files (before/after) and the lines of
   * unchanged code that use them, as `path:line`; absent when there is none.
   */
  readonly impact?: string;
}

export interface WindowTokens {
  readonly global: number;
  readonly memory: number;
  readonly local: number;
  readonly total: number;
}

export interface Window {
  readonly id: string;
  /** Windows of the same wave run in parallel; later waves receive earlier waves' memory. */
  readonly wave: number;
  readonly global: GlobalLayer;
  readonly memory: readonly MemoryNote[];
  readonly local: LocalLayer;
  readonly tokens: WindowTokens;
}

/** How much of the change was reviewed. Every changed line is reviewed by exactly one window or skipped with a reason. */
export interface Coverage {
  readonly changedLines: number;
  readonly reviewedLines: number;
  readonly skippedLines: number;
  readonly skipped: readonly SkippedFile[];
  /** Number of files in the PR and how many were reviewed. */
  readonly files: number;
  readonly reviewedFiles: number;
}

/** Files in the change, counting a skip that stands for several files (GitHub's unlisted ones) as that many. */
export function changedFileCount(coverage: Pick<Coverage, "files" | "skipped">): number {
  return coverage.skipped.reduce((n, s) => n - 1 + skippedFileCount(s), coverage.files);
}

export interface WindowPlanStats {
  readonly diffTokens: number;
  readonly tokensSent: number;
  readonly compaction: Readonly<Record<string, number>>;
  readonly ms: number;
}

export interface WindowPlan {
  readonly windows: readonly Window[];
  readonly coverage: Coverage;
  readonly stats: WindowPlanStats;
}

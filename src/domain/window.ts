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

/** `summary`: what a changed file does now, one line (the survey pass writes it; window reviewers never do). */
export const MEMORY_NOTE_KINDS = ["api-change", "invariant", "suspicion", "summary"] as const;
export type MemoryNoteKind = (typeof MEMORY_NOTE_KINDS)[number];

export interface MemoryNote {
  readonly kind: MemoryNoteKind;
  readonly path: string | null;
  readonly text: string;
  /** Window that wrote the note, or the pass that did (`survey`, `impact`). */
  readonly windowId: string;
}

/**
 * An occurrence of the same change elsewhere, in the same enclosing code,
 * reviewed through its representative hunk.
 */
export interface DuplicateHunk {
  readonly path: string;
  readonly hunkIndex: number;
  /** The occurrence itself, so that it can be expanded (`expandCompacted`) and counted. */
  readonly hunk: Hunk;
  /** Short id the window text shows for it, to be passed to the model's "expand" tool. */
  readonly ref: string;
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
  /**
   * Head lines opening the blocks around the hunk (outermost first), shown when
   * the same change also appears in other enclosing code, so that each copy is
   * seen in its own block (`describe("a")` vs `describe("b")`).
   */
  readonly enclosing?: readonly { readonly line: number; readonly text: string }[];
}

/** Files that get a lighter treatment: listed and summarized, not reviewed line by line. */
export const TRIAGE_KINDS = ["changelog", "lockfile", "ci"] as const;
export type TriageKind = (typeof TRIAGE_KINDS)[number];

/**
 * A file shown in short form: a pure deletion as its first and last lines, or
 * a triaged file (changelog, lockfile-like, CI configuration) as a few of its
 * changed lines. `ref` names the full text for the model's "expand" tool.
 */
export type FileCompaction =
  | { readonly kind: "summarized"; readonly ref: string }
  | { readonly kind: "triaged"; readonly ref: string; readonly triage: TriageKind; readonly shownLines: number };

export interface WindowFile {
  readonly path: string;
  readonly previousPath: string | null;
  readonly status: FileStatus;
  readonly hunks: readonly WindowHunk[];
  /** Absent or null: every hunk is shown in full. */
  readonly compacted?: FileCompaction | null;
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
  /**
   * The round in which the window is expected to start when `waveSize` windows run at a time, in plan
   * order. An estimate for reports only: a window starts as soon as a slot frees up, and its memory is
   * whatever notes exist at that moment (review/run-review.ts).
   */
  readonly wave: number;
  readonly global: GlobalLayer;
  readonly memory: readonly MemoryNote[];
  readonly local: LocalLayer;
  readonly tokens: WindowTokens;
}

/**
 * How much of the change was reviewed. Every changed line is in exactly one
 * category: changed = reviewed + folded + summarized + triaged + skipped.
 */
export interface Coverage {
  readonly changedLines: number;
  /** Lines the model was shown (one window each). */
  readonly reviewedLines: number;
  /** Lines of identical changes in identical enclosing code, reviewed through one occurrence (findings are copied). */
  readonly foldedLines: number;
  /** Deleted lines of summarized pure deletions that were not shown (the first and last lines are, and count as reviewed). */
  readonly summarizedLines: number;
  /** Lines of triaged files (changelogs, lockfile-like files, CI configuration): listed and summarized, not reviewed line by line. */
  readonly triagedLines: number;
  readonly skippedLines: number;
  readonly skipped: readonly SkippedFile[];
  /** Number of files in the PR, and how many the windows cover (in any category but skipped). */
  readonly files: number;
  readonly reviewedFiles: number;
}

/** The categories of changed lines, in the order they are shown ("reviewed 3,277 · folded 45 · …"); zero ones left out, reviewed always shown. */
export function coverageBreakdown(coverage: Coverage): { readonly label: string; readonly lines: number }[] {
  const parts = [
    { label: "reviewed", lines: coverage.reviewedLines },
    { label: "folded", lines: coverage.foldedLines },
    { label: "summarized", lines: coverage.summarizedLines },
    { label: "triaged", lines: coverage.triagedLines },
    { label: "skipped", lines: coverage.skippedLines },
  ];
  return parts.filter((p, i) => i === 0 || p.lines > 0);
}

/** True when some lines were covered other than by being shown: the plain "reviewed x of y" sentence is not the whole story. */
export function hasCompactedLines(coverage: Coverage): boolean {
  return coverage.foldedLines + coverage.summarizedLines + coverage.triagedLines > 0;
}

/** The line counts of a coverage, one per category (the reports' `coverage` objects start with them). */
export type CoverageLines = Pick<Coverage, "changedLines" | "reviewedLines" | "foldedLines" | "summarizedLines" | "triagedLines" | "skippedLines">;

export function coverageLines(coverage: Coverage): CoverageLines {
  const { changedLines, reviewedLines, foldedLines, summarizedLines, triagedLines, skippedLines } = coverage;
  return { changedLines, reviewedLines, foldedLines, summarizedLines, triagedLines, skippedLines };
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

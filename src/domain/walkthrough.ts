import type { FileStatus, SkipReason } from "./change-set.js";
import type { ApiChangeKind, SignatureAspect } from "./impact.js";
import type { TriageKind } from "./window.js";

/**
 * Walkthrough: what a pull request does, computed without a model from the
 * change set, the window plan and the impact context. The review body and the
 * CLI reports open with it; the survey's model text (file summaries, risks)
 * is laid over it where the survey ran. Paths and symbols are pull-request
 * text: untrusted, neutralised wherever they are shown.
 */

/** How the review treated a file: shown line by line, triaged (listed and summarized), or left out with a reason. */
export type WalkthroughHandling =
  { readonly kind: "reviewed" } | { readonly kind: "triaged"; readonly triage: TriageKind } | { readonly kind: "skipped"; readonly reason: SkipReason };

export interface WalkthroughFile {
  readonly path: string;
  readonly previousPath: string | null;
  /** Null for files left out before their diff was read (only their changed-line count is known). */
  readonly status: FileStatus | null;
  readonly additions: number | null;
  readonly deletions: number | null;
  /** Additions + deletions. */
  readonly changedLines: number;
  readonly handling: WalkthroughHandling;
  /** Files this entry stands for: more than one only for GitHub's unlisted files, which have no paths. */
  readonly files: number;
}

/** A changed definition of the change and the unchanged code that uses it (from the impact context). */
export interface WalkthroughApiChange {
  readonly path: string;
  readonly symbol: string;
  readonly renamedTo: string | null;
  readonly kind: ApiChangeKind;
  readonly aspects: readonly SignatureAspect[];
  /** Unchanged lines outside tests that use it, and test lines that do; `usagesTruncated`: there are more than counted. */
  readonly callers: number;
  readonly tests: number;
  readonly usagesTruncated: boolean;
  /** Up to three `path:line` of those users, callers first. */
  readonly examples: readonly string[];
}

export interface Walkthrough {
  /** In the change set's order, skipped files after the others. */
  readonly files: readonly WalkthroughFile[];
  readonly additions: number;
  readonly deletions: number;
  /** Contract changes first (removed, renamed, signature, key), then by users; bounded. */
  readonly apiChanges: readonly WalkthroughApiChange[];
}

/** How much of the walkthrough the review body shows (`review.summary`). */
export const SUMMARY_MODES = ["full", "brief", "off"] as const;
export type SummaryMode = (typeof SUMMARY_MODES)[number];

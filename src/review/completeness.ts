import { skippedFileCount } from "../domain/change-set.js";
import { changedFileCount, type Coverage } from "../domain/window.js";
import type { OnIncomplete } from "./gate.js";

/**
 * Whether a review covered the change it gates. It did not when GitHub left
 * files out of its listing, when the model could not review some windows, or
 * when size limits (or diffs that could not be read) left out more changed
 * lines than the repository allows. What Longview leaves out by rule — paths
 * excluded by configuration, lockfiles, generated, vendored, minified and
 * binary files, mode changes — and offline mode are the documented scope of a
 * review, not gaps. Pure; the check run and the CLI both decide from it.
 */

export interface CompletenessPolicy {
  readonly onIncomplete: OnIncomplete;
  /** Changed lines size limits may leave unreviewed before the review counts as incomplete. */
  readonly maxUnreviewedLines: number;
}

export interface FilesAndLines {
  readonly files: number;
  readonly lines: number;
}

/** What a review did not cover; each part null when it is not a gap. */
export interface ReviewGaps {
  /** Files of the pull request GitHub did not list (it lists at most 3,000), of all its files. */
  readonly unlisted: { readonly files: number; readonly of: number } | null;
  readonly failedWindows: { readonly failed: number; readonly of: number } | null;
  /** Model findings withheld because their verification failed, under `verification.onFailure: incomplete`. */
  readonly unverified: { readonly findings: number } | null;
  /** Files left out by size limits or because their diff could not be read, when over the allowance. */
  readonly leftOut: { readonly tooLarge: FilesAndLines; readonly unreadable: FilesAndLines; readonly allowedLines: number } | null;
}

export function findGaps(
  review: { readonly coverage: Coverage; readonly windowsFailed?: number; readonly windows: number; readonly unverified?: number },
  maxUnreviewedLines: number,
): ReviewGaps | null {
  const { coverage } = review;
  const unlistedFiles = coverage.skipped.filter((s) => s.reason === "github-file-cap").reduce((n, s) => n + skippedFileCount(s), 0);
  const tooLarge = sum(coverage.skipped.filter((s) => s.reason === "too-large"));
  const unreadable = sum(coverage.skipped.filter((s) => s.reason === "patch-unavailable"));
  const leftOutLines = tooLarge.lines + unreadable.lines;
  const failed = review.windowsFailed ?? 0;
  const gaps: ReviewGaps = {
    unlisted: unlistedFiles > 0 ? { files: unlistedFiles, of: changedFileCount(coverage) } : null,
    failedWindows: failed > 0 ? { failed, of: review.windows } : null,
    unverified: (review.unverified ?? 0) > 0 ? { findings: review.unverified ?? 0 } : null,
    leftOut: leftOutLines > maxUnreviewedLines ? { tooLarge, unreadable, allowedLines: maxUnreviewedLines } : null,
  };
  return gaps.unlisted || gaps.failedWindows || gaps.unverified || gaps.leftOut ? gaps : null;
}

function sum(skips: readonly { readonly lines: number; readonly files?: number }[]): FilesAndLines {
  return skips.reduce<FilesAndLines>((acc, s) => ({ files: acc.files + skippedFileCount(s), lines: acc.lines + s.lines }), { files: 0, lines: 0 });
}

/** One line for a title: exactly what was not reviewed. */
export function gapsTitle(gaps: ReviewGaps): string {
  const parts: string[] = [];
  if (gaps.unlisted) parts.push(`${n(gaps.unlisted.files)} of ${n(gaps.unlisted.of)} files not listed by GitHub`);
  if (gaps.failedWindows) parts.push(`the model could not review ${n(gaps.failedWindows.failed)} of ${n(gaps.failedWindows.of)} windows`);
  if (gaps.unverified) parts.push(`${n(gaps.unverified.findings)} model finding${gaps.unverified.findings === 1 ? "" : "s"} could not be verified`);
  if (gaps.leftOut) parts.push(leftOutPhrase(gaps.leftOut));
  return `Incomplete: ${parts.join("; ")}`;
}

/** How to try again, in the words of the place the reader is in. */
export interface GapRemedies {
  /** e.g. "use **Re-run** on this check or comment `/agent review`". */
  readonly rerun: string;
  /** Where the settings live, e.g. "`.github/longview.yml`". */
  readonly configFile: string;
}

/** A Markdown paragraph and list: what was not reviewed, why, how to re-run, how to accept. Numbers only: nothing untrusted. */
export function gapsSummary(gaps: ReviewGaps, policy: Pick<CompletenessPolicy, "onIncomplete">, blocking: number, remedies: GapRemedies): string {
  const consequence =
    blocking > 0
      ? `It also has blocking findings, which fail the check whatever \`gate.onIncomplete\` says.`
      : policy.onIncomplete === "success"
        ? "This repository accepts incomplete reviews (`gate.onIncomplete: success`), so the check passes."
        : `So the check concludes \`${policy.onIncomplete}\` (\`gate.onIncomplete: ${policy.onIncomplete}\`).`;
  const lines = [`**Incomplete review.** Longview did not review all of this change. ${consequence}`, ""];
  if (gaps.unlisted) {
    const listed = gaps.unlisted.of - gaps.unlisted.files;
    lines.push(
      `- **${n(gaps.unlisted.files)} of ${n(gaps.unlisted.of)} files were not reviewed**: GitHub lists only the first ${n(listed)} files of a pull request, and Longview cannot see the others. Re-running does not change this; split the pull request to have all of it reviewed.`,
    );
  }
  if (gaps.failedWindows) {
    const { failed, of } = gaps.failedWindows;
    lines.push(
      `- **The model could not review ${n(failed)} of ${n(of)} context windows** (the notices say which files and why); their files were checked by the analyzers only. To try again, ${remedies.rerun}.`,
    );
  }
  if (gaps.unverified) {
    const { findings } = gaps.unverified;
    lines.push(
      `- **${n(findings)} model finding${findings === 1 ? " was" : "s were"} not posted because verifying ${findings === 1 ? "it" : "them"} failed** (the notices say why; \`verification.onFailure: incomplete\`). To try again, ${remedies.rerun}; to see such findings marked as unverified instead, set \`verification.onFailure: post\`.`,
    );
  }
  if (gaps.leftOut) {
    lines.push(
      `- **Not reviewed: ${leftOutPhrase(gaps.leftOut)}** (listed under Coverage); this repository allows ${n(gaps.leftOut.allowedLines)} such lines (\`gate.maxUnreviewedLines\`). Split the pull request, or raise the size limits (the \`LONGVIEW_MAX_*\` settings) or \`gate.maxUnreviewedLines\`.`,
    );
  }
  lines.push("", `To accept incomplete reviews, set \`gate.onIncomplete: neutral\` (or \`success\`) in ${remedies.configFile}.`);
  return lines.join("\n");
}

function leftOutPhrase(leftOut: NonNullable<ReviewGaps["leftOut"]>): string {
  const parts: string[] = [];
  if (leftOut.tooLarge.files > 0) parts.push(`${filesAndLines(leftOut.tooLarge)} over size limits`);
  if (leftOut.unreadable.files > 0) parts.push(`${filesAndLines(leftOut.unreadable)} with an unreadable diff`);
  return parts.join(", ");
}

function filesAndLines(x: FilesAndLines): string {
  return `${n(x.files)} file${x.files === 1 ? "" : "s"} (${n(x.lines)} changed line${x.lines === 1 ? "" : "s"})`;
}

function n(x: number): string {
  return x.toLocaleString("en-US");
}

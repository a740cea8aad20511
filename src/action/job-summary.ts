import type { CheckOutcome } from "../github/check-run.js";
import type { ReviewResult } from "../review/run-review.js";
import { formatReviewBody } from "../review/format-review-body.js";
import type { SummaryMode } from "../domain/walkthrough.js";
import { commentSections } from "../cli/formats/markdown.js";

/**
 * The job summary (`GITHUB_STEP_SUMMARY`): the check run's verdict, what
 * reached the pull request, then the review as the app posts it (body and
 * line comments). Always written — for a fork's pull request it is the only
 * place the review appears.
 */

/** GitHub takes at most 1 MiB of summary per step. */
export const MAX_SUMMARY_BYTES = 1024 * 1024;

export interface SummaryInput {
  readonly label: string;
  readonly verdict: CheckOutcome;
  readonly result: ReviewResult;
  readonly configProblems: readonly string[];
  readonly summary: SummaryMode;
  /** What became of the review on GitHub, one line each. */
  readonly notes: readonly string[];
}

const ICON: Record<CheckOutcome["conclusion"], string> = { success: "✅", failure: "❌", neutral: "⚪", cancelled: "⚪" };

export function formatJobSummary(input: SummaryInput): string {
  const { verdict } = input;
  const text = [
    `## ${ICON[verdict.conclusion]} Longview on ${input.label}: ${verdict.title}`,
    "",
    ...input.notes.map((n) => `> ${n}`),
    ...(input.notes.length > 0 ? [""] : []),
    verdict.summary,
    "",
    "---",
    "",
    formatReviewBody(input.result, { configProblems: input.configProblems, summary: input.summary }),
    ...commentSections(input.result.findings),
  ].join("\n");
  return fitSummary(`${text}\n`);
}

/** A summary without a review (skipped, or failed): the reason, in a line. */
export function formatSkippedSummary(label: string, reason: string): string {
  return `## Longview on ${label}\n\n${reason}\n`;
}

const TRUNCATED = "\n\n…the rest is left out: GitHub takes at most 1 MiB of job summary per step. The check run and the review carry every finding.\n";

/** Cut to GitHub's limit at a line boundary, saying so. */
export function fitSummary(text: string): string {
  if (Buffer.byteLength(text, "utf8") <= MAX_SUMMARY_BYTES) return text;
  const room = MAX_SUMMARY_BYTES - Buffer.byteLength(TRUNCATED, "utf8");
  const cut = Buffer.from(text, "utf8")
    .subarray(0, room)
    .toString("utf8")
    .replace(/\uFFFD$/, "");
  const atLine = cut.lastIndexOf("\n");
  return `${atLine > 0 ? cut.slice(0, atLine) : cut}${TRUNCATED}`;
}

import type { PlacedFinding, Severity } from "../domain/finding.js";
import { SEVERITIES } from "../domain/finding.js";
import { skippedFileCount } from "../domain/change-set.js";
import type { Survey } from "../domain/survey.js";
import { changedFileCount, coverageBreakdown, hasCompactedLines, type Coverage } from "../domain/window.js";
import { bodyMarkerFor, formatCredit } from "../github/finding-comment.js";
import { inlineCode, neutralizeLine, truncateMarkdown } from "../markdown/untrusted.js";
import type { SummaryMode } from "../domain/walkthrough.js";
import { escapeCell, formatWalkthrough } from "./format-walkthrough.js";
import type { ReviewResult } from "./run-review.js";

/** GitHub rejects review bodies over 65,536 characters; stay well below. */
export const MAX_REVIEW_BODY = 60_000;
const MAX_SKIPPED_ROWS = 30;
const MAX_SURVEY_ROWS = 8;
const MAX_SURVEY_CHARS = 200;
/** The walkthrough's share of the body: findings and coverage always keep room. */
export const MAX_WALKTHROUGH_CHARS = 20_000;

export interface ReviewBodyContext {
  /** Problems in `.github/longview.yml`, shown so the author can fix them. */
  readonly configProblems: readonly string[];
  /** Findings that could not be posted as comments after GitHub rejected them. */
  readonly rerouted?: readonly PlacedFinding[];
  /** An incremental review covers only what changed since `from`. */
  readonly incremental?: { readonly from: string; readonly to: string };
  /** Findings still present that earlier reviews already reported (not repeated). */
  readonly alreadyReported?: number;
  /** Findings left out by `review.suppress` in `.github/longview.yml`. */
  readonly suppressed?: number;
  /** Findings people dismissed on this pull request (👎, or resolved with the code unchanged). */
  readonly dismissed?: number;
  /** How much of the walkthrough to show (`review.summary`); `full` when absent. */
  readonly summary?: SummaryMode;
}

/** The one line that tells how to silence a finding for good. */
export const SUPPRESS_HINT =
  "To stop a finding from being reported in this repository, add it to `review.suppress` in `.github/longview.yml` (by `rule`, `path` glob or `title` text); 👎 or resolving its thread dismisses it on this pull request.";

export function formatReviewBody(result: ReviewResult, context: ReviewBodyContext): string {
  const sections: string[] = ["### Longview review", ""];
  if (context.incremental) {
    const { from, to } = context.incremental;
    sections.push(
      `Incremental review of \`${from.slice(0, 7)}..${to.slice(0, 7)}\`: the changes pushed since the last review, with the whole pull request as context.`,
      "",
    );
  }
  // An incremental review's change set is the push alone: its walkthrough says so.
  const walkthrough = formatOverview(result, context.summary ?? "full", context.incremental ? "What the changes since the last review do" : undefined);
  if (walkthrough) sections.push(walkthrough, "");
  const already = context.alreadyReported ?? 0;
  sections.push(
    summaryLine(result.findings) +
      (already > 0 ? ` ${already} finding${already === 1 ? "" : "s"} reported earlier ${already === 1 ? "is" : "are"} not repeated.` : ""),
  );
  const leftOut = leftOutLine(context.suppressed ?? 0, context.dismissed ?? 0);
  if (leftOut) sections.push("", leftOut);
  if (result.findings.length > 0 || leftOut) sections.push("", `<sub>${SUPPRESS_HINT}</sub>`);
  const notices = [...context.configProblems, ...result.notices];
  if (notices.length > 0) sections.push("", ...notices.map(formatNotice));
  sections.push("", formatCoverage(result.coverage));

  const inBody = [...result.findings.filter((f) => f.placement === "body"), ...(context.rerouted ?? [])];
  if (inBody.length > 0) {
    sections.push("", `#### Findings not posted as line comments (${inBody.length})`, "");
    // Past GitHub's limit the body is cut anyway: thousands of findings need not all be formatted.
    let length = sections.reduce((n, section) => n + section.length + 1, 0);
    for (const f of inBody) {
      if (length > MAX_REVIEW_BODY) break;
      const text = formatBodyFinding(f);
      sections.push(text);
      length += text.length + 1;
    }
  }
  const checked = checkedLine(result);
  if (checked) sections.push("", checked);
  sections.push("", formatRunLine(result));
  return truncateMarkdown(sections.join("\n"), MAX_REVIEW_BODY, "\n\n… (truncated to fit GitHub's limit)");
}

/** What the repository suppressed and people dismissed: counted, never silent. */
export function leftOutLine(suppressed: number, dismissed: number): string | null {
  const parts = [
    suppressed > 0 ? `${suppressed} finding${suppressed === 1 ? "" : "s"} suppressed by \`review.suppress\`` : null,
    dismissed > 0 ? `${dismissed} finding${dismissed === 1 ? "" : "s"} dismissed on this pull request` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? `Not reported: ${parts.join("; ")}.` : null;
}

/**
 * A notice as a quoted line. Notices quote error messages, which can carry
 * model output (a refusal, an API error body) and configuration text.
 */
export function formatNotice(notice: string): string {
  return `> ${neutralizeLine(notice)}`;
}

export function summaryLine(findings: readonly PlacedFinding[]): string {
  if (findings.length === 0) return "No problems found in the reviewed changes.";
  const counts = countBySeverity(findings);
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return `Found ${findings.length} ${findings.length === 1 ? "problem" : "problems"}: ${parts.join(", ")}.`;
}

export function countBySeverity(findings: readonly { severity: Severity }[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { P0: 0, P1: 0, P2: 0, P3: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

/** What the change does: the walkthrough, or (for a result without one) the survey's file summaries. */
function formatOverview(result: ReviewResult, mode: SummaryMode, title?: string): string | null {
  if (mode === "off") return null;
  if (result.walkthrough) return formatWalkthrough(result.walkthrough, result.survey ?? null, mode, MAX_WALKTHROUGH_CHARS, title);
  return result.survey && result.survey.files.length > 0 ? formatSurvey(result.survey) : null;
}

/** The survey's file summaries as a short list; the summaries are model text about untrusted code, so each is neutralised. */
export function formatSurvey(survey: Survey): string {
  const rows = survey.files.slice(0, MAX_SURVEY_ROWS).map((f) => `- ${inlineCode(f.path)}: ${neutralizeLine(f.summary, MAX_SURVEY_CHARS)}`);
  const more = survey.files.length - rows.length;
  if (more > 0) rows.push(`- … and ${more} more file${more === 1 ? "" : "s"}`);
  return ["**What this change does**", "", ...rows].join("\n");
}

export function formatCoverage(coverage: Coverage): string {
  const pct = coverage.changedLines === 0 ? 100 : Math.floor((coverage.reviewedLines / coverage.changedLines) * 1000) / 10;
  const lines = [
    `**Coverage:** reviewed ${coverage.reviewedLines} of ${coverage.changedLines} changed lines (${pct}%) in ${coverage.reviewedFiles} of ${changedFileCount(coverage)} files.`,
  ];
  if (hasCompactedLines(coverage)) lines.push("", `Changed lines: ${formatBreakdown(coverage)}. ${breakdownLegend(coverage)}`);
  const sizeNote = formatSizeLimits(coverage);
  if (sizeNote) lines.push("", sizeNote);
  if (coverage.skipped.length > 0) {
    lines.push("", "<details><summary>Skipped (" + coverage.skipped.length + ")</summary>", "", "| File | Reason | Lines |", "| --- | --- | ---: |");
    for (const s of coverage.skipped.slice(0, MAX_SKIPPED_ROWS)) {
      const reason = s.detail ? `${s.reason}: ${s.detail}` : s.reason;
      lines.push(`| ${escapeCell(inlineCode(s.path))} | ${escapeCell(neutralizeLine(reason))} | ${s.lines} |`);
    }
    if (coverage.skipped.length > MAX_SKIPPED_ROWS) lines.push(`| … and ${coverage.skipped.length - MAX_SKIPPED_ROWS} more | | |`);
    lines.push("", "</details>");
  }
  return lines.join("\n");
}

/** "reviewed 3,277 · folded 45 · summarized 1,219 · skipped 5": every changed line in exactly one category. */
export function formatBreakdown(coverage: Coverage): string {
  return coverageBreakdown(coverage)
    .map((p) => `${p.label} ${p.lines.toLocaleString("en-US")}`)
    .join(" · ");
}

const CATEGORY_MEANING: Readonly<Record<string, string>> = {
  folded: "folded: the same change in the same enclosing code elsewhere, reviewed once, its findings copied",
  summarized: "summarized: the middle of a pure deletion, shown by its first and last lines",
  triaged: "triaged: changelogs, lockfile-like files and CI configuration, listed and summarized rather than reviewed line by line",
};

/** What the categories past "reviewed" that occur mean, in one parenthesis. */
export function breakdownLegend(coverage: Coverage): string {
  const meanings = coverageBreakdown(coverage).flatMap((p) => (CATEGORY_MEANING[p.label] ? [CATEGORY_MEANING[p.label]] : []));
  return meanings.length === 0 ? "" : `(${meanings.join("; ")}.)`;
}

/**
 * What the size limits (and GitHub's own file cap) left out, said plainly
 * above the table, which is folded and cut at 30 rows.
 */
export function formatSizeLimits(coverage: Coverage): string | null {
  const left = coverage.skipped.filter((s) => s.reason === "too-large" || s.reason === "github-file-cap");
  if (left.length === 0) return null;
  const groups = new Map<string, { files: number; lines: number }>();
  for (const s of left) {
    const key = s.detail ?? s.reason;
    const group = groups.get(key) ?? { files: 0, lines: 0 };
    group.files += skippedFileCount(s);
    group.lines += s.lines;
    groups.set(key, group);
  }
  const n = (x: number) => x.toLocaleString("en-US");
  const reasons = [...groups.entries()]
    .sort((a, b) => b[1].files - a[1].files)
    .map(([why, g]) => `${n(g.files)} file${g.files === 1 ? "" : "s"} (${n(g.lines)} changed lines): ${neutralizeLine(why)}`);
  const shown = reasons.slice(0, 4);
  if (reasons.length > shown.length) shown.push(`and ${reasons.length - shown.length} more reasons`);
  return `**Too large:** reviewed ${n(coverage.reviewedFiles)} of ${n(changedFileCount(coverage))} files. Left out by size limits: ${shown.join("; ")}.`;
}

function formatBodyFinding(f: PlacedFinding): string {
  const where = `${inlineCode(`${f.path}:${f.startLine !== null ? `${f.startLine}-` : ""}${f.line}`)}`;
  const why = f.placementNote ? ` _(${neutralizeLine(f.placementNote)})_` : "";
  // Flattened and cut before anything is escaped or delimited: a fence becomes a span, a cut span is closed.
  const body = neutralizeLine(f.body, 600);
  return `- **${f.severity} · ${f.category}** ${where} — ${neutralizeLine(f.title)}${why}\n  ${body}\n  <sub>${formatCredit(f)}</sub>${bodyMarkerFor(f)}`;
}

/**
 * What stood between the model's candidate findings and this review: evidence, scope, duplicates,
 * self-consistency and verification. Shown when a model reviewed; numbers only.
 */
export function checkedLine(result: Pick<ReviewResult, "funnel" | "verification">): string | null {
  const { funnel, verification } = result;
  if (!funnel || !verification) return null;
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const dropped = [
    funnel.droppedEvidence > 0 ? `${funnel.droppedEvidence} quoting code that is not there` : null,
    funnel.droppedScope > 0 ? `${funnel.droppedScope} outside the reviewed lines` : null,
    funnel.merged > 0 ? `${funnel.merged} merged as duplicates` : null,
    funnel.droppedConsistency > 0 ? `${funnel.droppedConsistency} not reported again by independent reviews` : null,
    funnel.droppedVerification > 0 ? `${funnel.droppedVerification} rejected or unconfirmed by verification` : null,
    funnel.withheld > 0 ? `${funnel.withheld} withheld after verification failed` : null,
  ].filter((p): p is string => p !== null);
  const verified = !verification.enabled
    ? "; verification is off"
    : verification.checked > 0
      ? `; ${plural(verification.checked, "model finding")} verified, ${verification.confirmed} confirmed`
      : "";
  return `<sub>Checked before posting: ${plural(funnel.candidates, "candidate finding")}${dropped.length > 0 ? `, of which ${dropped.join(", ")}` : ""}${verified}.</sub>`;
}

function formatRunLine(result: ReviewResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const model = result.model
    ? `model ${inlineCode(result.model)}, ${result.modelCalls} calls, ${result.usage.inputTokens} input / ${result.usage.outputTokens} output tokens`
    : "analyzers only";
  const windows = `${result.plan.windows} context window${result.plan.windows === 1 ? "" : "s"}`;
  return `<sub>${windows} · ${model} · ${seconds}s</sub>`;
}

import type { Category, PlacedFinding, Severity } from "../domain/finding.js";
import { CATEGORIES, SEVERITIES } from "../domain/finding.js";
import { formatCredit, oneLine } from "./format-comment.js";
import { formatCoverage, formatNotice, summaryLine } from "./format-review-body.js";
import { evaluateGate, isGating, type GatePolicy } from "./gate.js";
import { defuseMarkers, inlineCode, neutralizeLine, neutralizeUntrusted, truncate } from "./markdown.js";
import type { ReviewResult } from "./run-review.js";

/**
 * What Longview's check run says: conclusion, title, summary, text and
 * annotations. Pure; `github/check-run.ts` sends it within GitHub's limits.
 */

/** GitHub's limit for `output.summary` and `output.text`. */
export const MAX_CHECK_TEXT = 65_535;
export const ANNOTATIONS_PER_REQUEST = 50;

export type CheckConclusion = "success" | "failure" | "neutral" | "cancelled";

export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly annotation_level: "failure" | "warning" | "notice";
  readonly title: string;
  readonly message: string;
}

export interface CheckOutcome {
  readonly conclusion: CheckConclusion;
  readonly title: string;
  readonly summary: string;
  readonly text: string;
  readonly annotations: readonly CheckAnnotation[];
}

export function annotationLevel(severity: Severity): CheckAnnotation["annotation_level"] {
  return severity === "P0" || severity === "P1" ? "failure" : severity === "P2" ? "warning" : "notice";
}

export function toAnnotation(f: PlacedFinding): CheckAnnotation {
  // Annotations live on head lines; a finding on a deleted line points at the file and says which old line.
  const onHead = f.side === "RIGHT";
  const start = onHead ? (f.startLine ?? f.line) : 1;
  return {
    path: f.path,
    start_line: start,
    end_line: onHead ? f.line : 1,
    annotation_level: annotationLevel(f.severity),
    // Annotations are plain text (never rendered); only markers are defused, in case anything ever reads them back.
    title: truncate(defuseMarkers(`${f.severity} ${f.category}: ${oneLine(f.title)}`), 255),
    message: truncate(defuseMarkers(`${onHead ? "" : `(deleted line ${f.line}) `}${f.body.trim()}\n\n${formatCredit(f)}`), 64_000),
  };
}

/** A finding reported by an earlier review whose thread is still open and whose code is still there. */
export interface OpenEarlierFinding {
  readonly severity: Severity;
  readonly category: Category;
}

export function reviewedOutcome(
  result: ReviewResult,
  gate: GatePolicy,
  configProblems: readonly string[],
  openFromEarlier: readonly OpenEarlierFinding[] = [],
): CheckOutcome {
  const current = evaluateGate(result.findings, gate);
  const earlierGating = openFromEarlier.filter((f) => isGating(f, gate));
  const verdict = { passed: current.passed && earlierGating.length === 0, gating: [...current.gating, ...earlierGating] };
  const gateText = `${gate.severity} or worse in ${gate.categories.join("/")}`;
  const verdictTitle = verdict.passed
    ? result.findings.length === 0
      ? "No problems found"
      : `Passed: ${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} below the gate (${gateText})`
    : `${verdict.gating.length} blocking finding${verdict.gating.length === 1 ? "" : "s"} (${gateText})`;
  // A review the model could not finish must not read like a clean one at a glance.
  const failed = result.windowsFailed ?? 0;
  const title = failed > 0 ? `${verdictTitle}; the model could not review ${failed} of ${result.plan.windows} windows` : verdictTitle;

  const summary = [
    summaryLine(result.findings),
    "",
    severityCategoryTable(result.findings),
    "",
    formatCoverage(result.coverage),
    "",
    ...[...configProblems, ...result.notices].map(formatNotice),
    ...(earlierGating.length > 0
      ? ["", `${earlierGating.length} blocking finding${earlierGating.length === 1 ? "" : "s"} from earlier reviews ${earlierGating.length === 1 ? "is" : "are"} still open (resolve the thread or fix the code).`]
      : []),
    "",
    runLine(result),
  ].join("\n");

  const text = result.findings
    .map((f) => `- **${f.severity} · ${f.category}** ${inlineCode(`${f.path}:${f.line}`)} — ${neutralizeLine(f.title)}`)
    .join("\n");

  return {
    conclusion: verdict.passed ? "success" : "failure",
    title: truncate(title, 200),
    summary: fitCheckText(summary),
    text: fitCheckText(text),
    annotations: result.findings.map(toAnnotation),
  };
}

export function skippedOutcome(reason: string): CheckOutcome {
  return { conclusion: "neutral", title: "Review skipped", summary: `Longview did not review this commit: ${reason}.`, text: "", annotations: [] };
}

export function errorOutcome(error: Error, onError: "neutral" | "failure"): CheckOutcome {
  const explanation = onError === "failure"
    ? "This repository fails closed (`gate.onError: failure`), so the check fails until a review completes."
    : "The check is neutral (`gate.onError: neutral`); re-run it to try again.";
  return {
    conclusion: onError,
    title: "Review failed",
    summary: fitCheckText(`Longview could not complete the review: ${neutralizeUntrusted(error.message)}\n\n${explanation}`),
    text: "",
    annotations: [],
  };
}

export function supersededOutcome(newSha: string): CheckOutcome {
  return { conclusion: "cancelled", title: `Superseded by ${newSha.slice(0, 7)}`, summary: `A newer commit (${newSha}) is being reviewed instead.`, text: "", annotations: [] };
}

function severityCategoryTable(findings: readonly PlacedFinding[]): string {
  if (findings.length === 0) return "";
  const count = (s: Severity, c: Category) => findings.filter((f) => f.severity === s && f.category === c).length;
  const rows = SEVERITIES.map((s) => `| ${s} | ${CATEGORIES.map((c) => count(s, c) || "·").join(" | ")} |`);
  return [`| | ${CATEGORIES.join(" | ")} |`, `| --- | ${CATEGORIES.map(() => "---:").join(" | ")} |`, ...rows].join("\n");
}

function runLine(result: ReviewResult): string {
  const model = result.model
    ? `Model ${inlineCode(result.model)}: ${result.modelCalls} calls, ${result.usage.inputTokens} input + ${result.usage.outputTokens} output tokens (${result.usage.reasoningTokens} reasoning).`
    : "Analyzers only (no model configured).";
  return `${model} ${result.plan.windows} context windows in ${result.plan.waves} waves. Duration ${(result.durationMs / 1000).toFixed(1)}s.`;
}

/** Keeps text within GitHub's limit, cutting at a line boundary and saying so. */
export function fitCheckText(text: string, max = MAX_CHECK_TEXT): string {
  if (text.length <= max) return text;
  const note = "\n\n… truncated to fit GitHub's 65,535-character limit; every finding is also an annotation and a review comment.";
  const cut = text.lastIndexOf("\n", max - note.length);
  return text.slice(0, cut > 0 ? cut : max - note.length) + note;
}

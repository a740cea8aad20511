import type { Category, PlacedFinding, Severity, Verification } from "../domain/finding.js";
import { CATEGORIES, clearsGateScore, SEVERITIES } from "../domain/finding.js";
import { formatCredit, oneLine } from "../github/finding-comment.js";
import { checkedLine, formatCoverage, formatNotice, leftOutLine, summaryLine } from "./format-review-body.js";
import { findGaps, gapsSummary, gapsTitle, type CompletenessPolicy, type GapRemedies } from "./completeness.js";
import { evaluateGate, gateConclusion, isGating, type GatePolicy } from "./gate.js";
import { defuseMarkers, inlineCode, neutralizeLine, neutralizeUntrusted, truncate } from "../markdown/untrusted.js";
import type { ReviewResult } from "./run-review.js";
import type { CheckAnnotation, CheckOutcome } from "../github/check-run.js";

export type { CheckAnnotation, CheckConclusion, CheckOutcome } from "../github/check-run.js";

/**
 * What Longview's check run says: conclusion, title, summary, text and
 * annotations. Pure; `github/check-run.ts` sends it within GitHub's limits.
 */

/** GitHub's limit for `output.summary` and `output.text`. */
export const MAX_CHECK_TEXT = 65_535;
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
  /** As posted (the finding record): an earlier finding below the gate score does not start gating later. */
  readonly verification?: Verification;
}

/** How to review a pull request again, from its check run. */
const CHECK_RUN_REMEDIES: GapRemedies = { rerun: "use **Re-run** on this check or comment `/agent review`", configFile: "`.github/longview.yml`" };

export function reviewedOutcome(
  result: ReviewResult,
  gate: GatePolicy & CompletenessPolicy,
  configProblems: readonly string[],
  openFromEarlier: readonly OpenEarlierFinding[] = [],
  leftOut: { readonly dismissed: number } = { dismissed: 0 },
): CheckOutcome {
  const current = evaluateGate(result.findings, gate);
  const earlierGating = openFromEarlier.filter((f) => isGating(f, gate));
  const verdict = { passed: current.passed && earlierGating.length === 0, gating: [...current.gating, ...earlierGating] };
  // A review that did not cover the change must not read (or conclude) like a clean one.
  const gaps = findGaps(
    { coverage: result.coverage, windows: result.plan.windows, windowsFailed: result.windowsFailed, unverified: result.verification?.incomplete ?? 0 },
    gate.maxUnreviewedLines,
  );
  const conclusion = gateConclusion({ blocking: verdict.gating.length, incomplete: gaps !== null, onIncomplete: gate.onIncomplete });
  const gateText = `${gate.severity} or worse in ${gate.categories.join("/")}`;
  const belowGate = `${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} below the gate (${gateText})`;
  const blockingTitle = `${verdict.gating.length} blocking finding${verdict.gating.length === 1 ? "" : "s"} (${gateText})`;
  const title = !verdict.passed
    ? gaps
      ? `${blockingTitle}. ${gapsTitle(gaps)}`
      : blockingTitle
    : gaps
      ? result.findings.length === 0
        ? gapsTitle(gaps)
        : `${gapsTitle(gaps)}; ${belowGate}`
      : result.findings.length === 0
        ? "No problems found"
        : `Passed: ${belowGate}`;

  const summary = [
    ...(gaps ? [gapsSummary(gaps, gate, verdict.gating.length, CHECK_RUN_REMEDIES), ""] : []),
    summaryLine(result.findings),
    "",
    severityCategoryTable(result.findings),
    ...notSureEnoughLines(result.findings, gate),
    ...optionalLine(leftOutLine(result.suppressed ?? 0, leftOut.dismissed)),
    ...optionalLine(checkedLine(result)),
    "",
    formatCoverage(result.coverage),
    "",
    ...[...configProblems, ...result.notices].map(formatNotice),
    ...(earlierGating.length > 0
      ? [
          "",
          `${earlierGating.length} blocking finding${earlierGating.length === 1 ? "" : "s"} from earlier reviews ${earlierGating.length === 1 ? "is" : "are"} still open (resolve the thread or fix the code).`,
        ]
      : []),
    "",
    runLine(result),
  ].join("\n");

  const text = result.findings.map((f) => `- **${f.severity} · ${f.category}** ${inlineCode(`${f.path}:${f.line}`)} — ${neutralizeLine(f.title)}`).join("\n");

  return {
    conclusion,
    title: truncate(title, 200),
    summary: fitCheckText(summary),
    text: fitCheckText(text),
    annotations: result.findings.map(toAnnotation),
  };
}

/** Findings at the gate's severity and category that do not block because their verification score is too low (or failed). */
function notSureEnoughLines(findings: readonly PlacedFinding[], gate: GatePolicy): string[] {
  const held = findings.filter((f) => isGating(f, { ...gate, gateScore: 0 }) && !clearsGateScore(f, gate.gateScore)).length;
  if (held === 0) return [];
  return [
    "",
    `${held} finding${held === 1 ? "" : "s"} at the gate's severity ${held === 1 ? "does" : "do"} not block: verified below \`verification.gateScore\` (${gate.gateScore}) or not verified.`,
  ];
}

function optionalLine(line: string | null): string[] {
  return line === null ? [] : ["", line];
}

export function skippedOutcome(reason: string): CheckOutcome {
  return { conclusion: "neutral", title: "Review skipped", summary: `Longview did not review this commit: ${reason}.`, text: "", annotations: [] };
}

/**
 * Why a review failed: a service it depends on (GitHub, the model API, the
 * network) was unavailable, or Longview itself broke on this change.
 */
export type FailureOrigin = "service" | "internal";

/**
 * A review that did not complete. Outages follow `gate.onError`. A crash
 * (Longview broke on this change, or the job kept killing its worker) always
 * fails: whatever broke it came with the change, and a neutral conclusion
 * passes a required check — a pull request must not get through by crashing
 * its reviewer.
 */
export function errorOutcome(error: Error, onError: "neutral" | "failure", origin: FailureOrigin = "service"): CheckOutcome {
  if (origin === "internal") {
    return {
      conclusion: "failure",
      title: "Review crashed",
      summary: fitCheckText(
        `Longview failed while reviewing this commit: ${neutralizeUntrusted(error.message)}\n\n` +
          "A crash never passes the gate (whatever `gate.onError` says). Re-run the check to try again; if it fails the same way, " +
          "something in this change breaks Longview: report it (the logs carry the job id), and a maintainer can override the check meanwhile.",
      ),
      text: "",
      annotations: [],
    };
  }
  const explanation =
    onError === "failure"
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
  return {
    conclusion: "cancelled",
    title: `Superseded by ${newSha.slice(0, 7)}`,
    summary: `A newer commit (${newSha}) is being reviewed instead.`,
    text: "",
    annotations: [],
  };
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

/**
 * Keeps text within GitHub's limit, cutting at a line boundary and saying so.
 * The limit is in UTF-8 bytes ("exceeds a maximum bytesize of 65535"): counted
 * in characters, a summary full of `·` and `—` was refused with a 422.
 */
export function fitCheckText(text: string, max = MAX_CHECK_TEXT): string {
  if (Buffer.byteLength(text, "utf8") <= max) return text;
  const note = "\n\n… truncated to fit GitHub's 65,535-byte limit; every finding is also an annotation and a review comment.";
  const prefix = utf8Prefix(text, max - Buffer.byteLength(note, "utf8"));
  const cut = prefix.lastIndexOf("\n");
  return (cut > 0 ? prefix.slice(0, cut) : prefix) + note;
}

/** The longest prefix of `text` within `bytes` UTF-8 bytes, never splitting a character. */
function utf8Prefix(text: string, bytes: number): string {
  let low = 0;
  let high = Math.min(text.length, bytes);
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (Buffer.byteLength(text.slice(0, mid), "utf8") <= bytes) low = mid;
    else high = mid - 1;
  }
  // A lone high surrogate at the end would become a replacement character (3 bytes) on the wire.
  const last = text.charCodeAt(low - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, low - 1) : text.slice(0, low);
}

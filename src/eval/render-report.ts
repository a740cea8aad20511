import type { CaseChange, CaseOutcome, Comparison, ScoreDelta } from "./compare.js";
import {
  CATEGORY_ORDER,
  SEVERITY_ORDER,
  markdownTable,
  orderedKeys,
  pct,
  pp,
  precisionCell,
  recallCell,
  runLine,
  seconds,
  signed,
  textTable,
  thousands,
  usd,
} from "./format.js";
import type { Scores } from "./metrics.js";
import type { CaseResult, EvalResult } from "./result.js";

/** The run's numbers for a terminal (`renderText`) and as `report.md` (`renderMarkdown`). */

type Rows = string[][];

function scoreRows(label: string, record: Readonly<Record<string, Scores>>, order: readonly string[]): Rows {
  return [
    [label, "Recall", "Precision", "F1"],
    ...orderedKeys(record, order).map((key) => {
      const s = record[key];
      return [key, recallCell(s), precisionCell(s), pct(s?.f1 ?? null)];
    }),
  ];
}

function caseRows(result: EvalResult): Rows {
  return [
    ["Case", "Lang", "Expected", "Found", "Matched", "Missed", "FP", "Tokens in/out", "Calls", "Cost", "Time"],
    ...result.cases.map((c) => [
      c.id,
      c.language,
      String(c.expected.length),
      String(c.findings.length),
      String(c.matches.length),
      String(c.missed.length),
      String(c.falsePositives.length),
      `${thousands(c.review.usage.inputTokens)}/${thousands(c.review.usage.outputTokens)}`,
      String(c.review.modelCalls),
      usd(c.review.costUsd),
      seconds(c.review.durationMs),
    ]),
  ];
}

function totalsLines(result: EvalResult): string[] {
  const { review, judge, wallMs } = result.totals;
  const lines = [
    `Review: ${review.modelCalls} model calls, ${thousands(review.usage.inputTokens)} input / ${thousands(review.usage.outputTokens)} output tokens ` +
      `(${thousands(review.usage.reasoningTokens)} reasoning), estimated cost ${usd(review.costUsd)}, ` +
      `review time ${seconds(review.durationMs)} (${seconds(review.durationMs / Math.max(1, result.cases.length))} per case), wall time ${seconds(wallMs)}`,
  ];
  if (judge) {
    lines.push(
      `Judge: ${judge.modelCalls} calls, ${thousands(judge.usage.inputTokens)} input / ${thousands(judge.usage.outputTokens)} output tokens, ` +
        `estimated cost ${usd(judge.costUsd)}${judge.failures > 0 ? `, ${judge.failures} failed (matched by location only)` : ""}`,
    );
  }
  lines.push(`Severity agreement of matches: ${pct(result.severityAgreement)}`);
  const funnel = funnelLine(result);
  if (funnel) lines.push(funnel);
  return lines;
}

/** Share of candidate findings each stage removed, over the cases that recorded it; null when none did. */
function funnelLine(result: EvalResult): string | null {
  const recorded = result.cases.flatMap((c) => (c.funnel ? [c.funnel] : []));
  if (recorded.length === 0) return null;
  const sum = (key: "candidates" | "droppedEvidence" | "droppedScope" | "reanchored" | "merged") => recorded.reduce((total, f) => total + f[key], 0);
  const candidates = sum("candidates");
  const share = (n: number) => `${n} (${pct(candidates === 0 ? null : n / candidates)})`;
  return (
    `Candidate findings: ${candidates}; dropped for a quote not in the reviewed code ${share(sum("droppedEvidence"))}, ` +
    `for a line outside the reviewed hunks ${share(sum("droppedScope"))}, merged as duplicates ${share(sum("merged"))}; ` +
    `moved to their quote ${share(sum("reanchored"))}`
  );
}

/** Context recall, before (no impact section) and after; nothing for results that predate it. */
function contextLines(result: EvalResult): string[] {
  const r = result.contextRecall;
  if (!r || r.cases === 0) return [];
  const lines = [
    `Context recall (evidence lines shown before any tool call): ${pct(r.withImpact)} with the impact context, ${pct(r.withoutImpact)} without (${r.cases} cases)`,
  ];
  if (r.crossFileCases > 0) {
    lines.push(
      `Context recall, cross-file cases (evidence in unchanged files): ${pct(r.crossFileWithImpact)} with, ${pct(r.crossFileWithoutImpact)} without (${r.crossFileCases} cases)`,
    );
  }
  return lines;
}

export function renderText(result: EvalResult, comparison: Comparison | null): string {
  const parts = [
    "Longview review evaluation",
    runLine(result),
    "",
    textTable(scoreRows("Category", { overall: result.overall, ...result.byCategory }, ["overall", ...CATEGORY_ORDER])),
    "",
    textTable(scoreRows("Severity", result.bySeverity, SEVERITY_ORDER)),
    "",
    textTable(scoreRows("Language", result.byLanguage, [])),
    "",
    textTable(caseRows(result)),
    "",
    ...contextLines(result),
    ...totalsLines(result),
  ];
  if (comparison) parts.push("", ...comparisonText(comparison));
  return `${parts.join("\n")}\n`;
}

function comparisonText(c: Comparison): string[] {
  const rows: Rows = [["Compared with previous run", "Recall", "Precision", "F1"], ...[c.overall, ...c.byCategory, ...c.bySeverity].map(deltaRow)];
  return [
    ...(c.settings.length > 0 ? [`Settings changed: ${c.settings.join("; ")}`] : ["Same settings as the previous run."]),
    textTable(rows),
    spendDeltaLine(c),
    ...(c.cases.length === 0 ? ["No case changed its outcome."] : ["Cases that changed (matched/missed/FP):", ...c.cases.map((x) => `  ${caseChangeText(x)}`)]),
  ];
}

function deltaRow(d: ScoreDelta): string[] {
  return [d.key, pp(d.recall), pp(d.precision), pp(d.f1)];
}

function spendDeltaLine(c: Comparison): string {
  return (
    `Cost ${usd(c.costUsd.before)} → ${usd(c.costUsd.after)}; input tokens ${signed(c.inputTokens.delta, thousands)}; ` +
    `output tokens ${signed(c.outputTokens.delta, thousands)}; model calls ${signed(c.modelCalls.delta)}; review time ${signed(c.reviewMs.delta, seconds)}`
  );
}

function showOutcome(outcome: CaseOutcome | null): string {
  return outcome === null ? "absent" : `${outcome.matched}/${outcome.missed}/${outcome.falsePositives}`;
}

function caseChangeText(change: CaseChange): string {
  return `${change.id}: ${showOutcome(change.before)} → ${showOutcome(change.after)}`;
}

export function renderMarkdown(result: EvalResult, comparison: Comparison | null): string {
  const md = (rows: Rows) => markdownTable(rows[0] ?? [], rows.slice(1));
  const parts = [
    "# Longview review evaluation",
    "",
    `${runLine(result)}. Started ${result.startedAt}.`,
    "",
    result.mode === "offline"
      ? "> Offline run: the findings come from Longview's built-in analyzers only; the model reviewer did not run."
      : `> Model run: \`${result.model}\` reviewed every case, with the analyzers' findings as evidence.`,
    "",
    "Recall counts expected issues a finding matched; precision counts findings that matched an expected issue (unmatched findings, including every finding on a clean case, are false positives).",
    "",
    "## Scores",
    "",
    md(scoreRows("Category", { overall: result.overall, ...result.byCategory }, ["overall", ...CATEGORY_ORDER])),
    "",
    md(scoreRows("Severity", result.bySeverity, SEVERITY_ORDER)),
    "",
    md(scoreRows("Language", result.byLanguage, [])),
    "",
    ...(contextLines(result).length > 0 ? ["## Context recall", "", ...contextLines(result).map((line) => `- ${line}`), ""] : []),
    "## Spend",
    "",
    ...totalsLines(result).map((line) => `- ${line}`),
    "",
    "## Cases",
    "",
    md(caseRows(result)),
  ];
  if (comparison) parts.push("", ...comparisonMarkdown(comparison));
  const details = result.cases.filter((c) => c.missed.length > 0 || c.falsePositives.length > 0 || c.notices.length > 0);
  if (details.length > 0) parts.push("", "## Misses and false positives", "", ...details.flatMap(caseDetails));
  return `${parts.join("\n")}\n`;
}

function comparisonMarkdown(c: Comparison): string[] {
  return [
    "## Compared with the previous run",
    "",
    ...(c.settings.length > 0 ? [`Settings changed: ${c.settings.join("; ")}.`, ""] : []),
    markdownTable(["", "Recall", "Precision", "F1"], [c.overall, ...c.byCategory, ...c.bySeverity].map(deltaRow)),
    "",
    spendDeltaLine(c),
    "",
    ...(c.cases.length === 0
      ? ["No case changed its outcome."]
      : [
          markdownTable(
            ["Case", "Before (matched/missed/FP)", "After"],
            c.cases.map((x) => [x.id, showOutcome(x.before), showOutcome(x.after)]),
          ),
        ]),
  ];
}

function caseDetails(c: CaseResult): string[] {
  const lines = [`### ${c.id} — ${c.title}`, ""];
  for (const i of c.missed) {
    const e = c.expected[i];
    if (!e) continue;
    const where = e.path === null ? "the change" : e.lineStart === null ? `\`${e.path}\`` : `\`${e.path}:${e.lineStart}-${e.lineEnd}\``;
    lines.push(`- Missed (${e.severity} ${e.category}) at ${where}: ${e.description}`);
  }
  for (const i of c.falsePositives) {
    const f = c.findings[i];
    if (!f) continue;
    const lineRange = f.startLine === null ? `${f.line}` : `${f.startLine}-${f.line}`;
    lines.push(`- False positive (${f.severity} ${f.category}, ${f.ruleId ?? f.source}) at \`${f.path}:${lineRange}\`: ${f.title}`);
  }
  for (const notice of c.notices) lines.push(`- Notice: ${notice}`);
  return [...lines, ""];
}

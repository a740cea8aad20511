import type { CaseChange, CaseOutcome, Comparison, ScoreDelta } from "./compare.js";
import {
  CATEGORY_ORDER,
  NONE,
  SEVERITY_ORDER,
  markdownTable,
  orderedKeys,
  pct,
  plural,
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
  // Only runs with verification have a "before" to show.
  const before = result.cases.some((c) => c.beforeVerification);
  return [
    [
      "Case",
      "Lang",
      "Expected",
      ...(before ? ["Before verif. (matched/found)"] : []),
      "Found",
      "Matched",
      "Missed",
      "FP",
      "Tokens in/out",
      "Calls",
      "Cost",
      "Time",
    ],
    ...result.cases.map((c) => [
      c.id,
      c.language,
      String(c.expected.length),
      ...(before ? [c.beforeVerification ? `${c.beforeVerification.matches.length}/${c.beforeVerification.findings.length}` : NONE] : []),
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
  return lines;
}

type Funnel = NonNullable<CaseResult["funnel"]>;

/** The stages of the funnel that remove findings, in pipeline order; the last three are absent in results that predate verification. */
const FUNNEL_STAGES: readonly { readonly key: Exclude<keyof Funnel, "candidates" | "reanchored">; readonly label: string }[] = [
  { key: "droppedEvidence", label: "evidence (quote not in the reviewed code)" },
  { key: "droppedScope", label: "scope (line outside the reviewed hunks)" },
  { key: "merged", label: "dedupe (merged into another finding)" },
  { key: "droppedConsistency", label: "self-consistency (no majority of repeated reviews)" },
  { key: "droppedVerification", label: "verification (rejected, uncertain or below minScore)" },
  { key: "withheld", label: "withheld (verification failed)" },
];

/**
 * Share of candidate findings (every model finding answered plus every analyzer finding) each stage
 * removed, over the cases that recorded it; null when none did. The rest either was posted or fell
 * to `review.minSeverity` or `review.suppress`.
 */
export function funnelLine(result: EvalResult): string | null {
  const recorded = result.cases.flatMap((c) => (c.funnel ? [{ funnel: c.funnel, posted: c.findings.length }] : []));
  if (recorded.length === 0) return null;
  const sum = (key: keyof Funnel) => recorded.reduce((total, r) => total + (r.funnel[key] ?? 0), 0);
  const candidates = sum("candidates");
  const share = (n: number) => `${n} (${pct(candidates === 0 ? null : n / candidates)})`;
  const stages = FUNNEL_STAGES.filter((stage) => recorded.some((r) => r.funnel[stage.key] !== undefined)).map(
    (stage) => `${stage.label} ${share(sum(stage.key))}`,
  );
  const posted = recorded.reduce((total, r) => total + r.posted, 0);
  return `Candidate findings: ${candidates}; removed at ${stages.join(", ")}; moved to their quote ${share(sum("reanchored"))}; posted ${share(posted)}`;
}

function scoreChange(label: string, before: number | null, after: number | null, beforeCell: string, afterCell: string): string {
  return `${label} ${beforeCell} → ${afterCell}${before !== null && after !== null ? ` (${pp(after - before)})` : ""}`;
}

/** Precision, recall and F1 before → after verification, and what the verifier decided; nothing for offline runs and older results. */
function verificationLines(result: EvalResult): string[] {
  const before = result.beforeVerification;
  if (!before) return [];
  const b = before.overall;
  const a = result.overall;
  const lines = [
    `Before → after verification: ${scoreChange("precision", b.precision, a.precision, precisionCell(b), precisionCell(a))}, ` +
      `${scoreChange("recall", b.recall, a.recall, recallCell(b), recallCell(a))}, ${scoreChange("F1", b.f1, a.f1, pct(b.f1), pct(a.f1))}`,
  ];
  const runs = result.cases.flatMap((c) => (c.verification ? [c.verification] : []));
  const total = (key: "checked" | "confirmed" | "rejected" | "uncertain" | "belowScore" | "failed" | "calls") => runs.reduce((sum, v) => sum + v[key], 0);
  const off = runs.filter((v) => !v.enabled).length;
  const removed = `${plural(before.dropped, "finding")}, ${before.droppedMatched} of which had matched an expected issue`;
  lines.push(
    off === runs.length && runs.length > 0
      ? `Verification was off: the reviewer's own confidence stood in for the score, and the model findings below verification.minScore were not posted: ${removed}`
      : `Verification: ${total("checked")} model findings checked in ${total("calls")} calls: ${total("confirmed")} confirmed, ${total("rejected")} rejected, ` +
          `${total("uncertain")} uncertain, ${total("belowScore")} confirmed below minScore, ${total("failed")} without an answer${off > 0 ? ` (off in ${off} cases)` : ""}; ` +
          `it removed ${removed}`,
  );
  return lines;
}

/** Scores before and after verification, overall and per category. */
function verificationRows(result: EvalResult): Rows {
  const before = result.beforeVerification;
  if (!before) return [];
  const beforeScores: Readonly<Record<string, Scores>> = { overall: before.overall, ...before.byCategory };
  const afterScores: Readonly<Record<string, Scores>> = { overall: result.overall, ...result.byCategory };
  return [
    ["Category", "Precision before", "after", "Recall before", "after", "F1 before", "after"],
    ...orderedKeys({ ...beforeScores, ...afterScores }, ["overall", ...CATEGORY_ORDER]).map((key) => {
      const b = beforeScores[key];
      const a = afterScores[key];
      return [key, precisionCell(b), precisionCell(a), recallCell(b), recallCell(a), pct(b?.f1 ?? null), pct(a?.f1 ?? null)];
    }),
  ];
}

/** The funnel and verification lines (both absent for older results, verification for offline runs). */
function pipelineLines(result: EvalResult): string[] {
  const funnel = funnelLine(result);
  return [...verificationLines(result), ...(funnel ? [funnel] : [])];
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
    ...(result.beforeVerification ? [textTable(verificationRows(result)), ""] : []),
    ...pipelineLines(result),
    ...contextLines(result),
    ...totalsLines(result),
  ];
  if (comparison) parts.push("", ...comparisonText(comparison));
  return `${parts.join("\n")}\n`;
}

function comparisonText(c: Comparison): string[] {
  const rows: Rows = [["Compared with previous run", "Recall", "Precision", "F1"], ...deltaRows(c)];
  return [
    ...(c.settings.length > 0 ? [`Settings changed: ${c.settings.join("; ")}`] : ["Same settings as the previous run."]),
    textTable(rows),
    spendDeltaLine(c),
    ...(c.cases.length === 0 ? ["No case changed its outcome."] : ["Cases that changed (matched/missed/FP):", ...c.cases.map((x) => `  ${caseChangeText(x)}`)]),
  ];
}

/** Overall (and, when both runs have it, overall before verification), then per category and severity. */
function deltaRows(c: Comparison): Rows {
  return [c.overall, ...(c.beforeVerification ? [c.beforeVerification] : []), ...c.byCategory, ...c.bySeverity].map(deltaRow);
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
    ...(pipelineLines(result).length > 0
      ? [
          "## Verification and the findings funnel",
          "",
          ...(result.beforeVerification
            ? [
                "“Before” scores what would have been posted had verification kept every candidate (the verified model findings plus the posted findings that never needed verification); “after” is what was posted.",
                "",
                md(verificationRows(result)),
                "",
              ]
            : []),
          ...pipelineLines(result).map((line) => `- ${line}`),
          "",
        ]
      : []),
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
  const details = result.cases.filter((c) => c.missed.length > 0 || c.falsePositives.length > 0 || c.notices.length > 0 || lostMatches(c).length > 0);
  if (details.length > 0) parts.push("", "## Misses and false positives", "", ...details.flatMap(caseDetails));
  return `${parts.join("\n")}\n`;
}

function comparisonMarkdown(c: Comparison): string[] {
  return [
    "## Compared with the previous run",
    "",
    ...(c.settings.length > 0 ? [`Settings changed: ${c.settings.join("; ")}.`, ""] : []),
    markdownTable(["", "Recall", "Precision", "F1"], deltaRows(c)),
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

/** Findings verification removed that had matched an expected issue before it. */
function lostMatches(c: CaseResult): CaseResult["findings"] {
  const before = c.beforeVerification;
  if (!before) return [];
  const matched = new Set(before.matches.map((p) => p.finding));
  return before.dropped.filter((i) => matched.has(i)).flatMap((i) => (before.findings[i] ? [before.findings[i]] : []));
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
  for (const f of lostMatches(c)) {
    const lineRange = f.startLine === null ? `${f.line}` : `${f.startLine}-${f.line}`;
    lines.push(`- Removed by verification though it matched an expected issue (${f.severity} ${f.category}) at \`${f.path}:${lineRange}\`: ${f.title}`);
  }
  for (const notice of c.notices) lines.push(`- Notice: ${notice}`);
  return [...lines, ""];
}

import type { PlacedFinding } from "../../domain/finding.js";
import { oneLine } from "../../github/finding-comment.js";
import { formatBreakdown, summaryLine } from "../../review/format-review-body.js";
import { summarySentence } from "../../review/format-walkthrough.js";
import { hasCompactedLines } from "../../domain/window.js";
import { truncate } from "../../markdown/untrusted.js";
import { plainBody } from "./plain-text.js";
import { allNotices, gateSentence, type CliReport } from "../report.js";

/** A compact listing for a terminal: one block per finding, then coverage and the gate verdict. */

const BODY_LINES = 3;
const MAX_LINE = 240;
const MAX_SKIPPED_LISTED = 10;
const MAX_RISK_LINES = 3;

export function formatText(report: CliReport): string {
  const { result } = report;
  const out: string[] = [];
  for (const f of result.findings) out.push(...findingBlock(f), "");
  if (result.walkthrough && result.walkthrough.files.length > 0 && report.summary !== "off") out.push(...walkthroughLines(report));
  out.push(summaryLine(result.findings));
  for (const notice of allNotices(report)) out.push(`note: ${oneLine(notice)}`);
  out.push(coverageLine(report), gateSentence(report.gate));
  return `${out.join("\n")}\n`;
}

/** The walkthrough in brief: the change in one sentence, then the changed API with the most unchanged users and the survey's risks. */
function walkthroughLines(report: CliReport): string[] {
  const { walkthrough, survey } = report.result;
  if (!walkthrough) return [];
  const api = walkthrough.apiChanges
    .filter((c) => c.callers + c.tests > 0)
    .map(
      (c) =>
        `${c.path} ${c.symbol}: ${c.kind.replace(/-/g, " ")}; used in ${c.usagesTruncated ? "at least " : ""}${c.callers} unchanged lines, ${c.tests} in tests`,
    );
  const risks = (survey?.risks ?? []).map((r) => `${r.path ? `${r.path}: ` : ""}${r.text}`);
  const lines = [`Change: ${summarySentence(walkthrough, "brief")}`];
  for (const risk of [...api, ...risks].slice(0, MAX_RISK_LINES)) lines.push(`  risk: ${truncate(terminalLine(risk), MAX_LINE)}`);
  return [...lines, ""];
}

/** Repository and model text on one terminal line: no control characters (escape sequences). */
function terminalLine(text: string): string {
  return oneLine(text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " "));
}

function findingBlock(f: PlacedFinding): string[] {
  const lines = f.startLine !== null ? `${f.startLine}-${f.line}` : `${f.line}`;
  const side = f.side === "LEFT" ? " (removed line)" : "";
  const v = f.verification;
  const checked = !v ? "" : v.status === "confirmed" ? `; verified ${v.score.toFixed(2)}` : v.status === "failed" ? "; NOT verified" : "; unverified";
  const credit = `${f.ruleId ? `${f.source} ${f.ruleId}` : f.source}${checked}`;
  const body = plainBody(f.body)
    .split("\n")
    .filter((l) => l.trim() !== "")
    .slice(0, BODY_LINES)
    .map((l) => `    ${truncate(l.trim(), MAX_LINE)}`);
  return [`${f.severity} ${f.category.padEnd(11)} ${f.path}:${lines}${side}  ${oneLine(f.title)}`, ...body, `    [${credit}]`];
}

function coverageLine(report: CliReport): string {
  const c = report.result.coverage;
  const pct = c.changedLines === 0 ? 100 : Math.floor((c.reviewedLines / c.changedLines) * 1000) / 10;
  const base = `Coverage: reviewed ${c.reviewedLines} of ${c.changedLines} changed lines (${pct}%) in ${c.reviewedFiles} of ${c.files} files${
    hasCompactedLines(c) ? ` (${formatBreakdown(c)})` : ""
  }`;
  if (c.skipped.length === 0) return `${base}.`;
  const listed = c.skipped.slice(0, MAX_SKIPPED_LISTED).map((s) => `${s.path} (${s.reason})`);
  const more = c.skipped.length > MAX_SKIPPED_LISTED ? `, and ${c.skipped.length - MAX_SKIPPED_LISTED} more` : "";
  return `${base}; skipped ${c.skipped.length}: ${listed.join(", ")}${more}.`;
}

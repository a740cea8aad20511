import type { PlacedFinding } from "../../domain/finding.js";
import { oneLine } from "../../github/finding-comment.js";
import { formatBreakdown, summaryLine } from "../../review/format-review-body.js";
import { hasCompactedLines } from "../../domain/window.js";
import { truncate } from "../../markdown/untrusted.js";
import { plainBody } from "./plain-text.js";
import { allNotices, gateSentence, type CliReport } from "../report.js";

/** A compact listing for a terminal: one block per finding, then coverage and the gate verdict. */

const BODY_LINES = 3;
const MAX_LINE = 240;
const MAX_SKIPPED_LISTED = 10;

export function formatText(report: CliReport): string {
  const { result } = report;
  const out: string[] = [];
  for (const f of result.findings) out.push(...findingBlock(f), "");
  out.push(summaryLine(result.findings));
  for (const notice of allNotices(report)) out.push(`note: ${oneLine(notice)}`);
  out.push(coverageLine(report), gateSentence(report.gate));
  return `${out.join("\n")}\n`;
}

function findingBlock(f: PlacedFinding): string[] {
  const lines = f.startLine !== null ? `${f.startLine}-${f.line}` : `${f.line}`;
  const side = f.side === "LEFT" ? " (removed line)" : "";
  const credit = f.ruleId ? `${f.source} ${f.ruleId}` : f.source;
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

import { formatFindingComment } from "../../github/finding-comment.js";
import { formatReviewBody } from "../../review/format-review-body.js";
import { inlineCode } from "../../markdown/untrusted.js";
import type { PlacedFinding } from "../../domain/finding.js";
import { gapsSummary } from "../../review/completeness.js";
import { CLI_REMEDIES, gateSentence, type CliReport } from "../report.js";

/**
 * Markdown: the review body the app posts, then every finding the app would
 * post as a line or file comment, each under its `path:line` heading, with
 * the same comment text.
 */
export function formatMarkdown(report: CliReport): string {
  const { gate } = report;
  const sections = [
    formatReviewBody(report.result, { configProblems: report.inputNotices, ...(report.summary ? { summary: report.summary } : {}) }),
    "",
    `**${gateSentence(gate)}**`,
  ];
  if (gate.gaps) sections.push("", gapsSummary(gate.gaps, gate, gate.gating.length, CLI_REMEDIES));
  sections.push(...commentSections(report.result.findings));
  return `${sections.join("\n")}\n`;
}

/** Every finding the app posts as a line or file comment, under its `path:line` heading, with the comment's text. */
export function commentSections(findings: readonly PlacedFinding[]): string[] {
  const comments = findings.filter((f) => f.placement !== "body");
  if (comments.length === 0) return [];
  return [
    "",
    `### Line and file comments (${comments.length})`,
    ...comments.flatMap((f) => ["", `#### ${inlineCode(location(f))}`, "", formatFindingComment(f)]),
  ];
}

function location(f: PlacedFinding): string {
  const lines = f.startLine !== null ? `${f.startLine}-${f.line}` : `${f.line}`;
  const where = f.placement === "file" ? `${f.path} (file)` : `${f.path}:${lines}`;
  return f.side === "LEFT" ? `${where} (removed line)` : where;
}

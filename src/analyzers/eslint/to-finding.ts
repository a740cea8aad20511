import type { Linter } from "eslint";
import type { Finding } from "../../domain/finding.js";
import { redactTokenShapes } from "../../redact/redact.js";
import type { RuleInfo } from "./rule-table.js";

/** One ESLint message as a Longview finding, classified by the rule table. */
export function eslintMessageToFinding(path: string, message: Linter.LintMessage, info: RuleInfo, text: string): Finding {
  const ruleId = message.ruleId ?? "";
  const variant = message.messageId === undefined ? undefined : info.messages?.[message.messageId];
  // Messages may quote code; a token in that code must not travel on in titles (they reach the model as evidence).
  const reported = redactTokenShapes(firstLine(message.message));
  const title = info.title ?? reported;
  const advice = variant?.advice ?? info.advice;
  const detail = info.title !== undefined && reported !== info.title ? `${reported}\n\n` : "";
  const fix = message.fix ? suggestionFromFix(text, message) : null;
  return {
    path,
    line: fix?.line ?? message.line,
    startLine: fix?.startLine ?? null,
    side: "RIGHT",
    severity: variant?.severity ?? info.severity,
    category: info.category,
    title,
    body: `${detail}${advice}`,
    suggestion: fix?.suggestion ?? null,
    confidence: variant?.confidence ?? info.confidence,
    source: ruleId.startsWith("longview/") ? "longview-rules" : "eslint",
    ruleId,
    corroboratedBy: [],
  };
}

interface LineSuggestion {
  readonly startLine: number | null;
  readonly line: number;
  readonly suggestion: string;
}

/**
 * The reported lines with the rule's autofix applied, when the fix touches
 * only those lines; otherwise null (a suggestion must replace exactly the
 * commented range).
 */
export function suggestionFromFix(text: string, message: Pick<Linter.LintMessage, "line" | "endLine" | "fix">): LineSuggestion | null {
  if (!message.fix) return null;
  const first = message.line;
  const last = message.endLine ?? message.line;
  const rangeStart = lineStartOffset(text, first);
  const rangeEnd = lineStartOffset(text, last + 1);
  if (rangeStart === null) return null;
  const end = rangeEnd === null ? text.length : rangeEnd - 1 - (text[rangeEnd - 2] === "\r" ? 1 : 0);
  const [fixStart, fixEnd] = message.fix.range;
  if (fixStart < rangeStart || fixEnd > end) return null;
  const suggestion = text.slice(rangeStart, fixStart) + message.fix.text + text.slice(fixEnd, end);
  return { startLine: last > first ? first : null, line: last, suggestion };
}

/** Offset where 1-based `line` starts, or null past the end. */
function lineStartOffset(text: string, line: number): number | null {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const newline = text.indexOf("\n", offset);
    if (newline === -1) return null;
    offset = newline + 1;
  }
  return offset;
}

function firstLine(text: string): string {
  const line = text.split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

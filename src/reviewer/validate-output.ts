import type { Finding } from "../domain/finding.js";
import type { MemoryNote, Window } from "../domain/window.js";
import type { ModelOutput, ModelOutputFinding, ModelOutputNote } from "./output-schema.js";
import { PLACEHOLDER_PATTERN } from "../redact/redact.js";
import { checkEvidence, QUOTE_LIMITS, type ModelFindingFunnel } from "./evidence.js";

/**
 * Schema-valid output → domain values, checked against what the window showed.
 * Pure: what is dropped or adjusted is returned as `problems` for the caller to log.
 */

export const OUTPUT_LIMITS = {
  titleChars: 120,
  bodyChars: 6_000,
  suggestionChars: 6_000,
  findings: 50,
  notes: 12,
  noteChars: 300,
} as const;

export interface ValidatedOutput {
  readonly findings: readonly Finding[];
  readonly notes: readonly MemoryNote[];
  /** One human-readable line per dropped or adjusted item. */
  readonly problems: readonly string[];
  /** Findings answered, and how many were dropped for their quote (evidence) or their line (scope), or moved to their quote. */
  readonly funnel: ModelFindingFunnel;
}

export function validateModelOutput(output: ModelOutput, window: Window): ValidatedOutput {
  const shownPaths = new Set(window.local.files.map((file) => file.path));
  const problems: string[] = [];
  const findings: Finding[] = [];
  const funnel = { candidates: output.findings.length, droppedEvidence: 0, droppedScope: 0, reanchored: 0 };

  for (const raw of output.findings) {
    const result = toFinding(raw, shownPaths);
    if (typeof result === "string") {
      problems.push(`dropped finding "${oneLine(raw.title, 80)}" at ${raw.path}:${raw.line}: ${result}`);
      funnel.droppedScope++;
      continue;
    }
    const verdict = checkEvidence(result.finding, raw.quote, window.local.files);
    if (verdict.kind === "dropped") {
      problems.push(`dropped finding "${oneLine(raw.title, 80)}" at ${raw.path}:${raw.line} (${verdict.stage}): ${verdict.reason}`);
      if (verdict.stage === "evidence") funnel.droppedEvidence++;
      else funnel.droppedScope++;
      continue;
    }
    problems.push(...result.adjustments.map((a) => `adjusted finding at ${raw.path}:${raw.line}: ${a}`));
    if (verdict.kind === "reanchored") {
      funnel.reanchored++;
      problems.push(`re-anchored finding "${oneLine(raw.title, 80)}" at ${raw.path}:${raw.line}: ${verdict.reason}`);
      // A suggestion replaces exactly the cited lines; it was written for others.
      findings.push({ ...result.finding, ...verdict.anchor, suggestion: null });
      continue;
    }
    findings.push(result.finding);
  }
  if (findings.length > OUTPUT_LIMITS.findings) {
    problems.push(`kept the first ${OUTPUT_LIMITS.findings} of ${findings.length} findings`);
    findings.length = OUTPUT_LIMITS.findings;
  }

  const notes: MemoryNote[] = [];
  for (const raw of output.notes) {
    const note = toNote(raw, window.id);
    if (note === null) {
      problems.push(`dropped an empty ${raw.kind} note`);
      continue;
    }
    notes.push(note);
  }
  if (notes.length > OUTPUT_LIMITS.notes) {
    problems.push(`kept the first ${OUTPUT_LIMITS.notes} of ${notes.length} notes`);
    notes.length = OUTPUT_LIMITS.notes;
  }

  return { findings, notes, problems, funnel };
}

function toFinding(raw: ModelOutputFinding, shownPaths: ReadonlySet<string>): { finding: Finding; adjustments: string[] } | string {
  if (!shownPaths.has(raw.path)) return "path is not among the files shown in this window";
  if (raw.line < 1) return `line ${raw.line} is not a line number`;

  const title = oneLine(raw.title, OUTPUT_LIMITS.titleChars) || oneLine(raw.body, OUTPUT_LIMITS.titleChars);
  if (title === "") return "title and body are empty";

  const adjustments: string[] = [];
  let startLine = raw.start_line;
  let suggestion = raw.suggestion;
  if (startLine !== null && startLine >= raw.line) {
    if (startLine > raw.line) {
      adjustments.push(`start_line ${startLine} is after line ${raw.line}; commenting on line ${raw.line} only`);
      // The suggestion was written for a range we can no longer trust.
      if (suggestion !== null) adjustments.push("suggestion dropped with the invalid range");
      suggestion = null;
    }
    startLine = null;
  }
  if (startLine !== null && startLine < 1) {
    adjustments.push(`start_line ${startLine} is not a line number; commenting on line ${raw.line} only`);
    startLine = null;
    suggestion = null;
  }
  if (suggestion !== null && raw.side === "LEFT") {
    adjustments.push("suggestion dropped: suggestions replace new (RIGHT) lines only");
    suggestion = null;
  }
  if (suggestion !== null && PLACEHOLDER_PATTERN.test(suggestion)) {
    // Committing it would write the placeholder over the real value.
    adjustments.push("suggestion dropped: it contains a redaction placeholder, not the real value");
    suggestion = null;
  }
  if (suggestion !== null && suggestion.length > OUTPUT_LIMITS.suggestionChars) {
    adjustments.push("suggestion dropped: too long to be a small fix");
    suggestion = null;
  }

  const confidence = Math.min(1, Math.max(0, raw.confidence));
  if (confidence !== raw.confidence) adjustments.push(`confidence ${raw.confidence} clamped to ${confidence}`);

  return {
    finding: {
      path: raw.path,
      line: raw.line,
      startLine,
      side: raw.side,
      severity: raw.severity,
      category: raw.category,
      title,
      body: truncate(raw.body.trim(), OUTPUT_LIMITS.bodyChars),
      suggestion,
      confidence,
      source: "agent",
      ruleId: null,
      corroboratedBy: [],
      quote: raw.quote.slice(0, QUOTE_LIMITS.chars),
    },
    adjustments,
  };
}

function toNote(raw: ModelOutputNote, windowId: string): MemoryNote | null {
  const text = oneLine(raw.text, OUTPUT_LIMITS.noteChars);
  if (text === "") return null;
  const path = raw.path?.trim() || null;
  return { kind: raw.kind, path, text, windowId };
}

/** First non-empty line, whitespace collapsed, cut to `max` characters. */
function oneLine(text: string, max: number): string {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
  return truncate(first.replace(/\s+/g, " ").trim(), max);
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

import type { Finding } from "../../domain/finding.js";
import type { WindowFile } from "../../domain/window.js";
import { checkEvidence, QUOTE_LIMITS, type ModelFindingFunnel } from "../evidence.js";
import type { SynthesisOutput } from "./synthesis-schema.js";

/**
 * The synthesis pass's findings → domain findings on listed files, bounded, credited to the synthesis,
 * each held to its quote against the reviewed hunks of its file (reviewer/evidence.ts). Pure.
 */

export const SYNTHESIS_OUTPUT_LIMITS = { findings: 10, titleChars: 120, bodyChars: 4_000 } as const;

export function validateSynthesis(
  output: SynthesisOutput,
  paths: ReadonlySet<string>,
  files: readonly WindowFile[],
): { readonly findings: readonly Finding[]; readonly problems: readonly string[]; readonly funnel: ModelFindingFunnel } {
  const problems: string[] = [];
  const findings: Finding[] = [];
  const funnel = { candidates: output.findings.length, droppedEvidence: 0, droppedScope: 0, reanchored: 0 };
  for (const raw of output.findings) {
    const title = oneLine(raw.title, SYNTHESIS_OUTPUT_LIMITS.titleChars) || oneLine(raw.body, SYNTHESIS_OUTPUT_LIMITS.titleChars);
    if (!paths.has(raw.path)) {
      problems.push(`dropped finding "${oneLine(raw.title, 80)}": ${oneLine(raw.path, 120)} is not a changed file that was listed`);
      funnel.droppedScope++;
      continue;
    }
    if (raw.line < 1 || title === "") {
      problems.push(`dropped finding "${oneLine(raw.title, 80)}" at ${raw.path}:${raw.line}: no line or no title`);
      funnel.droppedScope++;
      continue;
    }
    let anchor = {
      path: raw.path,
      line: raw.line,
      startLine: raw.start_line !== null && raw.start_line >= 1 && raw.start_line < raw.line ? raw.start_line : null,
      side: raw.side,
    };
    // Only the file's own hunks: the synthesis cites one file, and the same text elsewhere is another place.
    const verdict = checkEvidence(
      anchor,
      raw.quote,
      files.filter((f) => f.path === raw.path),
    );
    if (verdict.kind === "dropped") {
      problems.push(`dropped finding "${oneLine(raw.title, 80)}" at ${raw.path}:${raw.line} (${verdict.stage}): ${verdict.reason}`);
      if (verdict.stage === "evidence") funnel.droppedEvidence++;
      else funnel.droppedScope++;
      continue;
    }
    if (verdict.kind === "reanchored") {
      funnel.reanchored++;
      problems.push(`re-anchored finding "${oneLine(raw.title, 80)}" at ${raw.path}:${raw.line}: ${verdict.reason}`);
      anchor = verdict.anchor;
    }
    const body = raw.body.trim();
    findings.push({
      ...anchor,
      severity: raw.severity,
      category: raw.category,
      title,
      body: body.length <= SYNTHESIS_OUTPUT_LIMITS.bodyChars ? body : `${body.slice(0, SYNTHESIS_OUTPUT_LIMITS.bodyChars - 1)}…`,
      suggestion: null,
      confidence: Math.min(1, Math.max(0, raw.confidence)),
      source: "synthesis",
      ruleId: null,
      corroboratedBy: [],
      quote: raw.quote.slice(0, QUOTE_LIMITS.chars),
    });
  }
  if (findings.length > SYNTHESIS_OUTPUT_LIMITS.findings) {
    problems.push(`kept the first ${SYNTHESIS_OUTPUT_LIMITS.findings} of ${findings.length} findings`);
    findings.length = SYNTHESIS_OUTPUT_LIMITS.findings;
  }
  return { findings, problems, funnel };
}

function oneLine(text: string, max: number): string {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
  const flat = first.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

import type { Finding } from "../../domain/finding.js";
import type { SynthesisOutput } from "./synthesis-schema.js";

/** The synthesis pass's findings → domain findings on listed files, bounded, credited to the synthesis. Pure. */

export const SYNTHESIS_OUTPUT_LIMITS = { findings: 10, titleChars: 120, bodyChars: 4_000 } as const;

export function validateSynthesis(
  output: SynthesisOutput,
  paths: ReadonlySet<string>,
): { readonly findings: readonly Finding[]; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const findings: Finding[] = [];
  for (const raw of output.findings) {
    const title = oneLine(raw.title, SYNTHESIS_OUTPUT_LIMITS.titleChars) || oneLine(raw.body, SYNTHESIS_OUTPUT_LIMITS.titleChars);
    if (!paths.has(raw.path)) {
      problems.push(`dropped finding "${oneLine(raw.title, 80)}": ${oneLine(raw.path, 120)} is not a changed file that was listed`);
      continue;
    }
    if (raw.line < 1 || title === "") {
      problems.push(`dropped finding "${oneLine(raw.title, 80)}" at ${raw.path}:${raw.line}: no line or no title`);
      continue;
    }
    const startLine = raw.start_line !== null && raw.start_line >= 1 && raw.start_line < raw.line ? raw.start_line : null;
    const body = raw.body.trim();
    findings.push({
      path: raw.path,
      line: raw.line,
      startLine,
      side: raw.side,
      severity: raw.severity,
      category: raw.category,
      title,
      body: body.length <= SYNTHESIS_OUTPUT_LIMITS.bodyChars ? body : `${body.slice(0, SYNTHESIS_OUTPUT_LIMITS.bodyChars - 1)}…`,
      suggestion: null,
      confidence: Math.min(1, Math.max(0, raw.confidence)),
      source: "synthesis",
      ruleId: null,
      corroboratedBy: [],
    });
  }
  if (findings.length > SYNTHESIS_OUTPUT_LIMITS.findings) {
    problems.push(`kept the first ${SYNTHESIS_OUTPUT_LIMITS.findings} of ${findings.length} findings`);
    findings.length = SYNTHESIS_OUTPUT_LIMITS.findings;
  }
  return { findings, problems };
}

function oneLine(text: string, max: number): string {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
  const flat = first.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

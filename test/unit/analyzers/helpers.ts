import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pino from "pino";
import type { AnalyzerFilter, AnalyzerInput } from "../../../src/analyzers/analyzer.js";
import type { ChangedFile, DiffLine } from "../../../src/domain/change-set.js";
import type { Finding } from "../../../src/domain/finding.js";
import { buildLineMap } from "../../../src/diff/line-map.js";

export const FIXTURES = fileURLToPath(new URL("../../fixtures/analyzers/", import.meta.url));

export function readFixture(relative: string): string {
  return readFileSync(`${FIXTURES}${relative}`, "utf8");
}

/** A file added in full: every line is an added line of one hunk. */
export function addedFile(path: string, content: string): ChangedFile {
  const texts = content.endsWith("\n") ? content.slice(0, -1).split("\n") : content.split("\n");
  const lines: DiffLine[] = texts.map((text, i) => ({ kind: "add", oldLine: null, newLine: i + 1, text }));
  return {
    path,
    previousPath: null,
    status: "added",
    additions: lines.length,
    deletions: 0,
    hunks: [{ index: 0, header: `@@ -0,0 +1,${lines.length} @@`, oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length, lines }],
  };
}

export function inputFor(files: readonly { path: string; content: string; changed?: ChangedFile }[], filter: AnalyzerFilter = "added"): AnalyzerInput {
  const changed = files.map((f) => f.changed ?? addedFile(f.path, f.content));
  return {
    files: changed,
    headContents: new Map(files.map((f) => [f.path, f.content])),
    lineMap: buildLineMap(changed),
    filter,
  };
}

/** `// expect: rule-a, rule-b` markers → "line:rule" keys. */
export function expectedMarkers(content: string): string[] {
  const keys: string[] = [];
  content.split("\n").forEach((text, i) => {
    const match = /(?:\/\/|#|<!--|\{\{!--)\s*expect:\s*([\w/@.-]+(?:\s*,\s*[\w/@.-]+)*)/.exec(text);
    if (match) for (const rule of match[1]!.split(",")) keys.push(`${i + 1}:${rule.trim()}`);
  });
  return keys.sort();
}

export function findingKeys(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.line}:${f.ruleId}`).sort();
}

export interface CapturedLog {
  readonly log: pino.Logger;
  readonly records: () => Record<string, unknown>[];
}

/** A pino logger writing JSON records to memory. */
export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const log = pino({ level: "debug" }, { write: (chunk: string) => void lines.push(chunk) });
  return { log, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

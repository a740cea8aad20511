import type { Logger } from "pino";
import type { Analyzer } from "../analyzers/analyzer.js";
import { runAnalyzers, type AnalyzerRun } from "../analyzers/index.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import type { ChangedFile, DiffLine } from "../domain/change-set.js";
import type { Finding } from "../domain/finding.js";

/**
 * The analyzers as a fix's referee: they read whole files (every line
 * counts as changed), once before and once after the edits. A targeted
 * finding must be gone from its line region, and no new P0/P1 may appear.
 */

/** Runs the analyzers on the whole of each file. */
export async function analyzeWholeFiles(
  analyzers: readonly Analyzer[],
  files: ReadonlyMap<string, string>,
  log: Logger,
  signal?: AbortSignal,
): Promise<AnalyzerRun> {
  const changed = [...files].flatMap(([path, text]) => {
    const file = wholeFileChange(path, text);
    return file === null ? [] : [file];
  });
  const changeSet = buildChangeSet({ files: changed, headContents: files });
  return runAnalyzers(analyzers, { files: changeSet.files, headContents: files, lineMap: changeSet.lineMap, filter: "added" }, log, signal);
}

function wholeFileChange(path: string, text: string): ChangedFile | null {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length === 0) return null;
  const diffLines: DiffLine[] = lines.map((line, i) => ({ kind: "add", oldLine: null, newLine: i + 1, text: line.replace(/\r$/, "") }));
  return {
    path,
    previousPath: null,
    status: "added",
    hunks: [{ index: 0, header: `@@ -0,0 +1,${lines.length} @@`, oldStart: 0, oldLines: 0, newStart: 1, newLines: lines.length, lines: diffLines }],
    additions: lines.length,
    deletions: 0,
  };
}

/** How far (in lines) a reported line may be from the finding's range and still be the same finding. */
export const LINE_SLACK = 3;

/** The analyzer finding in `findings` that is `target` (same file and rule, near its lines), or null. */
export function sameFinding(target: Finding, findings: readonly Finding[], range: { from: number; to: number }): Finding | null {
  if (target.ruleId === null) return null;
  const matches = findings.filter(
    (f) => f.path === target.path && f.ruleId === target.ruleId && f.line >= range.from - LINE_SLACK && (f.startLine ?? f.line) <= range.to + LINE_SLACK,
  );
  const middle = (range.from + range.to) / 2;
  return matches.sort((a, b) => Math.abs(a.line - middle) - Math.abs(b.line - middle))[0] ?? null;
}

/** P0/P1 findings in `after` that `before` does not have (compared per file, rule and title, as lines move). */
export function newSevereFindings(before: readonly Finding[], after: readonly Finding[], paths: ReadonlySet<string>): Finding[] {
  const severe = (f: Finding) => paths.has(f.path) && (f.severity === "P0" || f.severity === "P1");
  const key = (f: Finding) => `${f.path}\u0000${f.ruleId ?? f.source}\u0000${f.title}`;
  const budget = new Map<string, number>();
  for (const f of before.filter(severe)) budget.set(key(f), (budget.get(key(f)) ?? 0) + 1);
  const added: Finding[] = [];
  for (const f of after.filter(severe)) {
    const left = budget.get(key(f)) ?? 0;
    if (left > 0) budget.set(key(f), left - 1);
    else added.push(f);
  }
  return added;
}

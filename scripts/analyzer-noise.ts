/**
 * How often the offline analyzers report on real library code: runs them over
 * every source file under the given directories as if each file were added by
 * a pull request, and prints the findings per rule (with samples to review)
 * and the run time per 100k lines. Library code is mostly correct, so each
 * finding here is either a false positive to fix or a justified report.
 *
 *   npx tsx scripts/analyzer-noise.ts DIR... [--samples N] [--rules PREFIX,...]
 *
 * e.g. the Python and Go standard libraries (Debian: python3.11, golang-1.19-src):
 *   npx tsx scripts/analyzer-noise.ts /usr/lib/python3.11 /usr/share/go-1.19/src --rules python/,go/
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import pino from "pino";
import { createDefaultAnalyzers, runAnalyzers, type AnalyzerInput } from "../src/analyzers/index.js";
import { MAX_ANALYZED_CHARS } from "../src/analyzers/analyzable-files.js";
import { buildLineMap } from "../src/diff/line-map.js";
import type { ChangedFile, DiffLine } from "../src/domain/change-set.js";
import type { Finding } from "../src/domain/finding.js";

const EXTENSIONS = /\.(?:[cm]?js|[cm]?ts|jsx|tsx|py|go)$/;
/** Test data and tests are not library code: fixtures hold bad code on purpose. */
const SKIPPED = /(?:^|\/)(?:testdata|tests?|__tests__|node_modules\/\.cache|site-packages|lib2to3|idlelib)(?:\/|$)|_test\.go$|\.d\.ts$|\.min\.js$/;
const BATCH = 50;

async function* files(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (SKIPPED.test(path)) continue;
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && EXTENSIONS.test(entry.name)) yield path;
  }
}

function addedFile(path: string, content: string): ChangedFile {
  const texts = content.split("\n");
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

async function main(argv: readonly string[]): Promise<void> {
  const option = (name: string): string | undefined => {
    const at = argv.indexOf(name);
    return at === -1 ? undefined : argv[at + 1];
  };
  const samples = Number(option("--samples") ?? 5);
  const prefixes = (option("--rules") ?? "").split(",").filter((p) => p !== "");
  const dirs = argv.filter((a, i) => !a.startsWith("--") && !argv[i - 1]?.startsWith("--"));
  if (dirs.length === 0) throw new Error("usage: analyzer-noise.ts DIR... [--samples N] [--rules PREFIX,...]");
  const log = pino({ level: "silent" });
  const analyzers = createDefaultAnalyzers({ log });
  const byRule = new Map<string, Finding[]>();
  let lines = 0;
  let fileCount = 0;
  const msByAnalyzer = new Map<string, number>();
  let batch: { path: string; content: string }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const changed = batch.map((f) => addedFile(f.path, f.content));
    const input: AnalyzerInput = {
      files: changed,
      headContents: new Map(batch.map((f) => [f.path, f.content])),
      lineMap: buildLineMap(changed),
      filter: "added",
    };
    const findings: Finding[] = [];
    // One analyzer at a time, so each one's run time is its own.
    for (const analyzer of analyzers) {
      const started = performance.now();
      const run = await runAnalyzers([analyzer], input, log);
      msByAnalyzer.set(analyzer.name, (msByAnalyzer.get(analyzer.name) ?? 0) + performance.now() - started);
      for (const error of run.errors) process.stderr.write(`analyzer ${error.analyzer} failed: ${error.message}\n`);
      findings.push(...run.findings);
    }
    for (const finding of findings) {
      const rule = finding.ruleId ?? finding.source;
      if (prefixes.length > 0 && !prefixes.some((p) => rule.startsWith(p))) continue;
      byRule.set(rule, [...(byRule.get(rule) ?? []), finding]);
    }
    batch = [];
  };
  for (const dir of dirs) {
    for await (const path of files(dir)) {
      const content = await readFile(path, "utf8");
      if (content.length > MAX_ANALYZED_CHARS) continue;
      lines += content.split("\n").length;
      fileCount++;
      batch.push({ path, content });
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
  const total = [...byRule.values()].reduce((n, f) => n + f.length, 0);
  const per100k = (ms: number): string => `${((ms / lines) * 100).toFixed(2)} s per 100k lines`;
  const ms = [...msByAnalyzer.values()].reduce((a, b) => a + b, 0);
  process.stdout.write(`${fileCount} files, ${lines.toLocaleString("en")} lines, ${(ms / 1000).toFixed(1)} s analyzing (${per100k(ms)})\n`);
  for (const [name, taken] of msByAnalyzer) process.stdout.write(`  ${name}: ${(taken / 1000).toFixed(1)} s (${per100k(taken)})\n`);
  process.stdout.write(`${total} finding(s)${prefixes.length > 0 ? ` from rules ${prefixes.join(", ")}` : ""}\n`);
  for (const [rule, findings] of [...byRule].sort((a, b) => b[1].length - a[1].length)) {
    process.stdout.write(`\n${rule}: ${findings.length}\n`);
    for (const f of findings.slice(0, samples)) process.stdout.write(`  ${f.path}:${f.line}  ${f.body.split("\n", 1)[0]}\n`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});

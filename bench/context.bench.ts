import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildWindowPlan, countTokens, initSyntax, renderWindow, resolveMemoryTokenCap } from "../src/context/index.js";
import { fileHeader, globalTokens, hunkTokens } from "../src/context/render.js";
import type { ChangeSet } from "../src/domain/change-set.js";
import type { WindowPlan } from "../src/domain/window.js";
import { generatePr, generateRenamePr, type GeneratedPr } from "./fixtures/generate-pr.js";

/**
 * Context-builder benchmark: `npm run bench`. Each scenario runs in its own
 * process so that peak RSS belongs to it alone (it includes generating the
 * input). Build time is reported cold (first plan in the process: tokenizer
 * and JIT warm-up, as for the first review after a restart) and warm (median
 * of the next runs, as in a long-running app), with CPU time beside wall time
 * because this machine is shared.
 */

const BUDGET = { windowTokens: 24_000, outputTokens: 8_000, contextTokens: 272_000 };
const GLOBAL = {
  title: "Migrate services to the new data layer",
  description: "Moves every service to the repository API.\n\n- replaces raw SQL\n- adds audit records\n",
  guidelines: "Flag SQL injection, missing authorization checks, and swallowed errors.",
};
const WARM_RUNS = 3;

const SCENARIOS: Readonly<Record<string, () => GeneratedPr>> = {
  "1k": () => generatePr(1_000),
  "10k": () => generatePr(10_000),
  "100k": () => generatePr(100_000),
  "rename-2000": () => generateRenamePr(2_000),
};

interface Result {
  readonly scenario: string;
  readonly files: number;
  readonly changedLines: number;
  readonly windows: number;
  readonly waves: number;
  readonly coldMs: number;
  readonly warmMs: number;
  readonly warmCpuMs: number;
  /** Process peak right after the first plan (input generation, tokenizer and grammars included). */
  readonly coldPeakRssMb: number;
  /** Process peak after the warm runs too. */
  readonly peakRssMb: number;
  readonly tokensSent: number;
  readonly diffTokens: number;
  readonly perHunkBaseline: number;
  readonly reviewedPercent: number;
  readonly foldedLines: number;
  readonly summarizedLines: number;
  readonly triagedLines: number;
  readonly coveredPercent: number;
  readonly compaction: Readonly<Record<string, number>>;
}

async function runScenario(name: string): Promise<Result> {
  const generate = SCENARIOS[name];
  if (!generate) throw new Error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(", ")}`);
  const pr = generate();
  await initSyntax();
  let started = performance.now();
  const plan = buildWindowPlan(pr.changeSet, GLOBAL, BUDGET);
  const coldMs = performance.now() - started;
  const coldPeakRssMb = process.resourceUsage().maxRSS / 1024;
  verify(plan);
  const summary = summarize(name, pr, plan, coldMs, coldPeakRssMb);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const cpuStart = process.cpuUsage();
    started = performance.now();
    buildWindowPlan(pr.changeSet, GLOBAL, BUDGET);
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  return { ...summary, warmMs: median(wall), warmCpuMs: median(cpu), peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

function summarize(name: string, pr: GeneratedPr, plan: WindowPlan, coldMs: number, coldPeakRssMb: number): Omit<Result, "warmMs" | "warmCpuMs" | "peakRssMb"> {
  const { coverage } = plan;
  return {
    scenario: name,
    files: pr.files,
    changedLines: coverage.changedLines,
    windows: plan.windows.length,
    waves: new Set(plan.windows.map((w) => w.wave)).size,
    coldMs,
    coldPeakRssMb,
    tokensSent: plan.stats.tokensSent,
    diffTokens: plan.stats.diffTokens,
    perHunkBaseline: perHunkBaseline(pr.changeSet, plan),
    reviewedPercent: (100 * coverage.reviewedLines) / coverage.changedLines,
    foldedLines: coverage.foldedLines,
    summarizedLines: coverage.summarizedLines,
    triagedLines: coverage.triagedLines,
    coveredPercent: (100 * accounted(coverage)) / coverage.changedLines,
    compaction: plan.stats.compaction,
  };
}

/** The guarantees, checked on the real rendered text (outside the timed runs). */
function verify(plan: WindowPlan): void {
  const memoryCap = resolveMemoryTokenCap(BUDGET);
  for (const w of plan.windows) {
    const counted = countTokens(renderWindow(w));
    if (counted !== w.tokens.total) throw new Error(`${w.id}: rendered ${counted} tokens, accounted ${w.tokens.total}`);
    if (w.tokens.total + memoryCap > BUDGET.windowTokens) throw new Error(`${w.id}: ${w.tokens.total} + memory ${memoryCap} over budget`);
  }
  if (plan.coverage.changedLines !== accounted(plan.coverage)) throw new Error("coverage does not add up");
}

/** Changed lines in some category: reviewed, folded, summarized, triaged or skipped. */
function accounted(c: WindowPlan["coverage"]): number {
  return c.reviewedLines + c.foldedLines + c.summarizedLines + c.triagedLines + c.skippedLines;
}

/** What sending each hunk alone with the global layer would cost: the naive way to stay within budget. */
function perHunkBaseline(changeSet: ChangeSet, plan: WindowPlan): number {
  const global = plan.windows[0] ? globalTokens(plan.windows[0].global) : 0;
  let tokens = 0;
  for (const file of changeSet.files) {
    const header = countTokens(fileHeader(file));
    for (const hunk of file.hunks) tokens += global + header + hunkTokens({ hunk, surrounding: null, duplicates: [] });
  }
  return tokens;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function table(results: readonly Result[]): string {
  const rows = [
    [
      "scenario",
      "files",
      "changed",
      "windows",
      "waves",
      "cold ms",
      "warm ms",
      "warm cpu ms",
      "ms/1k lines",
      "RSS MB cold",
      "RSS MB all",
      "sent",
      "diff",
      "sent/diff",
      "sent/per-hunk",
      "reviewed",
      "folded",
      "summarized",
      "triaged",
      "covered",
    ],
    ...results.map((r) => [
      r.scenario,
      String(r.files),
      String(r.changedLines),
      String(r.windows),
      String(r.waves),
      r.coldMs.toFixed(0),
      r.warmMs.toFixed(0),
      r.warmCpuMs.toFixed(0),
      ((1000 * r.warmMs) / r.changedLines).toFixed(1),
      r.coldPeakRssMb.toFixed(0),
      r.peakRssMb.toFixed(0),
      String(r.tokensSent),
      String(r.diffTokens),
      (r.tokensSent / r.diffTokens).toFixed(2),
      `${((100 * r.tokensSent) / r.perHunkBaseline).toFixed(1)}%`,
      `${r.reviewedPercent.toFixed(2)}%`,
      String(r.foldedLines),
      String(r.summarizedLines),
      String(r.triagedLines),
      `${r.coveredPercent.toFixed(2)}%`,
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ")).join("\n");
}

async function main(): Promise<void> {
  const at = process.argv.indexOf("--scenario");
  if (at !== -1) {
    process.stdout.write(`${JSON.stringify(await runScenario(process.argv[at + 1] ?? ""))}\n`);
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const results: Result[] = [];
  for (const name of Object.keys(SCENARIOS)) {
    const out = execFileSync(process.execPath, ["--import", "tsx", self, "--scenario", name], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
    results.push(JSON.parse(out.trim().split("\n").pop()!) as Result);
  }
  process.stdout.write(`${table(results)}\n\nCompaction:\n`);
  for (const r of results) process.stdout.write(`  ${r.scenario}: ${JSON.stringify(r.compaction)}\n`);
  process.stdout.write(
    "\n(cold: first plan in a fresh process; warm: median of the next 3. RSS is the process peak, input generation included: after the cold plan, then after all runs.\n" +
      " sent: tokens of all windows; diff: tokens of the reviewable hunks alone; per-hunk: each hunk sent alone with the global layer.\n" +
      " reviewed: share of changed lines shown to the model; folded, summarized, triaged: changed lines counted apart; covered: all categories and skips.)\n",
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

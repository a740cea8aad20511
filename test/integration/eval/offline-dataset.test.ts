import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { loadDataset } from "../../../src/eval/load-dataset.js";
import { EvalResultSchema, type EvalResult } from "../../../src/eval/result.js";
import { runEvalCli, tempDir, type TempDir } from "./run-eval-cli.js";

/**
 * CI's offline evaluation: the starter dataset through the real pipeline with
 * the analyzers only. Asserts the shape of the result and that every number in
 * it is consistent with the per-case matches.
 */

const DATASET = join(process.cwd(), "eval", "cases");
let out: TempDir;
let result: EvalResult;
let stdout: string;

beforeAll(async () => {
  out = await tempDir("longview-eval-");
  // A key is configured but --offline must keep the model out: any request to this host would fail the run.
  const run = await runEvalCli(["--dataset", DATASET, "--offline", "--out", out.path, "-q"], {
    OPENAI_API_KEY: "sk-test",
    OPENAI_BASE_URL: "https://llm.eval-offline.example",
  });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  stdout = run.stdout;
  result = EvalResultSchema.parse(JSON.parse(await readFile(join(out.path, "result.json"), "utf8")));
}, 120_000);

afterAll(async () => {
  await out.remove();
});

describe("the starter dataset", () => {
  test("loads: at least 30 cases with issues and 10 clean ones, in JS/TS, Python and Go", async () => {
    const cases = await loadDataset(DATASET);
    expect(cases.filter((c) => c.expected.length > 0).length).toBeGreaterThanOrEqual(30);
    expect(cases.filter((c) => c.expected.length === 0).length).toBeGreaterThanOrEqual(10);
    expect(new Set(cases.map((c) => c.language))).toEqual(new Set(["typescript", "javascript", "python", "go"]));
    const categories = new Set(cases.flatMap((c) => c.expected.map((e) => e.category)));
    expect(categories).toEqual(new Set(["bug", "security", "performance"]));
    expect((await readdir(DATASET)).length).toBe(cases.length);
  });
});

describe("offline run", () => {
  test("is offline because of --offline, with no model spend", () => {
    expect(result.mode).toBe("offline");
    expect(result.offlineReason).toBe("--offline");
    expect(result.model).toBeNull();
    expect(result.totals.review).toMatchObject({ modelCalls: 0, costUsd: 0, usage: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 } });
    expect(result.tolerance).toBe(3);
  });

  test("every case's matches, misses and false positives account for all its issues and findings", () => {
    for (const c of result.cases) {
      expect(c.matches.length + c.missed.length).toBe(c.expected.length);
      expect(c.matches.length + c.falsePositives.length).toBe(c.findings.length);
      expect(c.scores).toMatchObject({ expected: c.expected.length, findings: c.findings.length, matchedExpected: c.matches.length });
      for (const m of c.matches) {
        const issue = c.expected[m.expected];
        const finding = c.findings[m.finding];
        expect(finding?.path).toBe(issue?.path);
        expect(finding?.category).toBe(issue?.category);
      }
    }
  });

  test("overall and per-category numbers are the sums over cases", () => {
    const sum = (f: (c: EvalResult["cases"][number]) => number) => result.cases.reduce((s, c) => s + f(c), 0);
    const expected = sum((c) => c.expected.length);
    const findings = sum((c) => c.findings.length);
    const matched = sum((c) => c.matches.length);
    expect(result.overall).toMatchObject({ expected, findings, matchedExpected: matched, matchedFindings: matched });
    expect(result.overall.recall).toBeCloseTo(matched / expected, 10);
    if (findings > 0) expect(result.overall.precision).toBeCloseTo(matched / findings, 10);
    const categoryExpected = Object.values(result.byCategory).reduce((s, x) => s + x.expected, 0);
    const severityFindings = Object.values(result.bySeverity).reduce((s, x) => s + x.findings, 0);
    expect(categoryExpected).toBe(expected);
    expect(severityFindings).toBe(findings);
  });

  test("the analyzers find labeled issues in every language, at the offline targets (recall ≥ 35%, precision ≥ 90%)", () => {
    expect(result.byLanguage.typescript!.matchedExpected + result.byLanguage.javascript!.matchedExpected).toBeGreaterThan(0);
    expect(result.byLanguage.python!.matchedExpected).toBeGreaterThan(0);
    expect(result.byLanguage.go!.matchedExpected).toBeGreaterThan(0);
    expect(result.overall.recall!).toBeGreaterThanOrEqual(0.35);
    expect(result.overall.precision!).toBeGreaterThanOrEqual(0.9);
  });

  test("prints the summary and writes the Markdown report", async () => {
    expect(stdout).toContain("Longview review evaluation");
    expect(stdout).toMatch(/overall\s+\d+\.\d% \(\d+\/\d+\)/);
    const report = await readFile(join(out.path, "report.md"), "utf8");
    expect(report).toContain("# Longview review evaluation");
    expect(report).toContain("Offline run");
    expect(report).toContain("| overall |");
    expect(report).toContain("## Misses and false positives");
  });
});

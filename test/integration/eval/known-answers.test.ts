import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import type { Reviewer, WindowReview } from "../../../src/reviewer/reviewer.js";
import { loadEnv } from "../../../src/config/env.js";
import type { Finding } from "../../../src/domain/finding.js";
import type { Judge } from "../../../src/eval/judge.js";
import { loadDataset } from "../../../src/eval/load-dataset.js";
import { runEval, type EvalRunInput } from "../../../src/eval/run-eval.js";
import { finding } from "../../helpers/findings.js";
import { numberedLines, tempDir, type TempDir } from "./run-eval-cli.js";

/**
 * Tiny synthetic cases with known answers, through the real pipeline
 * (ChangeSet construction, runReview, merging, placement) with a scripted
 * reviewer in place of the model, so every number can be worked out by hand.
 */

const USAGE = { inputTokens: 1_000, outputTokens: 200, reasoningTokens: 50 };

/** Answers every window with the scripted findings of the window's files. */
function scriptedReviewer(script: readonly Finding[]): Reviewer {
  return {
    model: "gpt-5-mini",
    async review(window): Promise<WindowReview> {
      const paths = new Set(window.local.files.map((f) => f.path));
      return { findings: script.filter((f) => paths.has(f.path)), notes: [], usage: USAGE, calls: 1 };
    },
  };
}

let dir: TempDir;

beforeAll(async () => {
  dir = await tempDir("longview-eval-known-");
  // Two labeled issues; the reviewer finds one of them (3 lines off, within the tolerance) and reports one wrong thing.
  await dir.write("two-issues/head/src/app.ts", numberedLines(30));
  await dir.write(
    "two-issues/case.yaml",
    [
      "id: two-issues",
      "title: Two issues",
      "language: typescript",
      "expected:",
      "  - { path: src/app.ts, line_start: 5, line_end: 6, category: bug, severity: P1, description: first }",
      "  - { path: src/app.ts, line_start: 20, line_end: 20, category: security, severity: P0, description: second }",
    ].join("\n"),
  );
  // A clean case: whatever is reported there is a false positive.
  await dir.write("clean/base/lib/util.py", numberedLines(10, "#"));
  await dir.write("clean/head/lib/util.py", numberedLines(12, "#"));
  await dir.write("clean/case.yaml", "id: clean\ntitle: Nothing wrong\nlanguage: python\nexpected: []\n");
});

afterAll(async () => {
  await dir.remove();
});

const script: Finding[] = [
  finding({ path: "src/app.ts", line: 9, category: "bug", severity: "P1", title: "right" }),
  finding({ path: "src/app.ts", line: 27, category: "performance", severity: "P2", title: "wrong" }),
  finding({ path: "lib/util.py", line: 11, category: "bug", severity: "P3", title: "noise" }),
];

async function run(overrides: Partial<EvalRunInput> = {}) {
  const cases = await loadDataset(dir.path);
  return runEval({
    dataset: dir.path,
    cases,
    env: loadEnv({}),
    reviewer: scriptedReviewer(script),
    offlineReason: null,
    analyzers: [],
    judge: null,
    tolerance: 3,
    windowTokens: 24_000,
    concurrency: 2,
    log: pino({ level: "silent" }),
    ...overrides,
  });
}

describe("known answers", () => {
  test("2 expected, 1 found right, 1 false positive → precision 0.5, recall 0.5, F1 0.5", async () => {
    const result = await run();
    const twoIssues = result.cases.find((c) => c.id === "two-issues");
    expect(twoIssues?.scores).toEqual({ expected: 2, matchedExpected: 1, findings: 2, matchedFindings: 1, recall: 0.5, precision: 0.5, f1: 0.5 });
    expect(twoIssues?.matches).toEqual([{ expected: 0, finding: expect.any(Number), scope: "lines", distance: 3 }]);
    expect(twoIssues?.missed).toEqual([1]);
    expect(twoIssues?.findings[twoIssues.falsePositives[0] ?? -1]?.title).toBe("wrong");
  });

  test("the clean case's finding lowers precision overall: 1 of 3 findings, 1 of 2 issues", async () => {
    const result = await run();
    expect(result.cases.find((c) => c.id === "clean")?.scores).toMatchObject({ expected: 0, findings: 1, recall: null, precision: 0 });
    expect(result.overall).toMatchObject({ expected: 2, matchedExpected: 1, findings: 3, matchedFindings: 1, recall: 0.5 });
    expect(result.overall.precision).toBeCloseTo(1 / 3, 10);
    expect(result.overall.f1).toBeCloseTo(0.4, 10);
    expect(result.byCategory.security).toMatchObject({ expected: 1, matchedExpected: 0, recall: 0, precision: null });
    expect(result.byCategory.performance).toMatchObject({ expected: 0, findings: 1, precision: 0 });
    expect(result.byLanguage.python).toMatchObject({ expected: 0, findings: 1 });
  });

  test("tokens, calls and the estimated cost come from the reviewer's usage and the price table", async () => {
    const result = await run();
    // gpt-5-mini: $0.25 per million input tokens, $2 per million output tokens; one window per case.
    const perCase = (1_000 * 0.25 + 200 * 2) / 1_000_000;
    for (const c of result.cases) expect(c.review).toMatchObject({ usage: USAGE, modelCalls: 1, costUsd: perCase });
    expect(result.totals.review.costUsd).toBeCloseTo(2 * perCase, 12);
    expect(result.totals.review.usage).toEqual({ inputTokens: 2_000, outputTokens: 400, reasoningTokens: 100 });
    expect(result.mode).toBe("model");
    expect(result.model).toBe("gpt-5-mini");
  });

  test("a model without a price has tokens but no cost", async () => {
    const unpriced: Reviewer = { ...scriptedReviewer(script), model: "local-llama" };
    const result = await run({ reviewer: unpriced });
    expect(result.totals.review.costUsd).toBeNull();
    expect(result.cases[0]?.review.costUsd).toBeNull();
  });

  test("a tighter tolerance loses the match that was 3 lines off", async () => {
    const result = await run({ tolerance: 2 });
    expect(result.overall).toMatchObject({ matchedExpected: 0, findings: 3 });
  });

  test("the judge decides among located candidates; its rejection makes a miss and a false positive", async () => {
    const asked: string[] = [];
    const judge: Judge = {
      model: "gpt-5",
      async decide(caseId, issue, candidates) {
        asked.push(`${caseId}:${issue.description}:${candidates.map((c) => c.title).join(",")}`);
        return { accepted: new Set<number>(), usage: { inputTokens: 100, outputTokens: 10, reasoningTokens: 0 }, calls: 1 };
      },
    };
    const result = await run({ judge });
    expect(asked).toEqual(["two-issues:first:right"]);
    expect(result.overall).toMatchObject({ matchedExpected: 0, findings: 3 });
    expect(result.judgeModel).toBe("gpt-5");
    expect(result.totals.judge).toMatchObject({ modelCalls: 1, failures: 0, usage: { inputTokens: 100, outputTokens: 10 } });
    expect(result.totals.judge?.costUsd).toBeCloseTo((100 * 1.25 + 10 * 10) / 1_000_000, 12);
  });

  test("offline: no reviewer, analyzers only, and the reason is recorded", async () => {
    const result = await run({ reviewer: null, offlineReason: "no OPENAI_API_KEY" });
    expect(result).toMatchObject({ mode: "offline", offlineReason: "no OPENAI_API_KEY", model: null });
    expect(result.overall).toMatchObject({ findings: 0, matchedExpected: 0 });
    expect(result.cases.every((c) => c.notices.length === 0)).toBe(true);
  });
});

import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import type { Analyzer } from "../../../src/analyzers/analyzer.js";
import { loadEnv } from "../../../src/config/env.js";
import type { Finding } from "../../../src/domain/finding.js";
import type { Judge } from "../../../src/eval/judge.js";
import { loadDataset } from "../../../src/eval/load-dataset.js";
import { renderMarkdown, renderText } from "../../../src/eval/render-report.js";
import { EvalResultSchema } from "../../../src/eval/result.js";
import { runEval, type EvalRunInput } from "../../../src/eval/run-eval.js";
import type { CandidateVerdict } from "../../../src/reviewer/verification/validate-verification.js";
import type { VerificationPass } from "../../../src/reviewer/verification/verification-pass.js";
import type { Reviewer, WindowReview } from "../../../src/reviewer/reviewer.js";
import { finding } from "../../helpers/findings.js";
import { numberedLines, tempDir, type TempDir } from "./run-eval-cli.js";

/**
 * Scores before and after verification, and the funnel's shares, on tiny
 * cases with hand-computed answers: the real pipeline (runReview with its
 * verification stage) with a scripted reviewer and a scripted verifier that
 * decides by title.
 */

const USAGE = { inputTokens: 1_000, outputTokens: 200, reasoningTokens: 0 };

/** Confirms the candidates whose title is in `scores` at that score; rejects the others. */
function scriptedVerifier(scores: Readonly<Record<string, number>>, asked: string[] = []): VerificationPass {
  return {
    model: "gpt-5-mini",
    async verify(batch) {
      const verdicts = new Map<string, CandidateVerdict>();
      for (const { id, finding: f } of batch.candidates) {
        asked.push(f.title);
        const score = scores[f.title];
        verdicts.set(
          id,
          score === undefined ? { verdict: "rejected", score: 0.1, reason: "not a defect" } : { verdict: "confirmed", score, reason: "as described" },
        );
      }
      return { verdicts, unanswered: [], usage: USAGE, calls: 1, inputTokens: 500 };
    },
  };
}

function scriptedReviewer(script: readonly Finding[], verification?: VerificationPass): Reviewer {
  return {
    model: "gpt-5-mini",
    async review(window): Promise<WindowReview> {
      const paths = new Set(window.local.files.map((f) => f.path));
      return { findings: script.filter((f) => paths.has(f.path)), notes: [], usage: USAGE, calls: 1 };
    },
    ...(verification ? { verification } : {}),
  };
}

/** A deterministic finding: posted whatever the verifier says. */
const ruleAnalyzer: Analyzer = {
  name: "eslint",
  async analyze(input) {
    if (!input.files.some((f) => f.path === "src/app.ts")) return { findings: [] };
    return {
      findings: [
        finding({ path: "src/app.ts", line: 28, category: "security", severity: "P2", title: "rule", source: "eslint", ruleId: "no-eval", confidence: 1 }),
      ],
    };
  },
};

const script: Finding[] = [
  finding({ path: "src/app.ts", line: 6, category: "bug", severity: "P1", title: "right" }),
  finding({ path: "src/app.ts", line: 15, category: "performance", severity: "P2", title: "wrong" }),
  finding({ path: "src/app.ts", line: 20, category: "security", severity: "P0", title: "also right" }),
  finding({ path: "lib/util.py", line: 11, category: "bug", severity: "P3", title: "noise" }),
];

let dir: TempDir;

beforeAll(async () => {
  dir = await tempDir("longview-eval-verification-");
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
  await dir.write("clean/base/lib/util.py", numberedLines(10, "#"));
  await dir.write("clean/head/lib/util.py", numberedLines(12, "#"));
  await dir.write("clean/case.yaml", "id: clean\ntitle: Nothing wrong\nlanguage: python\nexpected: []\n");
});

afterAll(async () => {
  await dir.remove();
});

async function run(overrides: Partial<EvalRunInput> = {}) {
  return runEval({
    dataset: dir.path,
    cases: await loadDataset(dir.path),
    env: loadEnv({}),
    // Only "right" survives verification: "also right" is a true positive the verifier wrongly rejects.
    reviewer: scriptedReviewer(script, scriptedVerifier({ right: 0.9 })),
    offlineReason: null,
    analyzers: [ruleAnalyzer],
    judge: null,
    tolerance: 3,
    windowTokens: 24_000,
    concurrency: 1,
    log: pino({ level: "silent" }),
    ...overrides,
  });
}

describe("before and after verification", () => {
  test("before: every candidate plus the analyzer's finding; after: what was posted", async () => {
    const result = await run();
    const twoIssues = result.cases.find((c) => c.id === "two-issues")!;
    // Before: right (issue 1), also right (issue 2), wrong, rule → 2 of 4 findings, 2 of 2 issues.
    expect(twoIssues.beforeVerification?.scores).toEqual({
      expected: 2,
      matchedExpected: 2,
      findings: 4,
      matchedFindings: 2,
      recall: 1,
      precision: 0.5,
      f1: 2 / 3,
    });
    expect(twoIssues.beforeVerification?.findings.map((f) => f.title).sort()).toEqual(["also right", "right", "rule", "wrong"]);
    expect(twoIssues.beforeVerification?.dropped.map((i) => twoIssues.beforeVerification?.findings[i]?.title).sort()).toEqual(["also right", "wrong"]);
    // After: right and rule → 1 of 2 findings, 1 of 2 issues.
    expect(twoIssues.scores).toEqual({ expected: 2, matchedExpected: 1, findings: 2, matchedFindings: 1, recall: 0.5, precision: 0.5, f1: 0.5 });
    expect(twoIssues.verification).toMatchObject({ enabled: true, checked: 3, confirmed: 1, rejected: 2, calls: 1 });

    const clean = result.cases.find((c) => c.id === "clean")!;
    expect(clean.beforeVerification?.scores).toMatchObject({ findings: 1, matchedFindings: 0, precision: 0 });
    expect(clean.scores).toMatchObject({ findings: 0, precision: null });
  });

  test("overall: 2 of 5 findings before, 1 of 2 after; 3 removed, 1 of which had matched", async () => {
    const result = await run();
    expect(result.beforeVerification?.overall).toMatchObject({ expected: 2, matchedExpected: 2, findings: 5, matchedFindings: 2, recall: 1, precision: 0.4 });
    expect(result.beforeVerification?.overall.f1).toBeCloseTo(0.8 / 1.4, 10);
    expect(result.overall).toMatchObject({ matchedExpected: 1, findings: 2, matchedFindings: 1, recall: 0.5, precision: 0.5, f1: 0.5 });
    expect(result.beforeVerification).toMatchObject({ dropped: 3, droppedMatched: 1 });
    expect(result.beforeVerification?.byCategory.security).toMatchObject({ expected: 1, matchedExpected: 1, findings: 2, matchedFindings: 1 });
    expect(result.byCategory.security).toMatchObject({ expected: 1, matchedExpected: 0, findings: 1, matchedFindings: 0 });
  });

  test("the funnel records the verification stage: 3 of 5 candidates", async () => {
    const result = await run();
    const funnels = result.cases.map((c) => c.funnel!);
    const sum = (key: "candidates" | "droppedVerification" | "withheld" | "droppedConsistency") => funnels.reduce((total, f) => total + (f[key] ?? 0), 0);
    expect([sum("candidates"), sum("droppedVerification"), sum("withheld"), sum("droppedConsistency")]).toEqual([5, 3, 0, 0]);
  });

  test("the report prints before → after and each stage's share of the candidates", async () => {
    const result = await run();
    const text = renderText(result, null);
    expect(text).toContain(
      "Before → after verification: precision 40.0% (2/5) → 50.0% (1/2) (+10.0 pp), recall 100.0% (2/2) → 50.0% (1/2) (−50.0 pp), F1 57.1% → 50.0% (−7.1 pp)",
    );
    expect(text).toContain(
      "Verification: 4 model findings checked in 2 calls: 1 confirmed, 3 rejected, 0 uncertain, 0 confirmed below minScore, 0 without an answer; it removed 3 findings, 1 of which had matched an expected issue",
    );
    expect(text).toContain(
      "Candidate findings: 5; removed at evidence (quote not in the reviewed code) 0 (0.0%), scope (line outside the reviewed hunks) 0 (0.0%), dedupe (merged into another finding) 0 (0.0%), " +
        "self-consistency (no majority of repeated reviews) 0 (0.0%), verification (rejected, uncertain or below minScore) 3 (60.0%), withheld (verification failed) 0 (0.0%); moved to their quote 0 (0.0%); posted 2 (40.0%)",
    );
    const md = renderMarkdown(result, null);
    expect(md).toContain("## Verification and the findings funnel");
    expect(md).toMatch(/\| overall \| 40\.0% \(2\/5\) \| 50\.0% \(1\/2\) \| 100\.0% \(2\/2\) \| 50\.0% \(1\/2\) \| 57\.1% \| 50\.0% \|/);
    expect(md).toContain("Removed by verification though it matched an expected issue (P0 security) at `src/app.ts:20`: also right");
    expect(md).toContain("| two-issues | typescript | 2 | 2/4 | 2 | 1 | 1 | 1 |");
  });

  test("confirmed below verification.minScore counts as removed", async () => {
    const result = await run({ reviewer: scriptedReviewer(script, scriptedVerifier({ right: 0.3, "also right": 0.9 })) });
    expect(result.overall).toMatchObject({ matchedExpected: 1, findings: 2 });
    expect(result.cases.find((c) => c.id === "two-issues")?.verification).toMatchObject({ confirmed: 1, belowScore: 1, rejected: 1 });
    expect(result.beforeVerification).toMatchObject({ dropped: 3, droppedMatched: 1 });
  });

  test("verification off: the reviewer's confidence below minScore is what removes a candidate", async () => {
    const unsure = script.map((f) => (f.title === "wrong" ? { ...f, confidence: 0.3 } : f));
    const result = await run({ reviewer: scriptedReviewer(unsure) });
    expect(result.cases.find((c) => c.id === "two-issues")?.verification).toMatchObject({ enabled: false, checked: 0, belowScore: 1 });
    expect(result.beforeVerification).toMatchObject({ dropped: 1, droppedMatched: 0 });
    expect(result.overall).toMatchObject({ matchedExpected: 2, findings: 4 });
    expect(renderText(result, null)).toContain(
      "Verification was off: the reviewer's own confidence stood in for the score, and the model findings below verification.minScore were not posted: 1 finding, 0 of which had matched an expected issue",
    );
  });

  test("the judge is asked about every candidate once; its answers apply to both scorings", async () => {
    const asked: string[] = [];
    const judge: Judge = {
      model: "gpt-5",
      async decide(_caseId, issue, candidates) {
        asked.push(`${issue.description}:${candidates.map((c) => c.title).join(",")}`);
        // Accepts only "also right": "right" is located on issue 1 but judged to be about something else.
        return { accepted: new Set(candidates.flatMap((c, i) => (c.title === "also right" ? [i] : []))), usage: USAGE, calls: 1 };
      },
    };
    const result = await run({ judge });
    expect(asked.sort()).toEqual(["first:right", "second:also right"]);
    expect(result.beforeVerification?.overall).toMatchObject({ matchedExpected: 1, findings: 5 });
    expect(result.overall).toMatchObject({ matchedExpected: 0, findings: 2 });
  });

  test("offline runs and older results have no before; both read back through the schema", async () => {
    const offline = await run({ reviewer: null, offlineReason: "--offline" });
    expect(offline.beforeVerification).toBeUndefined();
    expect(offline.cases.every((c) => c.beforeVerification === undefined && c.verification === undefined)).toBe(true);
    expect(renderText(offline, null)).not.toContain("Before → after");

    const result = await run();
    expect(EvalResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
    // A result written before verification existed: no before, a funnel without the last three stages.
    const { beforeVerification: _b, ...older } = result;
    const olderCases = result.cases.map(({ beforeVerification: _x, verification: _y, funnel, ...c }) => ({
      ...c,
      funnel: { candidates: funnel!.candidates, droppedEvidence: 0, droppedScope: 0, reanchored: 0, merged: 0 },
    }));
    const parsed = EvalResultSchema.parse({ ...older, cases: olderCases });
    expect(renderText(parsed, null)).toContain(
      "Candidate findings: 5; removed at evidence (quote not in the reviewed code) 0 (0.0%), scope (line outside the reviewed hunks) 0 (0.0%), dedupe (merged into another finding) 0 (0.0%); moved",
    );
  });
});

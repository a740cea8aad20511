import { describe, expect, test } from "@jest/globals";
import { compareResults } from "../../../src/eval/compare.js";
import { score } from "../../../src/eval/metrics.js";
import { renderMarkdown, renderText } from "../../../src/eval/render-report.js";
import { EvalResultSchema, type CaseResult, type EvalResult } from "../../../src/eval/result.js";

const usage = (input: number, output: number) => ({ inputTokens: input, outputTokens: output, reasoningTokens: 0 });

function caseResult(id: string, matched: number, missed: number, falsePositives: number): CaseResult {
  const expected = Array.from({ length: matched + missed }, (_, i) => ({
    path: "a.ts",
    lineStart: i + 1,
    lineEnd: i + 1,
    category: "bug" as const,
    severity: "P1" as const,
    description: `issue ${i}`,
  }));
  const findings = Array.from({ length: matched + falsePositives }, (_, i) => ({
    path: "a.ts",
    line: i + 1,
    startLine: null,
    side: "RIGHT" as const,
    category: "bug" as const,
    severity: "P1" as const,
    title: `finding ${i}`,
    source: "agent" as const,
    ruleId: null,
    confidence: 0.8,
  }));
  return {
    id,
    title: id,
    language: "typescript",
    dir: id,
    expected,
    findings,
    matches: Array.from({ length: matched }, (_, i) => ({ expected: i, finding: i, scope: "lines" as const, distance: 0 })),
    missed: Array.from({ length: missed }, (_, i) => matched + i),
    falsePositives: Array.from({ length: falsePositives }, (_, i) => matched + i),
    scores: score({ expected: matched + missed, matchedExpected: matched, findings: matched + falsePositives, matchedFindings: matched }),
    review: { usage: usage(1000, 100), modelCalls: 1, costUsd: 0.01, durationMs: 1000 },
    judge: null,
    notices: [],
  };
}

function result(cases: CaseResult[], overrides: Partial<EvalResult> = {}): EvalResult {
  const totals = cases.reduce(
    (t, c) => ({ expected: t.expected + c.expected.length, matched: t.matched + c.matches.length, findings: t.findings + c.findings.length }),
    { expected: 0, matched: 0, findings: 0 },
  );
  const overall = score({ expected: totals.expected, matchedExpected: totals.matched, findings: totals.findings, matchedFindings: totals.matched });
  return EvalResultSchema.parse({
    version: 1,
    startedAt: "2025-01-01T00:00:00.000Z",
    dataset: "eval/cases",
    mode: "model",
    offlineReason: null,
    model: "gpt-5",
    judgeModel: null,
    tolerance: 3,
    windowTokens: 24000,
    overall,
    byCategory: { bug: overall },
    bySeverity: { P1: overall },
    byLanguage: { typescript: overall },
    severityAgreement: 1,
    totals: {
      review: {
        usage: usage(1000 * cases.length, 100 * cases.length),
        modelCalls: cases.length,
        costUsd: 0.01 * cases.length,
        durationMs: 1000 * cases.length,
      },
      judge: null,
      wallMs: 1000,
    },
    cases,
    ...overrides,
  });
}

describe("compareResults", () => {
  const before = result([caseResult("a", 1, 1, 1), caseResult("b", 0, 1, 0), caseResult("gone", 1, 0, 0)]);
  const after = result([caseResult("a", 2, 0, 0), caseResult("b", 0, 1, 0), caseResult("new", 0, 0, 1)], { model: "gpt-5-mini", tolerance: 5 });
  const comparison = compareResults(before, after);

  test("score deltas are after − before", () => {
    // before: 2 of 4 recalled, 2 of 3 precise; after: 2 of 3 recalled, 2 of 3 precise.
    expect(comparison.overall.recall).toBeCloseTo(2 / 3 - 2 / 4, 10);
    expect(comparison.overall.precision).toBeCloseTo(0, 10);
    expect(comparison.byCategory.map((d) => d.key)).toEqual(["bug"]);
  });

  test("lists the settings that changed and the cases whose outcome changed", () => {
    expect(comparison.settings).toEqual(["model: gpt-5 → gpt-5-mini", "tolerance: 3 → 5"]);
    expect(comparison.cases).toEqual([
      { id: "a", before: { matched: 1, missed: 1, falsePositives: 1 }, after: { matched: 2, missed: 0, falsePositives: 0 } },
      { id: "gone", before: { matched: 1, missed: 0, falsePositives: 0 }, after: null },
      { id: "new", before: null, after: { matched: 0, missed: 0, falsePositives: 1 } },
    ]);
  });

  test("spend deltas; a missing value gives no delta", () => {
    expect(comparison.costUsd.delta).toBeCloseTo(0, 10);
    expect(comparison.inputTokens).toEqual({ before: 3000, after: 3000, delta: 0 });
    const unpriced = compareResults(
      before,
      result([caseResult("a", 1, 1, 1)], { totals: { ...before.totals, review: { ...before.totals.review, costUsd: null } } }),
    );
    expect(unpriced.costUsd.delta).toBeNull();
  });

  test("the overall scores before verification are compared when both runs have them", () => {
    expect(comparison.beforeVerification).toBeNull();
    const withBefore = (r: EvalResult, matched: number): EvalResult => ({
      ...r,
      beforeVerification: {
        overall: score({ expected: 4, matchedExpected: matched, findings: 8, matchedFindings: matched }),
        byCategory: {},
        dropped: 2,
        droppedMatched: 0,
      },
    });
    const both = compareResults(withBefore(before, 2), withBefore(after, 3));
    expect(both.beforeVerification).toMatchObject({ key: "before verification", recall: 0.25, precision: 0.125 });
    expect(renderText(after, both)).toMatch(/before verification\s+\+25\.0 pp\s+\+12\.5 pp/);
    // An older result without them: no row, no error.
    expect(compareResults(before, withBefore(after, 3)).beforeVerification).toBeNull();
  });

  test("both reports show the deltas in percentage points", () => {
    expect(renderText(after, comparison)).toContain("+16.7 pp");
    expect(renderText(after, comparison)).toContain("a: 1/1/1 → 2/0/0");
    expect(renderMarkdown(after, comparison)).toContain("## Compared with the previous run");
    expect(renderMarkdown(after, comparison)).toContain("| gone | 1/0/0 | absent |");
  });
});

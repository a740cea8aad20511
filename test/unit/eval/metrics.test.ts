import { describe, expect, test } from "@jest/globals";
import { overallScores, score, scoresByCategory, scoresByLanguage, scoresBySeverity, severityAgreement, type MatchedCase } from "../../../src/eval/metrics.js";

function matched(c: Partial<MatchedCase> & Pick<MatchedCase, "expected" | "findings">): MatchedCase {
  return { language: "typescript", outcome: { pairs: [] }, ...c };
}

const pair = (expected: number, finding: number) => ({ expected, finding, scope: "lines" as const, distance: 0 });

describe("score", () => {
  test("2 expected, 2 findings, 1 matched → precision 0.5, recall 0.5, F1 0.5", () => {
    expect(score({ expected: 2, matchedExpected: 1, findings: 2, matchedFindings: 1 })).toMatchObject({ recall: 0.5, precision: 0.5, f1: 0.5 });
  });

  test("F1 is the harmonic mean", () => {
    const s = score({ expected: 4, matchedExpected: 1, findings: 1, matchedFindings: 1 });
    expect(s.recall).toBe(0.25);
    expect(s.precision).toBe(1);
    expect(s.f1).toBeCloseTo(0.4, 10);
  });

  test("nothing to divide by is null, not 0 or 1; F1 is 0 when both ratios are 0", () => {
    expect(score({ expected: 0, matchedExpected: 0, findings: 3, matchedFindings: 0 })).toMatchObject({ recall: null, precision: 0, f1: null });
    expect(score({ expected: 2, matchedExpected: 0, findings: 0, matchedFindings: 0 })).toMatchObject({ recall: 0, precision: null, f1: null });
    expect(score({ expected: 2, matchedExpected: 0, findings: 1, matchedFindings: 0 })).toMatchObject({ recall: 0, precision: 0, f1: 0 });
  });
});

describe("overall", () => {
  test("micro-averages over cases; findings on a clean case are false positives", () => {
    const cases = [
      matched({
        expected: [
          { category: "bug", severity: "P1" },
          { category: "security", severity: "P0" },
        ],
        findings: [{ category: "bug", severity: "P1" }],
        outcome: { pairs: [pair(0, 0)] },
      }),
      matched({ expected: [], findings: [{ category: "performance", severity: "P2" }] }),
    ];
    expect(overallScores(cases)).toMatchObject({ expected: 2, matchedExpected: 1, findings: 2, matchedFindings: 1, recall: 0.5, precision: 0.5, f1: 0.5 });
  });
});

describe("breakdowns", () => {
  const cases = [
    matched({
      language: "go",
      expected: [
        { category: "bug", severity: "P1" },
        { category: "security", severity: "P0" },
      ],
      findings: [
        { category: "bug", severity: "P2" },
        { category: "other", severity: "P3" },
      ],
      outcome: { pairs: [pair(0, 0)] },
    }),
    matched({ language: "python", expected: [{ category: "performance", severity: "P2" }], findings: [] }),
  ];

  test("by category: recall from the issue's category, precision from the finding's", () => {
    const by = scoresByCategory(cases);
    expect(by.get("bug")).toMatchObject({ expected: 1, matchedExpected: 1, findings: 1, matchedFindings: 1, recall: 1, precision: 1 });
    expect(by.get("security")).toMatchObject({ expected: 1, matchedExpected: 0, findings: 0, recall: 0, precision: null });
    expect(by.get("other")).toMatchObject({ expected: 0, findings: 1, matchedFindings: 0, recall: null, precision: 0 });
    expect(by.get("performance")).toMatchObject({ expected: 1, recall: 0 });
  });

  test("by severity: a P1 issue found by a P2 finding is recalled under P1 and precise under P2", () => {
    const by = scoresBySeverity(cases);
    expect(by.get("P1")).toMatchObject({ expected: 1, matchedExpected: 1, findings: 0 });
    expect(by.get("P2")).toMatchObject({ expected: 1, matchedExpected: 0, findings: 1, matchedFindings: 1 });
    expect(by.get("P3")).toMatchObject({ findings: 1, matchedFindings: 0 });
  });

  test("by language", () => {
    const by = scoresByLanguage(cases);
    expect(by.get("go")).toMatchObject({ expected: 2, matchedExpected: 1, findings: 2, matchedFindings: 1 });
    expect(by.get("python")).toMatchObject({ expected: 1, matchedExpected: 0, findings: 0, precision: null });
  });

  test("severity agreement counts matches whose severities are equal", () => {
    expect(severityAgreement(cases)).toBe(0);
    expect(
      severityAgreement([
        matched({ expected: [{ category: "bug", severity: "P1" }], findings: [{ category: "bug", severity: "P1" }], outcome: { pairs: [pair(0, 0)] } }),
      ]),
    ).toBe(1);
    expect(severityAgreement([])).toBeNull();
  });
});

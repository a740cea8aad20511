import { describe, expect, test } from "@jest/globals";
import type { ExpectedIssue } from "../../../src/eval/case-schema.js";
import { candidatePairs, isCompatibleCategory, lineGap, matchFindings, type MatchableFinding } from "../../../src/eval/match.js";

function issue(overrides: Partial<ExpectedIssue> = {}): ExpectedIssue {
  return { path: "src/a.ts", lineStart: 10, lineEnd: 12, category: "bug", severity: "P1", description: "the bug", ...overrides };
}

function found(overrides: Partial<MatchableFinding> = {}): MatchableFinding {
  return { path: "src/a.ts", line: 11, startLine: null, side: "RIGHT", category: "bug", severity: "P1", ...overrides };
}

describe("lineGap", () => {
  test("is 0 for overlapping ranges and the distance between the nearest ends otherwise", () => {
    expect(lineGap(10, 12, 12, 20)).toBe(0);
    expect(lineGap(10, 12, 1, 30)).toBe(0);
    expect(lineGap(10, 12, 15, 15)).toBe(3);
    expect(lineGap(10, 12, 3, 6)).toBe(4);
  });
});

describe("tolerance", () => {
  test("a finding within the tolerance of the labeled range matches, one line further does not", () => {
    expect(matchFindings([issue()], [found({ line: 15 })], { tolerance: 3 }).pairs).toEqual([{ expected: 0, finding: 0, scope: "lines", distance: 3 }]);
    expect(matchFindings([issue()], [found({ line: 16 })], { tolerance: 3 }).pairs).toEqual([]);
    expect(matchFindings([issue()], [found({ line: 7 })], { tolerance: 3 }).pairs).toHaveLength(1);
    expect(matchFindings([issue()], [found({ line: 6 })], { tolerance: 3 }).pairs).toHaveLength(0);
  });

  test("a multi-line finding matches when its range overlaps the labeled range", () => {
    expect(matchFindings([issue()], [found({ startLine: 2, line: 10 })], { tolerance: 0 }).pairs).toHaveLength(1);
    expect(matchFindings([issue()], [found({ startLine: 2, line: 9 })], { tolerance: 0 }).pairs).toHaveLength(0);
  });

  test("tolerance 0 requires an overlap", () => {
    expect(matchFindings([issue({ lineStart: 5, lineEnd: 5 })], [found({ line: 5 })], { tolerance: 0 }).pairs).toHaveLength(1);
    expect(matchFindings([issue({ lineStart: 5, lineEnd: 5 })], [found({ line: 6 })], { tolerance: 0 }).pairs).toHaveLength(0);
  });

  test("another file never matches, whatever the lines", () => {
    expect(matchFindings([issue()], [found({ path: "src/b.ts" })], { tolerance: 100 }).pairs).toEqual([]);
  });

  test("a finding on a deleted line (base numbering) does not match a head-line range", () => {
    expect(matchFindings([issue()], [found({ side: "LEFT" })], { tolerance: 3 }).pairs).toEqual([]);
    expect(matchFindings([issue({ lineStart: null, lineEnd: null })], [found({ side: "LEFT" })], { tolerance: 3 }).pairs).toHaveLength(1);
  });
});

describe("category", () => {
  test("only the same category is compatible; `any` takes every category but `other`", () => {
    expect(isCompatibleCategory("bug", "bug")).toBe(true);
    expect(isCompatibleCategory("bug", "security")).toBe(false);
    expect(isCompatibleCategory("performance", "other")).toBe(false);
    expect(isCompatibleCategory("any", "security")).toBe(true);
    expect(isCompatibleCategory("any", "other")).toBe(false);
  });

  test("a finding of another category at the right line is a false positive and the issue is missed", () => {
    const outcome = matchFindings([issue({ category: "security" })], [found({ category: "bug" })], { tolerance: 3 });
    expect(outcome).toEqual({ pairs: [], missedExpected: [0], unmatchedFindings: [0] });
  });

  test("an `other` finding matches nothing but is still counted as a finding", () => {
    const outcome = matchFindings([issue()], [found({ category: "other" })], { tolerance: 3 });
    expect(outcome.unmatchedFindings).toEqual([0]);
    expect(outcome.missedExpected).toEqual([0]);
  });
});

describe("one-to-one", () => {
  test("two findings on one issue: the closer one matches, the other is a false positive", () => {
    const outcome = matchFindings([issue()], [found({ line: 14 }), found({ line: 11 })], { tolerance: 3 });
    expect(outcome.pairs).toEqual([{ expected: 0, finding: 1, scope: "lines", distance: 0 }]);
    expect(outcome.unmatchedFindings).toEqual([0]);
  });

  test("one finding between two issues matches only the closer one", () => {
    const outcome = matchFindings([issue({ lineStart: 1, lineEnd: 1 }), issue({ lineStart: 5, lineEnd: 5 })], [found({ line: 4 })], { tolerance: 3 });
    expect(outcome.pairs).toEqual([{ expected: 1, finding: 0, scope: "lines", distance: 1 }]);
    expect(outcome.missedExpected).toEqual([0]);
  });

  test("greedy by distance: each issue takes its nearest free finding", () => {
    const expected = [issue({ lineStart: 10, lineEnd: 10 }), issue({ lineStart: 20, lineEnd: 20 })];
    const findings = [found({ line: 21 }), found({ line: 12 }), found({ line: 10 })];
    const outcome = matchFindings(expected, findings, { tolerance: 3 });
    expect(outcome.pairs).toEqual([
      { expected: 0, finding: 2, scope: "lines", distance: 0 },
      { expected: 1, finding: 0, scope: "lines", distance: 1 },
    ]);
    expect(outcome.unmatchedFindings).toEqual([1]);
  });

  test("two issues of different categories on one line are matched by their own categories", () => {
    const expected = [issue({ category: "bug" }), issue({ category: "security" })];
    const findings = [found({ category: "security" }), found({ category: "bug" })];
    const outcome = matchFindings(expected, findings, { tolerance: 0 });
    expect(outcome.pairs.map((p) => [p.expected, p.finding])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  test("at equal distance the finding whose severity agrees wins", () => {
    const outcome = matchFindings([issue({ severity: "P0" })], [found({ severity: "P3" }), found({ severity: "P0" })], { tolerance: 3 });
    expect(outcome.pairs[0]?.finding).toBe(1);
  });
});

describe("scopes", () => {
  test("an issue without lines matches any finding in its file; without a path, any finding of the change", () => {
    expect(matchFindings([issue({ lineStart: null, lineEnd: null })], [found({ line: 500 })], { tolerance: 0 }).pairs[0]?.scope).toBe("file");
    expect(matchFindings([issue({ path: null, lineStart: null, lineEnd: null })], [found({ path: "x.go" })], { tolerance: 0 }).pairs[0]?.scope).toBe("change");
  });

  test("line-located issues claim findings before file- and change-level issues do", () => {
    const expected = [issue({ path: null, lineStart: null, lineEnd: null }), issue({ lineStart: null, lineEnd: null }), issue()];
    const outcome = matchFindings(expected, [found()], { tolerance: 3 });
    expect(outcome.pairs).toEqual([{ expected: 2, finding: 0, scope: "lines", distance: 0 }]);
  });
});

describe("acceptor (the judge)", () => {
  test("a rejected pair is skipped and the next candidate is tried", () => {
    const outcome = matchFindings([issue()], [found({ line: 11 }), found({ line: 13 })], { tolerance: 3, accepts: (p) => p.finding === 1 });
    expect(outcome.pairs).toEqual([{ expected: 0, finding: 1, scope: "lines", distance: 1 }]);
    expect(outcome.unmatchedFindings).toEqual([0]);
  });

  test("is asked only about location- and category-compatible pairs", () => {
    const asked: string[] = [];
    matchFindings([issue()], [found(), found({ path: "b.ts" }), found({ category: "performance" })], {
      tolerance: 3,
      accepts: (p) => {
        asked.push(`${p.expected}:${p.finding}`);
        return false;
      },
    });
    expect(asked).toEqual(["0:0"]);
  });
});

describe("candidatePairs", () => {
  test("lists every compatible pair, closest first", () => {
    const pairs = candidatePairs([issue()], [found({ line: 15 }), found({ line: 12 }), found({ line: 40 })], 3);
    expect(pairs.map((p) => p.finding)).toEqual([1, 0]);
  });
});

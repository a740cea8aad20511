import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { compareFindingsFully } from "../../../src/analyzers/run-analyzers.js";
import { CATEGORIES, FINDING_SOURCES, SEVERITIES, type Finding } from "../../../src/domain/finding.js";
import { mergeFindings, sameProblem, similarTitles } from "../../../src/review/merge-findings.js";

function finding(overrides: Partial<Finding>): Finding {
  return {
    path: "src/db.ts",
    line: 10,
    startLine: null,
    side: "RIGHT",
    severity: "P2",
    category: "security",
    title: "t",
    body: "b",
    suggestion: null,
    confidence: 1,
    source: "eslint",
    ruleId: null,
    corroboratedBy: [],
    ...overrides,
  };
}

const analyzerSql = finding({
  source: "longview-rules",
  ruleId: "longview/sql-injection",
  severity: "P1",
  confidence: 0.8,
  title: "SQL query built from run-time values is passed to `.query()`",
  body: "analyzer prose",
});
const agentSql = finding({
  source: "agent",
  severity: "P2",
  confidence: 0.9,
  startLine: 9,
  line: 11,
  title: "SQL injection through the `name` filter",
  body: "agent prose",
  suggestion: "db.query(sql, [name]);",
});

describe("mergeFindings", () => {
  test("agent + analyzer on overlapping lines: agent prose, worst severity, analyzer rule id, corroborated", () => {
    const merged = mergeFindings([analyzerSql, agentSql]);
    expect(merged).toEqual([
      {
        ...agentSql,
        severity: "P1",
        ruleId: "longview/sql-injection",
        confidence: 0.9,
        corroboratedBy: ["longview-rules"],
      },
    ]);
  });

  test("two analyzers of one problem family (secretlint + hard-coded credential) become one, keeping the more severe", () => {
    const secret = finding({ source: "secretlint", ruleId: "@secretlint/secretlint-rule-github", severity: "P0", title: "Secret committed: GitHub token" });
    const credential = finding({
      source: "longview-rules",
      ruleId: "longview/hardcoded-credentials",
      severity: "P1",
      title: "Hard-coded credential in `ghToken`",
    });
    const merged = mergeFindings([credential, secret]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ source: "secretlint", severity: "P0", ruleId: "@secretlint/secretlint-rule-github", corroboratedBy: ["longview-rules"] });
  });

  test("different problems on the same line stay apart", () => {
    const nan = finding({ category: "bug", ruleId: "use-isnan", title: "Comparison with NaN is always false" });
    const selfCompare = finding({ category: "bug", ruleId: "no-self-compare", title: "Value compared with itself" });
    const agentBug = finding({ category: "bug", source: "agent", title: "Off-by-one in pagination loop" });
    expect(mergeFindings([nan, selfCompare, agentBug])).toHaveLength(3);
    // Same title but another file, or lines that do not overlap.
    expect(mergeFindings([analyzerSql, { ...agentSql, path: "src/other.ts" }])).toHaveLength(2);
    expect(mergeFindings([analyzerSql, { ...agentSql, startLine: 12, line: 14 }])).toHaveLength(2);
  });

  test("the same bug under two categories is one finding crediting both sources, at the strongest severity", () => {
    const merged = mergeFindings([analyzerSql, { ...agentSql, category: "bug", severity: "P2" }]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ source: "agent", category: "bug", severity: "P1", corroboratedBy: [analyzerSql.source] });
    const window = finding({ source: "agent", category: "bug", severity: "P2", title: "Token checked as the user", quote: "  checkToken(user,  token);" });
    const synthesis = finding({
      source: "synthesis",
      category: "security",
      severity: "P1",
      title: "Arguments swapped after signature change",
      quote: "checkToken(user, token);",
    });
    expect(mergeFindings([window, synthesis])).toEqual([
      expect.objectContaining({ source: "agent", category: "bug", severity: "P1", corroboratedBy: ["synthesis"] }),
    ]);
    // Different code on the same line is not evidence of the same problem.
    expect(mergeFindings([window, { ...synthesis, quote: "other();" }])).toHaveLength(2);
  });

  test("duplicate agent findings from two windows collapse by similar titles", () => {
    const a = finding({ source: "agent", category: "bug", title: "Missing await on saveUser call drops errors" });
    const b = finding({ source: "agent", category: "bug", title: "saveUser call is missing await", severity: "P1" });
    const merged = mergeFindings([a, b]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ severity: "P1", corroboratedBy: [] });
  });

  test("takes another finding's suggestion only when it covers exactly the same lines", () => {
    const withFix = finding({ source: "eslint", ruleId: "longview/sql-injection", suggestion: "fixed();", line: 10 });
    const agent = finding({ source: "agent", title: "SQL injection", line: 10 });
    expect(mergeFindings([withFix, agent])[0]?.suggestion).toBe("fixed();");
    expect(mergeFindings([withFix, { ...agent, startLine: 9 }])[0]?.suggestion).toBeNull();
  });

  test("output is sorted and independent of input order", () => {
    const others = [
      finding({ path: "b.ts", line: 3, severity: "P3", ruleId: "x", title: "x" }),
      finding({ path: "a.ts", line: 8, severity: "P3", ruleId: "y", title: "y" }),
      finding({ path: "a.ts", line: 2, severity: "P0", ruleId: "z", title: "z" }),
    ];
    const forward = mergeFindings([analyzerSql, agentSql, ...others]);
    const backward = mergeFindings([...others, agentSql, analyzerSql].reverse());
    expect(backward).toEqual(forward);
    expect(forward.map((f) => `${f.severity}:${f.path}:${f.line}`)).toEqual(["P0:a.ts:2", "P1:src/db.ts:11", "P3:a.ts:8", "P3:b.ts:3"]);
  });
});

describe("sameProblem and similarTitles", () => {
  test("an agent title naming the rule's problem matches the analyzer finding", () => {
    expect(sameProblem(analyzerSql, agentSql)).toBe(true);
    expect(sameProblem(analyzerSql, { ...agentSql, title: "Unvalidated pagination size" })).toBe(false);
  });
  test("similar titles share most significant words", () => {
    expect(similarTitles("User input reaches innerHTML unescaped", "Unescaped user input assigned to innerHTML")).toBe(true);
    expect(similarTitles("Null check missing", "Missing index")).toBe(false);
  });
});

describe("merging at scale", () => {
  test("thousands of findings merge in linear time, across files and within one file", () => {
    // Before the index every finding was compared with every earlier cluster: 30,000 findings took ~6 s.
    const acrossFiles = Array.from({ length: 30_000 }, (_, i) => finding({ path: `src/m${i}.ts`, ruleId: "no-eval", title: "eval" }));
    const inOneFile = Array.from({ length: 8_000 }, (_, i) => finding({ line: i + 1, ruleId: `rule-${i % 7}`, title: `problem ${i}` }));
    const started = performance.now();
    expect(mergeFindings(acrossFiles)).toHaveLength(30_000);
    expect(mergeFindings(inOneFile)).toHaveLength(8_000);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  /** The definition: each finding joins the first cluster with a member describing the same problem. */
  function exhaustiveMerge(findings: readonly Finding[]): Finding[][] {
    const clusters: Finding[][] = [];
    for (const f of [...findings].sort(compareFindingsFully)) {
      const cluster = clusters.find((members) => members.some((member) => sameProblem(member, f)));
      if (cluster) cluster.push(f);
      else clusters.push([f]);
    }
    return clusters;
  }

  test("the index finds the same clusters as comparing every pair", () => {
    const line = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 400 }), fc.constantFrom(0, -1, 1.5, Number.NaN));
    const arbitraryFinding = fc.record({
      path: fc.constantFrom("a.ts", "b.ts"),
      line,
      startLine: fc.option(line, { nil: null }),
      side: fc.constantFrom("LEFT" as const, "RIGHT" as const),
      severity: fc.constantFrom(...SEVERITIES),
      category: fc.constantFrom(...CATEGORIES),
      title: fc.constantFrom("SQL injection in query", "Query built from input", "Null check missing", "eval of user input"),
      source: fc.constantFrom(...FINDING_SOURCES),
      ruleId: fc.constantFrom(null, "longview/sql-injection", "no-eval", "security/detect-eval-with-expression"),
    });
    fc.assert(
      fc.property(fc.array(arbitraryFinding, { maxLength: 40 }), (parts) => {
        const findings = parts.map((p) => finding(p));
        // Replaying one cluster in its order rebuilds exactly that cluster, so this is its combined finding.
        const expected = exhaustiveMerge(findings).map((cluster) => mergeFindings(cluster)[0]!);
        expect(mergeFindings(findings)).toEqual(expected.sort(compareFindingsFully));
      }),
      { seed: 7, numRuns: 500 },
    );
  });
});

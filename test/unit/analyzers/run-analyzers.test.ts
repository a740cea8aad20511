import { describe, expect, test } from "@jest/globals";
import type { Analyzer, AnalyzerInput } from "../../../src/analyzers/analyzer.js";
import { createDefaultAnalyzers, runAnalyzers } from "../../../src/analyzers/index.js";
import { applyLineFilter } from "../../../src/analyzers/line-filter.js";
import { buildLineMap } from "../../../src/diff/line-map.js";
import { parseUnifiedDiff } from "../../../src/diff/parse-unified-diff.js";
import type { Finding } from "../../../src/domain/finding.js";
import { captureLog } from "./helpers.js";

/** Head: 8 lines; line 3 and 4 unchanged context, line 5 added, line 7 outside every hunk. */
const head = [
  "const a = 1;", // 1
  "const b = 2;", // 2
  "if (a == NaN) {}", // 3 context (pre-existing problem)
  "const c = 3;", // 4 context
  "if (b == NaN) {}", // 5 added
  "const d = 4;", // 6 context
  "const e = 5;", // 7 (not in the hunk)
  "if (e == NaN) {}", // 8 (not in the hunk)
].join("\n");

const diff = `diff --git a/src/x.js b/src/x.js
--- a/src/x.js
+++ b/src/x.js
@@ -3,3 +3,4 @@
 if (a == NaN) {}
 const c = 3;
+if (b == NaN) {}
 const d = 4;
`;

function input(filter: AnalyzerInput["filter"]): AnalyzerInput {
  const files = parseUnifiedDiff(diff);
  return { files, headContents: new Map([["src/x.js", head]]), lineMap: buildLineMap(files), filter };
}

function finding(overrides: Partial<Finding>): Finding {
  return {
    path: "src/x.js",
    line: 5,
    startLine: null,
    side: "RIGHT",
    severity: "P2",
    category: "bug",
    title: "t",
    body: "b",
    suggestion: null,
    confidence: 1,
    source: "eslint",
    ruleId: "r",
    corroboratedBy: [],
    ...overrides,
  };
}

const fixed = (name: Analyzer["name"], findings: Finding[]): Analyzer => ({ name, analyze: async () => ({ findings }) });

describe("runAnalyzers", () => {
  test("`added` keeps findings on added lines only; `diff_context` also on context lines; nothing outside hunks", async () => {
    const analyzers = createDefaultAnalyzers();
    const added = await runAnalyzers(analyzers, input("added"), captureLog().log);
    expect(added.errors).toEqual([]);
    expect(added.findings.map((f) => `${f.line}:${f.ruleId}`)).toEqual(["5:use-isnan"]);
    const context = await runAnalyzers(analyzers, input("diff_context"), captureLog().log);
    expect(context.findings.map((f) => `${f.line}:${f.ruleId}`)).toEqual(["3:use-isnan", "5:use-isnan"]);
  });

  test("a crashing analyzer is reported as an error and the others' findings are kept", async () => {
    const { log, records } = captureLog();
    const crashing: Analyzer = {
      name: "secretlint",
      analyze: async () => {
        throw new Error("boom");
      },
    };
    const result = await runAnalyzers([crashing, fixed("eslint", [finding({})])], input("added"), log);
    expect(result.errors).toEqual([{ analyzer: "secretlint", message: "boom" }]);
    expect(result.findings).toHaveLength(1);
    expect(records().some((r) => r["analyzer"] === "secretlint" && r["level"] === 50)).toBe(true);
  });

  test("passes on the credentials analyzers flag on any line, outside the line filter too", async () => {
    const flagging: Analyzer = {
      name: "eslint",
      analyze: async () => ({ findings: [], secrets: [{ path: "src/x.js", start: 80, end: 86, kind: "credential" }] }),
    };
    const result = await runAnalyzers([flagging, fixed("secretlint", [])], input("added"), captureLog().log);
    expect(result.secrets).toEqual([{ path: "src/x.js", start: 80, end: 86, kind: "credential" }]);
  });

  test("gives each analyzer the run's logger", async () => {
    let received: AnalyzerInput["log"];
    const spy: Analyzer = {
      name: "eslint",
      analyze: async (i) => {
        received = i.log;
        return { findings: [] };
      },
    };
    await runAnalyzers([spy], input("added"), captureLog().log);
    expect(received).toBeDefined();
  });

  test("output order does not depend on analyzer order or timing", async () => {
    const one = [finding({ line: 5, title: "b", source: "eslint" }), finding({ line: 5, title: "a", severity: "P1", source: "eslint" })];
    const two = [finding({ line: 5, title: "b", source: "longview-rules", ruleId: "x" })];
    const slow: Analyzer = { name: "longview-rules", analyze: () => new Promise((resolve) => setTimeout(() => resolve({ findings: two }), 10)) };
    const first = await runAnalyzers([fixed("eslint", one), slow], input("added"), captureLog().log);
    const second = await runAnalyzers([slow, fixed("eslint", [...one].reverse())], input("added"), captureLog().log);
    expect(second.findings).toEqual(first.findings);
    expect(first.findings.map((f) => `${f.severity}:${f.title}:${f.source}`)).toEqual(["P1:a:eslint", "P2:b:eslint", "P2:b:longview-rules"]);
  });
});

describe("applyLineFilter", () => {
  const lineMap = input("added").lineMap;
  test("narrows a range that is only partly admitted to its first admitted line and drops its suggestion", () => {
    const narrowed = applyLineFilter(finding({ startLine: 4, line: 6, suggestion: "x" }), lineMap, "added");
    expect(narrowed).toMatchObject({ startLine: null, line: 5, suggestion: null });
  });
  test("keeps a fully admitted range as it is", () => {
    const whole = finding({ startLine: 3, line: 6, suggestion: "x" });
    expect(applyLineFilter(whole, lineMap, "diff_context")).toBe(whole);
  });
  test("drops a finding with no admitted line", () => {
    expect(applyLineFilter(finding({ line: 7 }), lineMap, "diff_context")).toBeNull();
    expect(applyLineFilter(finding({ line: 3 }), lineMap, "added")).toBeNull();
    expect(applyLineFilter(finding({ path: "other.js" }), lineMap, "diff_context")).toBeNull();
  });
});

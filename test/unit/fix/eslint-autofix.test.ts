import { describe, expect, test } from "@jest/globals";
import { createDefaultAnalyzers } from "../../../src/analyzers/index.js";
import { analyzeWholeFiles } from "../../../src/fix/analyzer-check.js";
import { applyEdits } from "../../../src/fix/apply-edits.js";
import { eslintAutofix } from "../../../src/fix/eslint-autofix.js";
import { finding } from "../../helpers/findings.js";
import { silentLog } from "../../helpers/github.js";

describe("eslintAutofix", () => {
  test("applies the rule's safe suggestion for each finding, as text-anchored edits", async () => {
    const text = [
      "export function check(x, y, obj) {",
      "  if (x === NaN) return 1;",
      "  if (!y in obj) return 2;",
      "  return typeof x === undefined;",
      "}",
      "",
    ].join("\n");
    const files = new Map([["src/check.js", text]]);
    const { findings } = await analyzeWholeFiles(createDefaultAnalyzers(), files, silentLog);
    const targets = findings.filter((f) => ["use-isnan", "valid-typeof"].includes(f.ruleId ?? ""));
    expect(targets.map((f) => [f.ruleId, f.line])).toEqual([
      ["use-isnan", 2],
      ["valid-typeof", 4],
    ]);
    const fix = eslintAutofix(files, targets);
    expect(fix.fixed).toEqual(targets);
    expect(fix.unfixable).toEqual([]);
    const applied = applyEdits(files, fix.edits);
    expect(applied.ok && applied.files.get("src/check.js")).toBe(
      [
        "export function check(x, y, obj) {",
        "  if (Number.isNaN(x)) return 1;",
        "  if (!y in obj) return 2;",
        '  return typeof x === "undefined";',
        "}",
        "",
      ].join("\n"),
    );
  });

  test("says why a finding has no automatic fix", () => {
    const files = new Map([
      ["src/a.js", "export const f = (a) => a.map((x) => { x; });\n"],
      ["notes.txt", "hello\n"],
    ]);
    const fix = eslintAutofix(files, [
      finding({ path: "src/a.js", line: 1, ruleId: "array-callback-return", source: "eslint" }),
      finding({ path: "src/a.js", line: 1, ruleId: null, source: "agent" }),
      finding({ path: "notes.txt", line: 1, ruleId: "use-isnan", source: "eslint" }),
      finding({ path: "src/a.js", line: 1, ruleId: "use-isnan", source: "eslint" }),
    ]);
    expect(fix.edits).toEqual([]);
    expect(fix.unfixable.map((u) => u.reason)).toEqual([
      "`array-callback-return` has no automatic fix for it",
      "no analyzer rule reported it",
      "ESLint does not read this file type",
      "`use-isnan` no longer reports it at head",
    ]);
  });
});

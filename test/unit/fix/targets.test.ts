import { describe, expect, test } from "@jest/globals";
import type { PostedFinding } from "../../../src/github/finding-comment.js";
import { isNamed, latestPerFinding, namedPaths, selectTargets } from "../../../src/fix/targets.js";
import { finding } from "../../helpers/findings.js";

const gate = { severity: "P1" as const, categories: ["bug", "security"] as const, gateScore: 0.8 };
let id = 100;
const posted = (overrides: Parameters<typeof finding>[0], fingerprint: string | null = null): PostedFinding => ({
  finding: finding(overrides),
  commentId: id++,
  fingerprint,
  anchor: null,
  url: null,
});

const sql = posted({
  path: "src/db/users.ts",
  severity: "P0",
  category: "security",
  title: "SQL injection through `name`",
  ruleId: "longview/sql-injection",
  source: "longview-rules",
});
const nan = posted({
  path: "src/calc.js",
  severity: "P1",
  category: "bug",
  title: "Comparison with NaN is always false",
  ruleId: "use-isnan",
  source: "eslint",
});
const slow = posted({ path: "src/report.ts", severity: "P2", category: "performance", title: "Quadratic loop over all orders" });

describe("selectTargets", () => {
  test("without instructions: the open findings that fail the gate", () => {
    expect(selectTargets([sql, nan, slow], "", gate)).toEqual({ targets: [sql, nan], by: "gate" });
  });

  test("instructions name findings by path, file name, rule id or title words", () => {
    expect(selectTargets([sql, nan, slow], "src/report.ts please", gate).targets).toEqual([slow]);
    expect(selectTargets([sql, nan, slow], "only calc.js", gate).targets).toEqual([nan]);
    expect(selectTargets([sql, nan, slow], "the use-isnan one", gate).targets).toEqual([nan]);
    expect(selectTargets([sql, nan, slow], "fix the quadratic loop", gate).targets).toEqual([slow]);
  });

  test("one shared word is not enough to name a finding", () => {
    expect(isNamed(slow, "the loop is fine")).toBe(false);
  });

  test("instructions that name nothing fall back to the gate", () => {
    expect(selectTargets([sql, nan, slow], "be careful", gate)).toEqual({ targets: [sql, nan], by: "gate" });
  });

  test("a finding posted by several reviews counts once, as its latest comment", () => {
    const again = { ...nan, commentId: nan.commentId + 1000 };
    expect(latestPerFinding([nan, again])).toEqual([again]);
    const a = posted({ title: "Same title" }, "ff01");
    const b = posted({ title: "Same title", line: 40 }, "ff02");
    expect(latestPerFinding([a, b])).toHaveLength(2);
  });
});

test("namedPaths keeps known paths the instructions mention", () => {
  expect(namedPaths("also update src/util.ts, and README.md.", ["src/util.ts", "README.md", "src/other.ts"])).toEqual(["src/util.ts", "README.md"]);
});

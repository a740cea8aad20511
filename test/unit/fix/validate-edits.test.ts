import { beforeAll, describe, expect, test } from "@jest/globals";
import type { AnalyzerRun } from "../../../src/analyzers/index.js";
import { createDefaultAnalyzers } from "../../../src/analyzers/index.js";
import type { Finding } from "../../../src/domain/finding.js";
import { analyzeWholeFiles } from "../../../src/fix/analyzer-check.js";
import { validateEdits, type ValidationContext } from "../../../src/fix/validate-edits.js";
import { silentLog } from "../../helpers/github.js";

const calc = ["export function ratio(a, b) {", "  const r = a / b;", "  if (r === NaN) return 0;", "  return r;", "}", ""].join("\n");
const analyzers = createDefaultAnalyzers();
const originals = new Map([["src/calc.js", calc]]);
let baseline: AnalyzerRun;
let target: Finding;

beforeAll(async () => {
  baseline = await analyzeWholeFiles(analyzers, originals, silentLog);
  target = baseline.findings.find((f) => f.ruleId === "use-isnan")!;
});

const ctx = (): ValidationContext => ({ originals, allowedPaths: new Set(["src/calc.js"]), targets: [target], analyzers, baseline, log: silentLog });
const edit = (search: string, replace: string, path = "src/calc.js") => ({ path, search, replace });

describe("validateEdits", () => {
  test("the analyzers report the target on its line before the fix", () => {
    expect(target).toMatchObject({ path: "src/calc.js", line: 3, severity: "P1" });
  });

  test("a real fix passes, with what was checked", async () => {
    const result = await validateEdits([edit("  if (r === NaN) return 0;", "  if (Number.isNaN(r)) return 0;")], ctx());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fix.files.get("src/calc.js")).toContain("Number.isNaN(r)");
    expect(result.fix.checks).toEqual(["`src/calc.js` parses (TypeScript)", "the analyzers no longer report the finding", "no new P0/P1 findings"]);
    expect(result.fix.confirmed).toEqual([target]);
  });

  test("an edit that breaks the syntax is refused with the parser's message", async () => {
    const result = await validateEdits([edit("  if (r === NaN) return 0;", "  if (Number.isNaN(r) return 0;")], ctx());
    expect(result).toEqual({ ok: false, problems: ["`src/calc.js` no longer parses after the edits (TypeScript): line 3: ')' expected."] });
  });

  test("an edit that leaves the finding in place is refused", async () => {
    const result = await validateEdits([edit("  return r;", "  return r + 0;")], ctx());
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^`use-isnan` still reports `src\/calc.js` line 3 \(Comparison with NaN is always false\)/),
    ]);
  });

  test("an edit that adds a new P0/P1 finding is refused", async () => {
    const result = await validateEdits([edit("  if (r === NaN) return 0;", "  if (Number.isNaN(r)) return eval(String(a));")], ctx());
    expect(!result.ok && result.problems).toEqual([
      expect.stringMatching(/^The edits introduce a P1 finding in `src\/calc.js` line 3: .*`longview\/dynamic-code-execution`/),
    ]);
  });

  test("workflows, other files and redaction placeholders are refused before anything is applied", async () => {
    const result = await validateEdits(
      [
        edit("on: push", "on: pull_request_target", ".github/workflows/ci.yml"),
        edit("x", "y", "src/other.js"),
        edit("  return r;", "  return '[REDACTED:api-key]';"),
        edit("../etc", "x", "../etc/passwd"),
      ],
      ctx(),
    );
    expect(!result.ok && result.problems).toEqual([
      "`.github/workflows/ci.yml`: Longview does not edit GitHub Actions workflows or actions (`.github/workflows/`, `.github/actions/`).",
      expect.stringMatching(/^`src\/other.js` is outside the files of the findings being fixed/),
      expect.stringMatching(/^Edit 3 \(`src\/calc.js`\): the replacement contains a `\[REDACTED:…\]` placeholder/),
      "`../etc/passwd` is not a plain repository path; use the path exactly as given.",
    ]);
  });

  test("a file that did not parse before is not held to parsing after", async () => {
    const broken = new Map([["src/broken.js", "export const a = (1;\nif (x === NaN) {}\n"]]);
    const before = await analyzeWholeFiles(analyzers, broken, silentLog);
    const result = await validateEdits([{ path: "src/broken.js", search: "export const a = (1;", replace: "export const a = (2;" }], {
      ...ctx(),
      originals: broken,
      allowedPaths: new Set(["src/broken.js"]),
      targets: [],
      baseline: before,
    });
    expect(result.ok && result.fix.checks[0]).toBe("syntax of `src/broken.js` not checked (it did not parse before the fix either)");
  });
});

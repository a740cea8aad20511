import { beforeAll, describe, expect, test } from "@jest/globals";
import { REVIEW_TASKS } from "../../../src/compute/review-tasks.js";
import { buildWindowPlan, compactedRefs, expandCompacted, initSyntax, renderWindow } from "../../../src/context/index.js";
import { BUDGET_24K, changeSetOf, GLOBAL } from "../context/helpers.js";

/** A plan crosses threads through zod: everything the windows and coverage say must survive it, refs and all. */
describe("the plan as it crosses threads", () => {
  beforeAll(async () => {
    await initSyntax();
  });

  test("keeps folded copies, summaries, triaged files, enclosing headers and the coverage categories", () => {
    const body = (name: string) =>
      [
        `describe("${name}", () => {`,
        "  it('works', () => {",
        "    const value = compute(input.value, 42);",
        "    expect(value).toBe(42);",
        "  });",
        "",
        "  it('is stable', () => {",
        "    expect(compute(1, 2)).toBe(3);",
        "  });",
        "});",
        "",
      ].join("\n");
    const changed = (text: string) => text.replace("toBe(42)", "toStrictEqual(forty_two())");
    const same = "import { a } from './a';\n\nexport function shared() {\n  return compute(input.value, 42) + offset;\n}\n";
    const pr = changeSetOf([
      { path: "test/one.test.ts", base: body("one") + body("two"), head: changed(body("one")) + changed(body("two")) },
      { path: "src/x.ts", base: same, head: same.replace("+ offset", "+ offset * scale") },
      { path: "src/y.ts", base: same, head: same.replace("+ offset", "+ offset * scale") },
      { path: "src/old.ts", base: Array.from({ length: 100 }, (_, i) => `export const v${i} = ${i};`).join("\n"), head: null },
      { path: "CHANGELOG.md", base: "# Changes\n", head: "# Changes\n\n## 2.0.0\n- new things\n" },
    ]);
    const plan = buildWindowPlan(pr, GLOBAL, BUDGET_24K);
    const crossed = REVIEW_TASKS.plan.result.parse(JSON.parse(JSON.stringify(plan)));
    expect(crossed.windows.map(renderWindow)).toEqual(plan.windows.map(renderWindow));
    expect(crossed.coverage).toEqual(plan.coverage);
    expect(plan.coverage.foldedLines).toBeGreaterThan(0);
    expect(plan.coverage.summarizedLines).toBeGreaterThan(0);
    expect(plan.coverage.triagedLines).toBe(3);
    expect(plan.windows.flatMap((w) => w.local.files.flatMap((f) => f.hunks)).some((h) => (h.enclosing ?? []).length > 0)).toBe(true);
    const refs = compactedRefs(plan);
    expect(refs.length).toBe(3);
    for (const ref of refs) expect(expandCompacted(crossed, ref)).toEqual(expandCompacted(plan, ref));
  });
});

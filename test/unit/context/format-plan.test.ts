import { describe, expect, test } from "@jest/globals";
import { buildWindowPlan, countTokens, formatPlanText, planToJson, renderWindow, WindowBudgetError } from "../../../src/context/index.js";
import { BUDGET_24K, changeSetOf, GLOBAL } from "./helpers.js";

describe("planToJson and formatPlanText", () => {
  const changeSet = changeSetOf(
    [
      { path: "src/a.ts", base: "export const a = 1;\n", head: "export const a = 2;\n" },
      { path: "src/b.ts", base: null, head: "export const b = 1;\nexport const c = 2;\n" },
    ],
    [{ path: "yarn.lock", reason: "lockfile", lines: 40 }],
  );
  const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K);

  test("JSON carries windows (with the exact text the model is sent), coverage and stats", () => {
    const json = planToJson(plan);
    expect(json.windows).toEqual([
      { id: "w1", wave: 1, tokens: plan.windows[0]!.tokens, files: ["src/a.ts", "src/b.ts"], hunks: 2, text: renderWindow(plan.windows[0]!) },
    ]);
    expect(countTokens(json.windows[0]!.text)).toBe(plan.windows[0]!.tokens.total);
    expect(json.coverage).toEqual({
      changedLines: 44,
      reviewedLines: 4,
      foldedLines: 0,
      summarizedLines: 0,
      triagedLines: 0,
      skippedLines: 40,
      skipped: [{ path: "yarn.lock", reason: "lockfile", lines: 40 }],
    });
    expect(json.refs).toEqual([]);
    expect(json.stats.tokensSent).toBe(plan.windows[0]!.tokens.total);
    expect(json.stats.diffTokens).toBeGreaterThan(0);
    expect(json.stats.compaction).toEqual({
      identicalHunks: 0,
      outlinedFiles: 0,
      pureDeletionsSummarized: 0,
      whitespaceOnlySkipped: 0,
      longLinesClipped: 0,
      identicalHunksInOtherContext: 0,
      triagedFiles: 0,
    });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test("text summary", () => {
    const text = formatPlanText(plan);
    expect(text).toContain("1 window(s) in 1 wave(s); 4 of 44 changed lines reviewed (9.1%), 0 folded, 0 summarized, 0 triaged, 40 skipped.");
    expect(text).toMatch(/^w1 +wave 1 +\d+ tokens \(global \d+, local \d+\) {2}2 file\(s\): src\/a\.ts, src\/b\.ts$/m);
    expect(text).toContain("  yarn.lock  lockfile  40 line(s)");
  });

  test("an empty change set gives no windows and full coverage", () => {
    const empty = buildWindowPlan(changeSetOf([]), GLOBAL, BUDGET_24K);
    expect(empty.windows).toEqual([]);
    expect(empty.coverage).toMatchObject({ changedLines: 0, reviewedLines: 0, skippedLines: 0 });
  });
});

describe("budget", () => {
  test("a budget without room for code is refused with a typed error", () => {
    const changeSet = changeSetOf([{ path: "src/a.ts", base: "a\n", head: "b\n" }]);
    expect(() => buildWindowPlan(changeSet, GLOBAL, { windowTokens: 1_200, outputTokens: 100, contextTokens: 10_000 })).toThrow(WindowBudgetError);
    expect(() => buildWindowPlan(changeSet, GLOBAL, { windowTokens: 24_000, outputTokens: 9_000, contextTokens: 8_000 })).toThrow(WindowBudgetError);
    expect(() => buildWindowPlan(changeSet, GLOBAL, { windowTokens: Number.NaN, outputTokens: 0, contextTokens: 1 })).toThrow(WindowBudgetError);
  });

  test("the model's context minus reserved output bounds windows too", () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `const v${i} = ${i};`).join("\n");
    const plan = buildWindowPlan(changeSetOf([{ path: "src/x.ts", base: null, head: lines }]), GLOBAL, {
      windowTokens: 24_000,
      outputTokens: 4_000,
      contextTokens: 10_000,
    });
    for (const w of plan.windows) expect(w.tokens.total).toBeLessThanOrEqual(6_000);
  });

  test("a long description is cut with a visible marker", () => {
    const plan = buildWindowPlan(changeSetOf([{ path: "src/a.ts", base: "a\n", head: "b\n" }]), { ...GLOBAL, description: "word ".repeat(5_000) }, BUDGET_24K);
    expect(plan.windows[0]!.global.description).toMatch(/\[\.\.\. description cut: \d+ more characters not shown\]$/);
  });
});

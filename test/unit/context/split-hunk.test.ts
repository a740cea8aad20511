import { beforeAll, describe, expect, test } from "@jest/globals";
import { buildWindowPlan, countTokens, initSyntax, renderWindow, resolveMemoryTokenCap } from "../../../src/context/index.js";
import type { WindowHunk, WindowPlan } from "../../../src/domain/window.js";
import { changeSetOf, expectedTargets, GLOBAL, reviewTargets, tsFunctions } from "./helpers.js";

const SMALL = { windowTokens: 6_000, outputTokens: 1_000, contextTokens: 100_000 };

function hunksOf(plan: WindowPlan): WindowHunk[] {
  return plan.windows.flatMap((w) => w.local.files.flatMap((f) => f.hunks));
}

function expectWithinBudget(plan: WindowPlan, budget: typeof SMALL): void {
  const cap = resolveMemoryTokenCap(budget);
  for (const w of plan.windows) {
    expect(countTokens(renderWindow(w))).toBe(w.tokens.total);
    expect(w.tokens.total + cap).toBeLessThanOrEqual(budget.windowTokens);
  }
}

describe("a hunk larger than a window", () => {
  beforeAll(async () => {
    await initSyntax();
  });

  test("a 3,000-line new file is split into parts at function starts, with exact coverage", () => {
    const head = tsFunctions(120, 22);
    const changeSet = changeSetOf([{ path: "src/big.ts", base: null, head }]);
    const plan = buildWindowPlan(changeSet, GLOBAL, SMALL);
    const parts = hunksOf(plan);
    expect(parts.length).toBeGreaterThan(5);
    expectWithinBudget(plan, SMALL);

    const targets = reviewTargets(plan, changeSet);
    const expected = expectedTargets(changeSet);
    expect(expected.size).toBe(head.split("\n").length - 1);
    expect([...targets.keys()].sort()).toEqual([...expected].sort());
    expect([...targets.values()].every((n) => n === 1)).toBe(true);
    expect(plan.coverage.reviewedLines).toBe(plan.coverage.changedLines);

    parts.forEach((part, k) => {
      expect(part.hunk.index).toBe(0);
      expect(part.hunk.header).toContain(`(part ${k + 1} of hunk 1`);
      if (k === 0) return;
      // Cut where a function starts, and show the previous part's last lines as overlap.
      expect(part.hunk.lines[0]!.text).toMatch(/^export function fn\d+/);
      const surrounding = part.surrounding!;
      const firstNew = part.hunk.lines[0]!.newLine!;
      expect(surrounding.startLine).toBe(firstNew - 3);
      const previous = parts[k - 1]!.hunk.lines;
      expect(surrounding.text.split("\n").slice(0, 3)).toEqual(previous.slice(-3).map((l) => l.text));
    });
  });

  test("a huge modified hunk without head content is split by lines, overlap taken from the hunk itself", () => {
    const base = Array.from({ length: 1500 }, (_, i) => `value_${i} = compute(${i}) + offset`).join("\n");
    const head = Array.from({ length: 1500 }, (_, i) => `value_${i} = compute(${i}) + offset * ${i % 7}`).join("\n");
    const changeSet = changeSetOf([{ path: "data/table.py", base, head, withoutHead: true }]);
    const plan = buildWindowPlan(changeSet, GLOBAL, SMALL);
    expectWithinBudget(plan, SMALL);
    const parts = hunksOf(plan);
    expect(parts.length).toBeGreaterThan(3);
    const targets = reviewTargets(plan, changeSet);
    expect(targets.size).toBe(3000);
    expect([...targets.values()].every((n) => n === 1)).toBe(true);
    for (const part of parts.slice(1)) expect(part.surrounding).not.toBeNull();
  });

  test("several related hunks of one file stay together when they fit", () => {
    const lines = tsFunctions(30, 6).split("\n");
    const head = lines.map((l, i) => (i % 60 === 5 ? `${l} // edited` : l)).join("\n");
    const changeSet = changeSetOf([{ path: "src/edits.ts", base: lines.join("\n"), head }]);
    const plan = buildWindowPlan(changeSet, GLOBAL, { windowTokens: 24_000, outputTokens: 8_000, contextTokens: 272_000 });
    expect(plan.windows).toHaveLength(1);
    expect(plan.windows[0]!.local.files).toHaveLength(1);
    expect(plan.windows[0]!.local.files[0]!.hunks.length).toBe(changeSet.files[0]!.hunks.length);
  });
});

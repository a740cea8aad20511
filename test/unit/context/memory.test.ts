import { describe, expect, test } from "@jest/globals";
import { buildWindowPlan, countTokens, renderWindow, resolveMemoryTokenCap, withMemory } from "../../../src/context/index.js";
import type { MemoryNote } from "../../../src/domain/window.js";
import { changeSetOf, GLOBAL, tsFunctions } from "./helpers.js";

const BUDGET = { windowTokens: 8_000, outputTokens: 1_000, contextTokens: 100_000 };

function note(i: number, text = `parse() now returns null on empty input (${i})`): MemoryNote {
  return { kind: i % 2 === 0 ? "api-change" : "invariant", path: `src/m${i % 3}.ts`, text, windowId: `w${i}` };
}

describe("withMemory", () => {
  const changeSet = changeSetOf([{ path: "src/big.ts", base: null, head: tsFunctions(60, 10) }]);
  const plan = buildWindowPlan(changeSet, GLOBAL, BUDGET);
  const cap = resolveMemoryTokenCap(BUDGET);

  test("keeps the newest notes that fit the cap, in written order, and recounts tokens", () => {
    const notes = Array.from({ length: 200 }, (_, i) => note(i));
    const window = withMemory(plan.windows[1]!, notes, cap);
    expect(window.memory.length).toBeGreaterThan(3);
    expect(window.memory.length).toBeLessThan(200);
    expect(window.memory[window.memory.length - 1]).toBe(notes[199]);
    expect(window.memory).toEqual(notes.slice(200 - window.memory.length));
    expect(window.tokens.memory).toBeLessThanOrEqual(cap);
    expect(countTokens(renderWindow(window))).toBe(window.tokens.total);
    expect(window.tokens.total).toBeLessThanOrEqual(BUDGET.windowTokens);
    expect(window.local).toBe(plan.windows[1]!.local);
    expect(plan.windows[1]!.memory).toEqual([]);
  });

  test("every window stays within budget with a full memory", () => {
    const notes = Array.from({ length: 500 }, (_, i) => note(i));
    for (const w of plan.windows) expect(withMemory(w, notes, cap).tokens.total).toBeLessThanOrEqual(BUDGET.windowTokens);
  });

  test("identical notes count once, as the newest", () => {
    const a = note(1, "same");
    const again = { ...note(1, "same"), windowId: "w9" };
    const window = withMemory(plan.windows[0]!, [a, note(2), again], cap);
    expect(window.memory).toEqual([note(2), again]);
  });

  test("a note too large for the cap is left out while smaller older ones still fit", () => {
    const huge = note(5, "x ".repeat(5_000));
    const window = withMemory(plan.windows[0]!, [note(1), note(2), huge], cap);
    expect(window.memory).toEqual([note(1), note(2)]);
  });

  test("no notes, no memory section", () => {
    const window = withMemory(plan.windows[0]!, [], cap);
    expect(window.tokens.memory).toBe(0);
    expect(renderWindow(window)).toBe(renderWindow(plan.windows[0]!));
  });
});

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

  describe("with the pull request's memory pinned", () => {
    const pinnedNote = (i: number): MemoryNote => ({
      kind: "summary",
      path: `src/p${i}.ts`,
      text: `file ${i} now validates its input first`,
      windowId: "survey",
    });

    test("pinned notes come first, in their order; window notes still get the rest of the cap; the count is exact", () => {
      const pinned = Array.from({ length: 300 }, (_, i) => pinnedNote(i));
      const notes = Array.from({ length: 300 }, (_, i) => note(i));
      const window = withMemory(plan.windows[1]!, notes, cap, pinned);
      const shownPinned = window.memory.filter((n) => n.windowId === "survey");
      const shownNotes = window.memory.filter((n) => n.windowId !== "survey");
      expect(shownPinned).toEqual(pinned.slice(0, shownPinned.length));
      expect(window.memory.slice(0, shownPinned.length)).toEqual(shownPinned);
      expect(shownNotes.length).toBeGreaterThan(0);
      expect(shownNotes.at(-1)).toBe(notes[299]);
      expect(window.tokens.memory).toBeLessThanOrEqual(cap);
      expect(countTokens(renderWindow(window))).toBe(window.tokens.total);
      expect(window.tokens.total).toBeLessThanOrEqual(BUDGET.windowTokens);
    });

    test("without window notes, pinned notes fill the whole cap", () => {
      const pinned = Array.from({ length: 300 }, (_, i) => pinnedNote(i));
      const alone = withMemory(plan.windows[0]!, [], cap, pinned);
      const shared = withMemory(
        plan.windows[0]!,
        Array.from({ length: 300 }, (_, i) => note(i)),
        cap,
        pinned,
      );
      expect(alone.memory.length).toBeGreaterThan(shared.memory.filter((n) => n.windowId === "survey").length);
      expect(countTokens(renderWindow(alone))).toBe(alone.tokens.total);
      expect(alone.tokens.memory).toBeLessThanOrEqual(cap);
    });

    test("a window note identical to a pinned one is shown once", () => {
      const same = { kind: "api-change" as const, path: "src/a.ts", text: "parse() returns null", windowId: "survey" };
      const window = withMemory(plan.windows[0]!, [{ ...same, windowId: "w1" }], cap, [same]);
      expect(window.memory).toEqual([same]);
    });
  });
});

import { describe, expect, test } from "@jest/globals";
import { buildWindowPlan } from "../../../src/context/index.js";
import { enclosingBlock, indentationOutline } from "../../../src/context/syntax/indentation.js";
import { BUDGET_24K, changeSetOf, GLOBAL } from "./helpers.js";

// This file never calls initSyntax(): every outline comes from the indentation heuristic.

describe("indentation heuristic", () => {
  test("finds definitions and their ends in brace and indentation languages", () => {
    const ts = [
      "export class A {",
      "  m(): void {",
      "    run();",
      "  }",
      "",
      "  n() {",
      "    return 1;",
      "  }",
      "}",
      "function f(",
      "  a: number,",
      ") {",
      "  return a;",
      "}",
    ];
    expect(indentationOutline(ts).defs.map((d) => [d.name, d.startLine, d.endLine])).toEqual([
      ["A", 1, 9],
      ["m", 2, 4],
      ["n", 6, 8],
      ["f", 10, 14],
    ]);
    const py = ["class A:", "    @property", "    def m(self):", "        return 1", "", "    def n(self):", "        pass", "", "def top():", "    return 2"];
    expect(indentationOutline(py).defs.map((d) => [d.name, d.startLine, d.endLine])).toEqual([
      ["A", 1, 7],
      ["m", 2, 4],
      ["n", 6, 7],
      ["top", 9, 10],
    ]);
    const ruby = ["class Repo", "  def load(id)", "    db.find(id)", "  end", "end"];
    expect(indentationOutline(ruby).defs.map((d) => [d.name, d.startLine, d.endLine])).toEqual([
      ["Repo", 1, 5],
      ["load", 2, 4],
    ]);
  });

  test("outside any definition, the enclosing indentation block is used", () => {
    const yaml = ["jobs:", "  build:", "    steps:", "      - run: a", "      - run: b", "  test:", "    steps: []"];
    expect(enclosingBlock(yaml, 4, 4)).toEqual({ start: 3, end: 5 });
    expect(enclosingBlock(yaml, 1, 1)).toBeNull();
  });

  test("without initSyntax, the builder still extends a TypeScript hunk to its function", () => {
    const lines = ["export function a(x: number): number {", ...Array.from({ length: 20 }, (_, i) => `  x += ${i};`), "  return x;", "}", ""];
    const head = lines.map((l, i) => (i === 10 ? "  x += 100;" : l)).join("\n");
    const changeSet = changeSetOf([{ path: "src/a.ts", base: lines.join("\n"), head }]);
    const surrounding = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K).windows[0]!.local.files[0]!.hunks[0]!.surrounding!;
    expect(surrounding.startLine).toBe(1);
    expect(surrounding.text.split("\n")).toHaveLength(23);
  });

  test("a Kotlin file (no grammar) is extended by indentation", () => {
    const lines = [
      "class Repo {",
      "    fun load(id: String): Item {",
      ...Array.from({ length: 12 }, (_, i) => `        val v${i} = db.get(id, ${i})`),
      "        return Item(id)",
      "    }",
      "}",
      "",
    ];
    const head = lines.map((l, i) => (i === 8 ? "        val changed = true" : l)).join("\n");
    const changeSet = changeSetOf([{ path: "src/Repo.kt", base: lines.join("\n"), head }]);
    const surrounding = buildWindowPlan(changeSet, GLOBAL, BUDGET_24K).windows[0]!.local.files[0]!.hunks[0]!.surrounding!;
    expect(surrounding.startLine).toBe(2);
    expect(surrounding.startLine + surrounding.text.split("\n").length - 1).toBe(16);
  });
});

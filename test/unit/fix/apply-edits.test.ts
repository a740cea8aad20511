import { describe, expect, test } from "@jest/globals";
import { applyEdits, mapLine } from "../../../src/fix/apply-edits.js";

const file = ["function a() {", "  return 1;", "}", "function b() {", "  return 1;", "}", ""].join("\n");
const files = new Map([["src/a.ts", file]]);

describe("applyEdits", () => {
  test("applies a block that occurs once", () => {
    const result = applyEdits(files, [{ path: "src/a.ts", search: "function b() {\n  return 1;", replace: "function b() {\n  return 2;" }]);
    expect(result.ok && result.files.get("src/a.ts")).toBe(file.replace("b() {\n  return 1;", "b() {\n  return 2;"));
  });

  test("a block that occurs twice, or not at all, is a problem worded for the model", () => {
    const result = applyEdits(files, [
      { path: "src/a.ts", search: "  return 1;", replace: "  return 2;" },
      { path: "src/a.ts", search: "return  3;", replace: "return 4;" },
      { path: "src/a.ts", search: "function  a() {", replace: "function a(x) {" },
    ]);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      "Edit 1 (`src/a.ts`): the search text occurs 2 times; include more surrounding lines so it occurs exactly once.",
      expect.stringContaining("Edit 2 (`src/a.ts`): the search text does not occur in the file"),
      expect.stringContaining("Edit 3 (`src/a.ts`): the search text does not occur exactly as written; it differs from the file in whitespace"),
    ]);
  });

  test("later blocks see the file as earlier blocks left it", () => {
    const result = applyEdits(files, [
      { path: "src/a.ts", search: "function a() {\n  return 1;", replace: "function a() {\n  return 5;" },
      { path: "src/a.ts", search: "  return 1;", replace: "  return 6;" },
    ]);
    expect(result.ok && result.files.get("src/a.ts")).toContain("return 5;\n}\nfunction b() {\n  return 6;");
  });

  test("unknown files, empty and no-op blocks are refused", () => {
    const result = applyEdits(files, [
      { path: "src/other.ts", search: "x", replace: "y" },
      { path: "src/a.ts", search: "", replace: "y" },
      { path: "src/a.ts", search: "function a", replace: "function a" },
    ]);
    expect(!result.ok && result.problems).toEqual([
      "Edit 1 (`src/other.ts`): this file is not among the files you were given; edit only those.",
      "Edit 2 (`src/a.ts`): `search` is empty; copy the exact text to replace from the file.",
      "Edit 3 (`src/a.ts`): `search` and `replace` are identical, so it changes nothing.",
    ]);
  });

  test("a CRLF file takes blocks written with LF", () => {
    const crlf = new Map([["w.ts", "let a = 1;\r\nlet b = 2;\r\n"]]);
    const result = applyEdits(crlf, [{ path: "w.ts", search: "let a = 1;\nlet b = 2;", replace: "let a = 1;\nlet b = 3;" }]);
    expect(result.ok && result.files.get("w.ts")).toBe("let a = 1;\r\nlet b = 3;\r\n");
  });

  test("mapLine follows lines through inserted and removed lines", () => {
    const result = applyEdits(files, [
      { path: "src/a.ts", search: "function a() {\n  return 1;\n}\n", replace: "// a\n// b\nfunction a() {\n  return 1;\n}\n" },
    ]);
    if (!result.ok) throw new Error("expected the edit to apply");
    const edited = result.files.get("src/a.ts")!;
    // Line 5 (`  return 1;` in b) moves down by the two added comment lines.
    expect(mapLine(file, edited, result.applied, "src/a.ts", 5)).toBe(7);
    // A line inside the replaced block maps to the block's start.
    expect(mapLine(file, edited, result.applied, "src/a.ts", 2)).toBe(1);
  });
});

import { describe, expect, test } from "@jest/globals";
import { anchorFixes } from "../../../src/fix/anchor-fixes.js";
import { applyEdits } from "../../../src/fix/apply-edits.js";

describe("anchorFixes", () => {
  test("a block covers the whole line and grows until it is unique", () => {
    const text = ["if (a) {", "  x = NaN;", "}", "if (b) {", "  x = NaN;", "}", ""].join("\n");
    const start = text.lastIndexOf("NaN");
    const edits = anchorFixes("f.js", text, [{ start, end: start + 3, text: "0" }]);
    // Down first (`  x = NaN;\n}` is still there twice), then up.
    expect(edits).toEqual([{ path: "f.js", search: "if (b) {\n  x = NaN;\n}", replace: "if (b) {\n  x = 0;\n}" }]);
    const applied = applyEdits(new Map([["f.js", text]]), edits);
    expect(applied.ok && applied.files.get("f.js")).toBe(text.slice(0, start) + "0" + text.slice(start + 3));
  });

  test("fixes on neighbouring lines share one block; distant ones get their own", () => {
    const lines = ["a = 1;", "b = 1;", "c = 1;", "d = 1;", "e = 1;", "f = 1;"];
    const text = lines.join("\n");
    const at = (line: number) => text.indexOf(lines[line]!) + 4;
    const fix = (line: number) => ({ start: at(line), end: at(line) + 1, text: "2" });
    const edits = anchorFixes("f.js", text, [fix(0), fix(1), fix(5)]);
    expect(edits.map((e) => e.search)).toEqual(["a = 1;\nb = 1;", "f = 1;"]);
    const applied = applyEdits(new Map([["f.js", text]]), edits);
    expect(applied.ok && applied.files.get("f.js")).toBe("a = 2;\nb = 2;\nc = 1;\nd = 1;\ne = 1;\nf = 2;");
  });

  test("a fix that removes a line break ends its block on the next line", () => {
    const text = "x = 1;\ny = 2;\n";
    const edits = anchorFixes("f.js", text, [{ start: 6, end: 7, text: " " }]);
    expect(edits).toEqual([{ path: "f.js", search: "x = 1;\ny = 2;", replace: "x = 1; y = 2;" }]);
  });
});

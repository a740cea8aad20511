import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { reconstructBase } from "../../../src/diff/reconstruct-base.js";
import { changeSetOf } from "../context/helpers.js";

describe("reconstructBase", () => {
  it("rebuilds any base from head and the hunks", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "d", "", "x y"), { maxLength: 30 });
    fc.assert(
      fc.property(lines, lines, (baseLines, headLines) => {
        const base = baseLines.map((l) => `${l}\n`).join("");
        const head = headLines.map((l) => `${l}\n`).join("");
        if (base === head || base === "" || head === "") return;
        const file = changeSetOf([{ path: "f.txt", base, head }]).files[0]!;
        expect(reconstructBase(head, file.hunks)).toBe(base);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it("refuses hunks that do not fit the head text", () => {
    const file = changeSetOf([{ path: "f.txt", base: "a\nb\n", head: "a\nc\n" }]).files[0]!;
    expect(reconstructBase("z\nc\n", file.hunks)).toBeNull();
  });
});

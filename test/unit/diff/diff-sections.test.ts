import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { DiffSectionReader, type DiffSection } from "../../../src/diff/diff-sections.js";
import { DiffParseError, parseUnifiedDiff } from "../../../src/diff/parse-unified-diff.js";
import type { ChangedFile } from "../../../src/domain/change-set.js";
import { modelDiffArb, renderDiff } from "../../../tools/fuzz/diff-model.js";
import { applyMutations, mutationArb } from "../../../tools/fuzz/mutations.js";

/** Feeds `text` in pieces of the given sizes (cycled) and collects what the reader hands over. */
function read(text: string, pieceSizes: readonly number[], limits = { maxSectionBytes: Infinity, maxPlainBytes: Infinity }) {
  const sections: DiffSection[] = [];
  const reader = new DiffSectionReader({ ...limits, onSection: (s) => sections.push(s) });
  for (let at = 0, i = 0; at < text.length; i++) {
    const size = Math.max(1, pieceSizes[i % pieceSizes.length] ?? 1);
    reader.push(text.slice(at, at + size));
    at += size;
  }
  return { sections, end: reader.end() };
}

type Parsed = { files: ChangedFile[] } | { error: string };

function parseWhole(text: string): Parsed {
  try {
    return { files: parseUnifiedDiff(text) };
  } catch (error) {
    if (error instanceof DiffParseError) return { error: error.name };
    throw error;
  }
}

function parseSections(sections: readonly DiffSection[], plain: string | null): Parsed {
  try {
    if (plain !== null) return { files: parseUnifiedDiff(plain) };
    return { files: sections.flatMap((s) => parseUnifiedDiff(s.text() ?? "")) };
  } catch (error) {
    if (error instanceof DiffParseError) return { error: error.name };
    throw error;
  }
}

describe("DiffSectionReader", () => {
  test("parsing section by section gives what parsing the whole diff gives, however the input is cut (intact and damaged diffs)", () => {
    const input = fc.record({
      text: fc.tuple(modelDiffArb(), fc.array(mutationArb, { maxLength: 3 })).map(([diff, mutations]) => applyMutations(renderDiff(diff), mutations)),
      pieces: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 5 }),
    });
    fc.assert(
      fc.property(input, ({ text, pieces }) => {
        const { sections, end } = read(text, pieces);
        expect(parseSections(sections, end.plain)).toEqual(parseWhole(text));
        expect(end.bytes).toBe(Buffer.byteLength(text) + (text === "" || text.endsWith("\n") ? 0 : 1));
      }),
      { seed: 14, numRuns: 400 },
    );
  });

  test("a section over the size it may be held at is only counted; the next one is held again", () => {
    const big = `diff --git a/big.js b/big.js\nindex 1..2 100644\n--- a/big.js\n+++ b/big.js\n@@ -1,2 +1,3 @@\n ctx\n-old\n+${"x".repeat(5_000)}\n+new\n`;
    const small = "diff --git a/a.js b/a.js\n--- a/a.js\n+++ b/a.js\n@@ -1 +1 @@\n-a\n+b\n";
    const { sections } = read(big + small, [64], { maxSectionBytes: 1_000, maxPlainBytes: 1_000 });
    expect(sections.map((s) => [s.text() === null, s.changedLines, s.hasHunks])).toEqual([
      [true, 3, true],
      [false, 2, true],
    ]);
    expect(sections[0]!.bytes).toBe(Buffer.byteLength(big));
    // The header still names the file.
    expect(parseUnifiedDiff(sections[0]!.header)[0]).toMatchObject({ path: "big.js", status: "modified", hunks: [] });
    expect(sections[1]!.text()).toBe(small);
  });

  test("a line of any length costs linear time and is never held when it cannot be", () => {
    const line = "+" + "y".repeat(20_000_000);
    const text = `diff --git a/min.js b/min.js\n--- a/min.js\n+++ b/min.js\n@@ -0,0 +1 @@\n${line}\n`;
    const started = performance.now();
    const { sections } = read(text, [65_536], { maxSectionBytes: 1_000_000, maxPlainBytes: 1_000_000 });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(sections.map((s) => [s.text(), s.changedLines, s.bytes])).toEqual([[null, 1, Buffer.byteLength(text)]]);
  });

  test("a plain diff (no `diff --git`) is kept whole for the parser, or refused past its limit", () => {
    const plain = "--- a.txt\t2024-01-01\n+++ a.txt\t2024-01-02\n@@ -1 +1 @@\n-a\n+b\n";
    expect(read(plain, [7]).end).toEqual({ plain, plainTooLarge: false, bytes: Buffer.byteLength(plain) });
    expect(read(plain, [7], { maxSectionBytes: 10, maxPlainBytes: 20 }).end).toMatchObject({ plain: null, plainTooLarge: true });
    // A commit message before git sections is not a plain diff.
    expect(read(`Subject\n\n${"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"}`, [5]).end.plain).toBeNull();
  });
});

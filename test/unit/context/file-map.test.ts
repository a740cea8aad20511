import { describe, expect, test } from "@jest/globals";
import { buildFileMap } from "../../../src/context/file-map.js";
import { countTokens } from "../../../src/context/tokens.js";
import type { ChangedFile } from "../../../src/domain/change-set.js";

function file(path: string, additions = 3, deletions = 1): ChangedFile {
  return { path, previousPath: null, status: "modified", hunks: [], additions, deletions };
}

describe("file map", () => {
  test("a small PR lists every file with status and counts", () => {
    const map = buildFileMap([file("src/a.ts"), { ...file("src/b.ts", 0, 0), status: "renamed", previousPath: "src/old.ts" }], [], 2_000);
    expect(map.split("\n")).toEqual([
      "2 files, +3 -1. Codes: A added, M modified, D deleted, R renamed, C copied, B binary, P mode only, U not listed.",
      "M src/a.ts +3 -1",
      "R src/b.ts (from src/old.ts) +0 -0",
    ]);
  });

  test("a large PR is compacted to directories with counts within the cap", () => {
    const files: ChangedFile[] = [];
    for (let d = 0; d < 40; d++) for (let f = 0; f < 125; f++) files.push(file(`packages/pkg${d}/src/module${f % 5}/file${f}.ts`));
    const map = buildFileMap(files, [], 2_880);
    expect(countTokens(map)).toBeLessThanOrEqual(2_880);
    expect(map.startsWith("5000 files, +15000 -5000.")).toBe(true);
    const lines = map.split("\n").slice(1);
    expect(lines.every((l) => l.startsWith("* "))).toBe(true);
    // The deepest grouping that fits: one line per module directory would be 200 lines, per package 40.
    const counted = lines.map((l) => Number(/ (\d+) files/.exec(l)![1]));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(5000);
  });

  test("when even top-level directories do not fit, the rest is counted in one line", () => {
    const files = Array.from({ length: 3000 }, (_, i) => file(`dir${i}/x/file.ts`));
    const map = buildFileMap(files, [], 400);
    expect(countTokens(map)).toBeLessThanOrEqual(400);
    expect(map).toMatch(/\[\.\.\. \d+ more entries not listed; 3000 files in total are counted in the first line\]$/);
  });
});

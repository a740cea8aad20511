import { describe, expect, test } from "@jest/globals";
import { parseCommand } from "../../../src/commands/parse-command.js";
import { buildWindowPlan, initSyntax } from "../../../src/context/index.js";
import { loadO200k } from "../../../src/context/o200k.js";
import { buildChangeSet } from "../../../src/diff/build-change-set.js";
import { applyContentRules, MAX_LINE_CHARS } from "../../../src/diff/file-filter.js";
import { buildLineMap } from "../../../src/diff/line-map.js";
import { DiffParseError, parseFilePatch, parseUnifiedDiff } from "../../../src/diff/parse-unified-diff.js";
import { QUOTED_PATHS_WITH_SIGNATURE } from "../../../tools/fuzz/sample-diffs.js";

/**
 * Regressions found by `npm run fuzz` (tools/fuzz/), each at its source:
 * the parser, the line map, the content rules, and two quadratic regular
 * expressions on untrusted text.
 */

const header = "diff --git a/x.ts b/x.ts\n--- a/x.ts\n+++ b/x.ts\n";
const patch = (text: string) => parseFilePatch({ path: "x.ts", previousPath: null, status: "modified", patch: text });

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe("parser: crashes and misreadings", () => {
  test('"\\ No newline at end of file" straight after a hunk header does not crash (parse-diff threw a TypeError)', () => {
    expect(patch("@@ -1 +1 @@\n\\ No newline at end of file\n-a\n+b").hunks[0]!.lines.map((l) => l.kind)).toEqual(["del", "add"]);
  });

  test("a name ending in a blank keeps it: git ends such a name with a tab (found by the hostile-paths target)", () => {
    // What `git diff` prints for a new file named "src/x " (trailing space).
    const diff = "diff --git a/src/x  b/src/x \nnew file mode 100644\n--- /dev/null\n+++ b/src/x \t\n@@ -0,0 +1 @@\n+y\n";
    expect(parseUnifiedDiff(diff).map((f) => f.path)).toEqual(["src/x "]);
    // diff -u's timestamp after a tab is still not part of the name.
    const plain = "--- a/x.ts\t2024-01-01 00:00:00.000000000 +0000\n+++ b/x.ts\t2024-01-02 00:00:00.000000000 +0000\n@@ -1 +1 @@\n-a\n+b\n";
    expect(parseUnifiedDiff(plain).map((f) => f.path)).toEqual(["x.ts"]);
  });

  test("a hunk header whose counts are too large does not swallow the next hunk as context lines", () => {
    const file = patch("@@ -1,10 +1,10 @@\n-a\n+b\n@@ -20 +20 @@\n-c\n+d");
    expect(file.hunks.map((h) => [h.oldStart, h.oldLines, h.newLines, h.lines.length])).toEqual([
      [1, 1, 1, 2],
      [20, 1, 1, 2],
    ]);
    expect(buildLineMap([file]).locate("x.ts", 20, "RIGHT")?.hunkIndex).toBe(1);
  });

  test("counts too small would leave changes outside every hunk: rejected, with where and why", () => {
    expect(() => patch("@@ -1 +1 @@\n-a\n+b\n+c\n+d")).toThrow(DiffParseError);
    expect(() => patch("@@ -1 +1 @@\n-a\n+b\n+c\n+d")).toThrow(/x\.ts: a change follows hunk 1 \(@@ -1 \+1 @@\) outside every hunk/);
  });

  test("overlapping or reordered hunks are rejected: one line cannot have two meanings", () => {
    expect(() => patch("@@ -5,2 +5,2 @@\n a\n-b\n+c\n@@ -5,1 +5,1 @@\n-x\n+y")).toThrow(/hunk 2 .* overlaps or precedes/);
  });

  test("line numbers past any real file, line 0 with lines, and combined diffs are rejected with a reason", () => {
    expect(() => patch("@@ -99999999999999999999,1 +1 @@\n-a\n+b")).toThrow(/out of range/);
    expect(() => patch("@@ -0,2 +0,2 @@\n a\n b")).toThrow(/starts at line 0 but has lines/);
    expect(() => patch("@@@ -1,2 -1,2 +1,3 @@@\n  a")).toThrow(/combined \(merge\) diff/);
  });

  test("zero-line hunks and empty input yield no hunks and no files", () => {
    expect(patch("@@ -0,0 +0,0 @@\n").hunks).toEqual([]);
    expect(parseUnifiedDiff("")).toEqual([]);
    expect(parseUnifiedDiff("\n\n")).toEqual([]);
  });

  test("the final newline is not an extra empty context line", () => {
    const [file] = parseUnifiedDiff(`${header}@@ -1,2 +1,2 @@\n-a\n+b\n c\n`);
    expect(file!.hunks[0]!.lines).toHaveLength(3);
  });

  test("an empty name in a rename header falls back to the other headers, never an empty path", () => {
    const [file] = parseUnifiedDiff("diff --git a/app.ts b/src/app.ts\nsimilarity index 100%\nrename from app.ts\nrename to ");
    expect(file!.path).toBe("src/app.ts");
  });

  test("quoted, escaped and unicode paths; a mail signature after the last hunk", () => {
    const text = QUOTED_PATHS_WITH_SIGNATURE;
    expect(parseUnifiedDiff(text).map((f) => [f.path, f.additions, f.deletions])).toEqual([['café "x".txt', 1, 1]]);
  });

  test("a submodule bump parses as the pointer change it is", () => {
    const [file] = parseUnifiedDiff(
      "diff --git a/lib b/lib\nindex 1111111..2222222 160000\n--- a/lib\n+++ b/lib\n@@ -1 +1 @@\n-Subproject commit 1111111\n+Subproject commit 2222222\n",
    );
    expect([file!.status, file!.additions, file!.deletions]).toEqual(["modified", 1, 1]);
  });
});

describe("line map: cost does not grow with the distance asked for", () => {
  test("nearestCommentable with a huge distance answers at once (it walked outwards line by line: a hang)", () => {
    const map = buildLineMap([patch("@@ -1 +1 @@\n-a\n+b")]);
    const { value, ms } = timed(() => map.nearestCommentable("x.ts", 1e9, "RIGHT", Number.MAX_SAFE_INTEGER));
    expect(value).toBe(1);
    expect(ms).toBeLessThan(50);
    expect(map.nearestCommentable("x.ts", 5, "RIGHT", 3)).toBeNull();
    expect(map.nearestCommentable("x.ts", 4, "RIGHT", 3)).toBe(1);
  });

  test("ties go to the earlier line, as before", () => {
    const map = buildLineMap([patch("@@ -1 +1 @@\n-a\n+b\n@@ -5 +5 @@\n-c\n+d")]);
    expect(map.nearestCommentable("x.ts", 3, "RIGHT", 5)).toBe(1);
    expect(map.nearestCommentable("x.ts", 4, "RIGHT", 5)).toBe(5);
    expect(map.nearestCommentable("x.ts", 3, "RIGHT", 1)).toBeNull();
  });
});

describe("huge lines and long runs of blanks in untrusted text", () => {
  test("a file with a changed line over MAX_LINE_CHARS is skipped as too large, with the length (it held the window builder for minutes)", () => {
    const file = patch(`@@ -1 +1 @@\n-a\n+${"x".repeat(1_000_000)}`);
    const { skipped, reviewable } = applyContentRules([file], () => null, false);
    expect(reviewable).toEqual([]);
    expect(skipped).toEqual([
      {
        path: "x.ts",
        reason: "too-large",
        lines: 2,
        detail: `a line of 1,000,000 characters (lines over ${MAX_LINE_CHARS.toLocaleString("en-US")} are not reviewed)`,
      },
    ]);
  });

  test("a head version with a huge line is not used as context; the diff is still reviewed", () => {
    const file = patch("@@ -1 +1 @@\n-a\n+b");
    const { reviewable, headContents } = applyContentRules([file], () => `b\n${"y".repeat(MAX_LINE_CHARS + 1)}\n`, true);
    expect(reviewable).toHaveLength(1);
    expect(headContents.size).toBe(0);
  });

  test("a long unbroken identifier costs linear time in the window builder's call scan", async () => {
    // One-off loads (grammars, the token vocabulary) are not the scan's cost.
    await initSyntax();
    loadO200k();
    const line = "x".repeat(MAX_LINE_CHARS);
    const file = patch(`@@ -1,2 +1,2 @@\n a\n-b\n+${line}`);
    const { ms } = timed(() =>
      buildWindowPlan(
        buildChangeSet({ files: [file] }),
        { title: "t", description: "", guidelines: "" },
        { windowTokens: 8_000, outputTokens: 500, contextTokens: 200_000 },
      ),
    );
    expect(ms).toBeLessThan(2_000);
  });

  test("a PR description of 60,000 blanks then text is tidied in linear time", async () => {
    await initSyntax();
    loadO200k();
    const { ms } = timed(() =>
      buildWindowPlan(
        buildChangeSet({ files: [patch("@@ -1 +1 @@\n-a\n+b")] }),
        { title: "t", description: `${" ".repeat(60_000)}x\n`, guidelines: "" },
        { windowTokens: 8_000, outputTokens: 500, contextTokens: 200_000 },
      ),
    );
    expect(ms).toBeLessThan(1_500);
  });

  test("a comment of 65,536 blanks then text is not a command, decided in linear time", () => {
    const { value, ms } = timed(() => parseCommand(`/agent fix${" ".repeat(65_536)}x`));
    expect(value).toEqual({ kind: "fix", instructions: "x" });
    expect(ms).toBeLessThan(200);
  });
});

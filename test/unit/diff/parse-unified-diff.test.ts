import { describe, expect, test } from "@jest/globals";
import { buildLineMap } from "../../../src/diff/line-map.js";
import { parseFilePatch, parseUnifiedDiff } from "../../../src/diff/parse-unified-diff.js";
import { GIT_DIFF } from "../../../tools/fuzz/sample-diffs.js";

describe("parseUnifiedDiff", () => {
  const files = parseUnifiedDiff(GIT_DIFF);
  const byPath = new Map(files.map((f) => [f.path, f]));

  test("recognises every file and its status", () => {
    expect(files.map((f) => [f.path, f.status])).toEqual([
      ["src/app.ts", "modified"],
      ["new/name.ts", "renamed"],
      ["added.py", "added"],
      ["gone.go", "removed"],
      ["logo.png", "binary"],
      ["run.sh", "mode-only"],
      ["pure/renamed.ts", "renamed"],
    ]);
    expect(byPath.get("new/name.ts")?.previousPath).toBe("old/name.ts");
    expect(byPath.get("pure/renamed.ts")?.previousPath).toBe("pure/rename.ts");
    expect(byPath.get("pure/renamed.ts")?.hunks).toHaveLength(0);
  });

  test("numbers lines on both sides and counts changes", () => {
    const app = byPath.get("src/app.ts")!;
    expect(app.additions).toBe(2);
    expect(app.deletions).toBe(2);
    expect(app.hunks).toHaveLength(2);
    expect(app.hunks[0]!.lines).toEqual([
      { kind: "context", oldLine: 1, newLine: 1, text: "import x from 'x';" },
      { kind: "del", oldLine: 2, newLine: null, text: "const a = 1;" },
      { kind: "add", oldLine: null, newLine: 2, text: "const a = 2;" },
      { kind: "add", oldLine: null, newLine: 3, text: "const b = 3;" },
      { kind: "context", oldLine: 3, newLine: 4, text: "export { a };" },
      { kind: "context", oldLine: 4, newLine: 5, text: "// end" },
    ]);
    expect(app.hunks[1]!.lines.map((l) => [l.kind, l.oldLine, l.newLine])).toEqual([
      ["context", 20, 21],
      ["del", 21, null],
      ["context", 22, 22],
    ]);
  });

  test('"\\ No newline at end of file" is not a line', () => {
    const renamed = byPath.get("new/name.ts")!;
    expect(renamed.hunks[0]!.lines).toEqual([
      { kind: "del", oldLine: 1, newLine: null, text: "export const n = 1;" },
      { kind: "add", oldLine: null, newLine: 1, text: "export const n = 2;" },
    ]);
  });

  test("handles CRLF line endings", () => {
    const crlf = GIT_DIFF.split("\n").slice(0, 16).join("\r\n");
    const [file] = parseUnifiedDiff(crlf);
    expect(file!.hunks[0]!.lines[2]).toEqual({ kind: "add", oldLine: null, newLine: 2, text: "const a = 2;" });
  });

  test("parses plain diff -u output without git headers", () => {
    const plain = ["--- a.txt\t2024-01-01", "+++ a.txt\t2024-01-02", "@@ -1 +1 @@", "-x", "+y", ""].join("\n");
    expect(parseUnifiedDiff(plain).map((f) => [f.path, f.status, f.additions, f.deletions])).toEqual([["a.txt", "modified", 1, 1]]);
  });

  test("empty input has no files", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
  });
});

describe("parseFilePatch (GitHub's per-file patch without headers)", () => {
  test("parses hunks only", () => {
    const file = parseFilePatch({ path: "a.js", previousPath: null, status: "modified", patch: "@@ -5,2 +5,3 @@ x\n a\n+b\n c" });
    expect(file.hunks[0]!.lines.map((l) => [l.kind, l.newLine])).toEqual([
      ["context", 5],
      ["add", 6],
      ["context", 7],
    ]);
  });
});

describe("buildLineMap", () => {
  const map = buildLineMap(parseUnifiedDiff(GIT_DIFF));

  test("added and context lines are commentable on RIGHT by new number", () => {
    expect(map.locate("src/app.ts", 2, "RIGHT")).toEqual({ path: "src/app.ts", hunkIndex: 0, kind: "add" });
    expect(map.locate("src/app.ts", 5, "RIGHT")?.kind).toBe("context");
    expect(map.locate("src/app.ts", 10, "RIGHT")).toBeNull();
  });

  test("deleted lines are commentable on LEFT by old number", () => {
    expect(map.locate("src/app.ts", 2, "LEFT")?.kind).toBe("del");
    expect(map.locate("src/app.ts", 21, "LEFT")).toEqual({ path: "src/app.ts", hunkIndex: 1, kind: "del" });
    expect(map.locate("gone.go", 2, "LEFT")?.kind).toBe("del");
    expect(map.locate("gone.go", 1, "RIGHT")).toBeNull();
  });

  test("new files: every line on RIGHT", () => {
    expect(map.locate("added.py", 1, "RIGHT")?.kind).toBe("add");
    expect(map.locate("added.py", 2, "RIGHT")?.kind).toBe("add");
    expect(map.locate("added.py", 3, "RIGHT")).toBeNull();
  });

  test("a range must stay within one hunk", () => {
    expect(map.isCommentableRange("src/app.ts", 1, 5, "RIGHT")).toBe(true);
    expect(map.isCommentableRange("src/app.ts", 2, 21, "RIGHT")).toBe(false);
    expect(map.isCommentableRange("src/app.ts", 5, 1, "RIGHT")).toBe(false);
  });

  test("nearest commentable line within a distance", () => {
    expect(map.nearestCommentable("src/app.ts", 7, "RIGHT", 3)).toBe(5);
    expect(map.nearestCommentable("src/app.ts", 13, "RIGHT", 3)).toBeNull();
    expect(map.nearestCommentable("nope.ts", 1, "RIGHT", 3)).toBeNull();
  });

  test("files without hunks are known, but have no commentable line", () => {
    expect(map.hasFile("pure/renamed.ts")).toBe(true);
    expect(map.locate("pure/renamed.ts", 1, "RIGHT")).toBeNull();
    expect(map.hasFile("elsewhere.ts")).toBe(false);
  });
});

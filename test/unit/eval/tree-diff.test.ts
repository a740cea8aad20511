import { describe, expect, test } from "@jest/globals";
import { parseUnifiedDiff } from "../../../src/diff/parse-unified-diff.js";
import { diffTrees } from "../../../src/eval/tree-diff.js";

const tree = (files: Record<string, string>) => new Map(Object.entries(files).map(([p, text]) => [p, Buffer.from(text)]));

describe("diffTrees", () => {
  test("a modified file: git-style headers and hunks whose line numbers are the head's", () => {
    const text = diffTrees(tree({ "src/a.ts": "one\ntwo\nthree\n" }), tree({ "src/a.ts": "one\n2\nthree\nfour\n" }));
    expect(text).toBe(
      ["diff --git a/src/a.ts b/src/a.ts", "--- a/src/a.ts", "+++ b/src/a.ts", "@@ -1,3 +1,4 @@", " one", "-two", "+2", " three", "+four", ""].join("\n"),
    );
    const [file] = parseUnifiedDiff(text);
    expect(file).toMatchObject({ path: "src/a.ts", status: "modified", additions: 2, deletions: 1 });
    expect(file?.hunks[0]?.lines.filter((l) => l.kind === "add").map((l) => l.newLine)).toEqual([2, 4]);
  });

  test("added, removed and unchanged files, in path order", () => {
    const text = diffTrees(
      tree({ "gone.py": "x = 1\n", "same.go": "package a\n" }),
      tree({ "new.go": "package x\n\nfunc A() {}\n", "same.go": "package a\n" }),
    );
    const files = parseUnifiedDiff(text);
    expect(files.map((f) => [f.path, f.status, f.additions, f.deletions])).toEqual([
      ["gone.py", "removed", 0, 1],
      ["new.go", "added", 3, 0],
    ]);
    expect(text).toContain("@@ -0,0 +1,3 @@");
    expect(text).toContain("@@ -1 +0,0 @@");
  });

  test("a missing final newline is marked but is not a line", () => {
    const [file] = parseUnifiedDiff(diffTrees(tree({ "a.go": "a\nb" }), tree({ "a.go": "a\nc" })));
    expect(file?.hunks[0]?.lines.map((l) => `${l.kind}:${l.text}`)).toEqual(["context:a", "del:b", "add:c"]);
  });

  test("binary files are reported as binary, identical trees give no diff", () => {
    const [file] = parseUnifiedDiff(diffTrees(tree({}), new Map([["logo.png", Buffer.from([0x89, 0x50, 0, 1])]])));
    expect(file).toMatchObject({ path: "logo.png", status: "binary" });
    expect(diffTrees(tree({ "a.ts": "x\n" }), tree({ "a.ts": "x\n" }))).toBe("");
  });
});

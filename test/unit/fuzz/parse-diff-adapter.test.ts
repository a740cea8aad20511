import { describe, expect, test } from "@jest/globals";
import { DiffParseError, parseFilePatch, parseUnifiedDiff } from "../../../src/diff/parse-unified-diff.js";
import { parsePatchWithParseDiff, parseWithParseDiff } from "../../../tools/fuzz/parse-diff-adapter.js";

/**
 * The adapter behind `npm run fuzz:parse-diff` (docs/decisions/0008-own-diff-parser.md):
 * on a plain diff it must read what the project's parser reads, or the
 * comparison would blame parse-diff for the adapter's mistakes.
 */
describe("parse-diff adapter", () => {
  const diff = [
    "diff --git a/src/app.ts b/src/app.ts",
    "index 1111111..2222222 100644",
    "--- a/src/app.ts",
    "+++ b/src/app.ts",
    "@@ -1,3 +1,4 @@ f()",
    " keep",
    "-old",
    "+new",
    "+more",
    " tail",
    "\\ No newline at end of file",
    "diff --git a/gone.go b/gone.go",
    "deleted file mode 100644",
    "--- a/gone.go",
    "+++ /dev/null",
    "@@ -1 +0,0 @@",
    "-package gone",
    "",
  ].join("\r\n");

  test.each(["raw", "validated"] as const)("a well-formed git diff reads as the project's parser reads it (%s)", (mode) => {
    expect(parseWithParseDiff(diff, mode)).toEqual(parseUnifiedDiff(diff));
  });

  test("validation rejects a hunk whose header counts more lines than it holds, with the reason", () => {
    const patch = { path: "x.ts", previousPath: null, status: "modified" as const, patch: "@@ -1,10 +1,10 @@\n-a\n+b\n@@ -20 +20 @@\n-c\n+d" };
    expect(() => parsePatchWithParseDiff(patch, "validated")).toThrow(DiffParseError);
    expect(() => parsePatchWithParseDiff(patch, "validated")).toThrow(/holds 3\/3 lines, its header says 10\/10/);
    expect(parseFilePatch(patch).hunks.map((h) => h.oldStart)).toEqual([1, 20]);
  });
});

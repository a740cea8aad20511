import { describe, expect, test } from "@jest/globals";
import { buildLineMap } from "../../../src/diff/line-map.js";
import { parseFilePatch } from "../../../src/diff/parse-unified-diff.js";
import { placeFinding, placeFindings } from "../../../src/review/placement.js";
import { finding } from "../../helpers/findings.js";

// Hunk 0: new lines 10-14 (12 added); hunk 1: new lines 40-42 (41 added), old line 38 deleted.
const file = parseFilePatch({
  path: "src/app.ts",
  previousPath: null,
  status: "modified",
  patch: ["@@ -10,4 +10,5 @@", " a", " b", "+c", " d", " e", "@@ -37,3 +40,3 @@", " x", "-y", "+z", " w"].join("\n"),
});
const lineMap = buildLineMap([file]);

describe("placeFinding", () => {
  test("a line inside a hunk stays inline, with its suggestion", () => {
    const placed = placeFinding(finding({ line: 12, suggestion: "c2" }), lineMap);
    expect(placed).toMatchObject({ placement: "inline", line: 12, suggestion: "c2", placementNote: null });
  });

  test("a line near a hunk moves to the nearest commentable line and loses its suggestion", () => {
    const placed = placeFinding(finding({ line: 16, suggestion: "x" }), lineMap);
    expect(placed).toMatchObject({ placement: "inline", line: 14, suggestion: null });
    expect(placed.placementNote).toContain("line 16");
  });

  test("a line far from any hunk becomes a file comment", () => {
    expect(placeFinding(finding({ line: 200 }), lineMap)).toMatchObject({ placement: "file", line: 200 });
  });

  test("a file outside the diff goes to the review body", () => {
    expect(placeFinding(finding({ path: "other.ts" }), lineMap).placement).toBe("body");
  });

  test("a range across hunks keeps only its last line", () => {
    const placed = placeFinding(finding({ startLine: 12, line: 41, suggestion: "s" }), lineMap);
    expect(placed).toMatchObject({ placement: "inline", startLine: null, line: 41, suggestion: null });
  });

  test("a range within one hunk is kept", () => {
    expect(placeFinding(finding({ startLine: 11, line: 13 }), lineMap)).toMatchObject({ startLine: 11, line: 13, placement: "inline" });
  });

  test("deleted lines on LEFT are commentable; suggestions never apply to LEFT", () => {
    const placed = placeFinding(finding({ line: 38, side: "LEFT", suggestion: "nope" }), lineMap);
    expect(placed).toMatchObject({ placement: "inline", side: "LEFT", suggestion: null });
  });
});

describe("placeFindings", () => {
  test("caps inline comments, keeping the most severe inline and moving the rest to the body", () => {
    const placed = placeFindings(
      [finding({ line: 11, severity: "P3" }), finding({ line: 12, severity: "P0" }), finding({ line: 13, severity: "P2" })],
      lineMap,
      2,
    );
    expect(placed.map((f) => [f.severity, f.placement])).toEqual([
      ["P0", "inline"],
      ["P2", "inline"],
      ["P3", "body"],
    ]);
    expect(placed[2]!.placementNote).toContain("maxInlineComments");
  });

  test("never drops a finding", () => {
    const inputs = [finding({ line: 1 }), finding({ path: "x" }), finding({ line: 12 }), finding({ line: 500 })];
    expect(placeFindings(inputs, lineMap, 0)).toHaveLength(inputs.length);
  });
});

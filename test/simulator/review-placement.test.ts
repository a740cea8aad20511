import { describe, expect, test } from "@jest/globals";
import { parsePatch } from "../../tools/github-simulator/patch-lines.js";
import { placeComment, reviewSentence } from "../../tools/github-simulator/review-placement.js";

// Two hunks: new lines 1–6 (line 3 replaced) and 8–11 (line 11 added); old lines 1–6 and 8–10.
const PATCH = [
  "@@ -1,6 +1,6 @@",
  " one",
  " two",
  "-three",
  "+THREE",
  " four",
  " five",
  " six",
  "@@ -8,3 +8,4 @@ seven",
  " eight",
  " nine",
  " ten",
  "+eleven",
].join("\n");

const patch = parsePatch(PATCH);

describe("placeComment (GitHub's rules for review comment anchors)", () => {
  test("RIGHT accepts added and context lines by new number; LEFT accepts deleted and context lines by old number", () => {
    expect(placeComment(patch, true, { line: 3, side: "RIGHT" })).toMatchObject({ ok: true, anchor: { line: 3, side: "RIGHT", position: 4 } });
    expect(placeComment(patch, true, { line: 1 })).toMatchObject({ ok: true, anchor: { side: "RIGHT", position: 1 } });
    expect(placeComment(patch, true, { line: 3, side: "LEFT" })).toMatchObject({ ok: true, anchor: { position: 3 } });
    expect(placeComment(patch, true, { line: 11, side: "RIGHT" })).toMatchObject({ ok: true, anchor: { position: 12 } });
    expect(placeComment(patch, true, { line: 11, side: "LEFT" }).ok).toBe(false);
    expect(placeComment(patch, true, { line: 7, side: "RIGHT" }).ok).toBe(false);
  });

  test("a line outside every hunk is refused in GitHub's words", () => {
    const result = placeComment(patch, true, { line: 7 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(reviewSentence)).toEqual([
      "Pull request review thread line must be part of the diff",
      "Pull request review thread diff hunk can't be blank",
    ]);
  });

  test("a range must stay in one hunk and start before its end", () => {
    expect(placeComment(patch, true, { startLine: 1, line: 4 })).toMatchObject({ ok: true, anchor: { startLine: 1, startSide: "RIGHT" } });
    const crossHunk = placeComment(patch, true, { startLine: 5, line: 9 });
    expect(crossHunk).toEqual({ ok: false, problems: [{ attribute: "start_line", text: "must be part of the same hunk as the line." }] });
    const backwards = placeComment(patch, true, { startLine: 4, line: 2 });
    expect(backwards).toEqual({ ok: false, problems: [{ attribute: "start_line", text: "must precede the end line." }] });
    const same = placeComment(patch, true, { startLine: 2, line: 2 });
    expect(same.ok).toBe(false);
  });

  test("a range may start on LEFT and end on RIGHT within the hunk", () => {
    expect(placeComment(patch, true, { startLine: 3, startSide: "LEFT", line: 3, side: "RIGHT" })).toMatchObject({
      ok: true,
      anchor: { startSide: "LEFT", side: "RIGHT" },
    });
  });

  test("position counts lines from the first hunk header, later headers included", () => {
    expect(placeComment(patch, true, { position: 4 })).toMatchObject({ ok: true, anchor: { line: 3, side: "RIGHT" } });
    expect(placeComment(patch, true, { position: 3 })).toMatchObject({ ok: true, anchor: { line: 3, side: "LEFT" } });
    expect(placeComment(patch, true, { position: 8 }).ok).toBe(false);
    expect(placeComment(patch, true, { position: 99 }).ok).toBe(false);
  });

  test("files outside the diff, unknown sides and binary files (no patch) are refused", () => {
    expect(placeComment(null, false, { line: 1 })).toMatchObject({
      ok: false,
      problems: [{ attribute: "path", text: "is invalid" }, { attribute: "diff_hunk" }],
    });
    expect(placeComment(patch, true, { line: 1, side: "MIDDLE" })).toMatchObject({ ok: false, problems: [{ attribute: "side" }, { attribute: "diff_hunk" }] });
    expect(placeComment(null, true, { line: 1 })).toMatchObject({ ok: false, problems: [{ attribute: "line" }, { attribute: "diff_hunk" }] });
  });

  test("diff_hunk runs from the hunk header to the commented line", () => {
    const result = placeComment(patch, true, { line: 9 });
    expect(result.ok && result.anchor.diffHunk).toBe("@@ -8,3 +8,4 @@ seven\n eight\n nine");
  });
});

import { describe, expect, test } from "@jest/globals";
import { expectSliceToPass } from "./fuzz-slice.js";

/**
 * A fixed-seed slice of `npm run fuzz` for the diff parser and the line map
 * (tools/fuzz/targets.ts says what each target feeds and checks).
 */
describe("fuzz slice: diffs", () => {
  test("well-formed diffs parse back to the content they were rendered from", async () => {
    await expectSliceToPass("parse-diff/well-formed", 1_500);
  });

  test("damaged diffs and arbitrary text parse soundly or are rejected with a reason", async () => {
    const report = await expectSliceToPass("parse-diff/malformed", 2_000);
    // The slice must exercise both outcomes, or it proves nothing about one of them.
    expect(report.accepted).toBeGreaterThan(100);
    expect(report.rejected).toBeGreaterThan(100);
  });

  test("GitHub per-file patches, intact or damaged", async () => {
    await expectSliceToPass("parse-file-patch", 1_000);
  });

  test("the line map answers every query in line with the hunks", async () => {
    await expectSliceToPass("line-map", 750);
  });
});

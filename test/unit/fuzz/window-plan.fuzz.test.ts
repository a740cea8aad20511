import { describe, expect, test } from "@jest/globals";
import { expectSliceToPass } from "./fuzz-slice.js";

/** A fixed-seed slice of `npm run fuzz` for the window builder fed by parsed, possibly damaged diffs. */
describe("fuzz slice: window plan", () => {
  test("exact coverage and windows within budget, or a typed rejection with a reason", async () => {
    const report = await expectSliceToPass("window-plan", 60);
    expect(report.accepted).toBeGreaterThan(20);
  }, 60_000);
});

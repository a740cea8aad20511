import { describe, expect, test } from "@jest/globals";
import { expectSliceToPass } from "./fuzz-slice.js";

/** A fixed-seed slice of `npm run fuzz`: hostile file names through the whole pipeline and every output. */
describe("fuzz slice: hostile file names through the pipeline", () => {
  test("every file accounted for, coverage exact, nothing readable as a marker or HTML, every report well-formed", async () => {
    const report = await expectSliceToPass("pipeline/hostile-paths", 40);
    expect(report.accepted).toBe(40);
  }, 120_000);
});

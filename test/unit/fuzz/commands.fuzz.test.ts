import { describe, test } from "@jest/globals";
import { expectSliceToPass } from "./fuzz-slice.js";

/** A fixed-seed slice of `npm run fuzz` for `/agent` command parsing. */
describe("fuzz slice: commands", () => {
  test("comment bodies give null or a well-formed command decided by the first line", async () => {
    await expectSliceToPass("commands", 1_500);
  });
});

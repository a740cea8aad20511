import { describe, expect, test } from "@jest/globals";
import { fitSummary, MAX_SUMMARY_BYTES } from "../../../src/action/job-summary.js";

describe("fitSummary", () => {
  test("a summary within GitHub's 1 MiB is kept whole", () => {
    expect(fitSummary("## Longview\n\nfine\n")).toBe("## Longview\n\nfine\n");
  });

  test("a longer one is cut at a line within the limit and says so, multi-byte text included", () => {
    const line = "é😀 finding text that repeats\n";
    const text = line.repeat(Math.ceil((2 * MAX_SUMMARY_BYTES) / Buffer.byteLength(line)));
    const fitted = fitSummary(text);
    expect(Buffer.byteLength(fitted, "utf8")).toBeLessThanOrEqual(MAX_SUMMARY_BYTES);
    expect(fitted).toContain("the rest is left out");
    expect(fitted).not.toContain("\uFFFD");
    expect(
      fitted
        .split("\n\n…")[0]!
        .split("\n")
        .every((l) => l === line.trimEnd()),
    ).toBe(true);
  });
});

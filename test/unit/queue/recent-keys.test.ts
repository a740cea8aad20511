import { describe, expect, test } from "@jest/globals";
import { RecentKeys } from "../../../src/queue/recent-keys.js";

describe("RecentKeys", () => {
  test("forgets the oldest key beyond its capacity", () => {
    const keys = new RecentKeys(2);
    expect([keys.add("a"), keys.add("b"), keys.add("a"), keys.add("c"), keys.add("a")]).toEqual([true, true, false, true, true]);
    expect(keys.size).toBe(2);
  });
});

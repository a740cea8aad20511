import { describe, expect, test } from "@jest/globals";
import { formatUnappliedFix } from "../../../src/commands/format-fix-reply.js";

describe("a prepared commit that never reached its branch", () => {
  const commit = { sha: "abcdef0123456789abcdef0123456789abcdef01", branch: "feature" };
  test("for a fix: says the fix was not applied and how to try again", () => {
    expect(formatUnappliedFix("alice", commit, "1234567890abcdef1234567890abcdef12345678")).toBe(
      "@alice Longview prepared the fix as commit `abcdef0`, but the branch `feature` moved to `1234567` before the commit could be added to it, so the fix was not applied and nothing was changed. Comment `/agent fix` again to fix the branch as it is now.",
    );
  });
  test("for an undo: speaks of the revert and of `/agent undo`", () => {
    expect(formatUnappliedFix("alice", commit, null, "undo")).toBe(
      "@alice Longview prepared the revert of its fixes as commit `abcdef0`, but the branch `feature` was deleted before the commit could be added to it, so the revert of its fixes was not applied and nothing was changed. Comment `/agent undo` again to undo Longview's fixes on the branch as it is now.",
    );
  });
});

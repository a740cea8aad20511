import { describe, expect, test } from "@jest/globals";
import { followingNote, formatCiVerdict } from "../../../src/commands/format-ci-reply.js";
import type { CommitCheck } from "../../../src/github/ci-checks.js";

const ctx = { requester: "alice", sha: "a".repeat(40), round: 3, timeoutSeconds: 1_800 };
const hostile: CommitCheck = {
  id: 1,
  name: "test` @org/team <img src=x>",
  app: "evil-ci @bob",
  status: "completed",
  conclusion: "failure",
  detailsUrl: null,
  output: { title: "[click](https://phish.example) @carol <script>alert(1)</script>", summary: null, text: null },
};

describe("what Longview says about CI", () => {
  test("check names, apps and titles from CI render inert: no mention, link or HTML", () => {
    const text = formatCiVerdict({ kind: "give-up", failing: [hostile], alreadyFailing: [] }, ctx);
    expect(text).toMatch(/^@alice CI still fails on Longview's fix `aaaaaaa` after 2 revisions/);
    expect(text).toContain("`/agent undo`");
    for (const bad of ["@org/team", "@bob", "@carol", "<img", "<script", "](https://"]) {
      const outsideCode = text.replace(/`[^`]*`/g, "");
      expect(outsideCode).not.toContain(bad);
    }
  });

  test("each ending is worded: passed, timeout, no CI, missing permission, moved", () => {
    const first = { ...ctx, round: 1 };
    const ok = (name: string): CommitCheck => ({
      ...hostile,
      name,
      app: "github-actions",
      conclusion: "success",
      output: { title: null, summary: null, text: null },
    });
    expect(formatCiVerdict({ kind: "passed", passed: [ok("test"), ok("types")], alreadyFailing: [] }, first)).toBe(
      "@alice CI passed on Longview's fix `aaaaaaa`: `test`, `types` passed (2 checks).",
    );
    expect(formatCiVerdict({ kind: "timeout", pending: [], failing: [], passed: [] }, first)).toContain("within 30 minutes (`fix.ciTimeout`)");
    expect(formatCiVerdict({ kind: "no-ci" }, first)).toContain("No CI checks report on this pull request");
    expect(formatCiVerdict({ kind: "unreadable", permission: "checks: read" }, first)).toContain("lacks the `checks: read` permission");
    expect(formatCiVerdict({ kind: "moved", head: "b".repeat(40) }, first)).toContain("its head is now `bbbbbbb`");
    expect(followingNote(0, 90)).toContain("for up to 90 seconds and reports here");
  });
});

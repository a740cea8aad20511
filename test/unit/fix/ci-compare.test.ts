import { describe, expect, test } from "@jest/globals";
import { isFailing, newlyFailing } from "../../../src/fix/ci-compare.js";
import type { CommitCheck } from "../../../src/github/ci-checks.js";

let ids = 1;
function check(name: string, conclusion: string | null, overrides: Partial<CommitCheck> = {}): CommitCheck {
  return {
    id: ids++,
    name,
    app: "github-actions",
    status: conclusion === null ? "in_progress" : "completed",
    conclusion,
    detailsUrl: null,
    output: { title: null, summary: null, text: null },
    ...overrides,
  };
}
const names = (checks: readonly CommitCheck[]) => checks.map((c) => c.name);

describe("newlyFailing", () => {
  test("a check failing on the fix that passed on the parent is new; one failing on both is not", () => {
    const parent = [check("test", "success"), check("lint", "failure")];
    const fix = [check("test", "failure"), check("lint", "failure"), check("types", "success")];
    const compared = newlyFailing(parent, fix);
    expect(names(compared.newlyFailing)).toEqual(["test"]);
    expect(names(compared.alreadyFailing)).toEqual(["lint"]);
    expect(compared.pending).toEqual([]);
  });

  test("a check the parent never ran, or had not finished, counts as not failing there", () => {
    const compared = newlyFailing([check("e2e", null)], [check("e2e", "timed_out"), check("new-job", "failure")]);
    expect(names(compared.newlyFailing)).toEqual(["e2e", "new-job"]);
  });

  test("the same name from another app is another check", () => {
    const compared = newlyFailing([check("test", "failure", { app: "circleci" })], [check("test", "failure")]);
    expect(names(compared.newlyFailing)).toEqual(["test"]);
    expect(compared.alreadyFailing).toEqual([]);
  });

  test("unfinished checks on the fix are pending, whatever the parent did", () => {
    const compared = newlyFailing([check("build", "success")], [check("build", null, { status: "queued" }), check("test", null)]);
    expect(names(compared.pending)).toEqual(["build", "test"]);
    expect(compared.newlyFailing).toEqual([]);
  });

  test("failure, timed_out and startup_failure fail; cancelled, action_required, neutral, skipped, stale do not", () => {
    const failing = ["failure", "timed_out", "startup_failure"];
    const passing = ["success", "cancelled", "action_required", "neutral", "skipped", "stale"];
    expect(failing.map((c) => isFailing(check("x", c)))).toEqual([true, true, true]);
    expect(passing.map((c) => isFailing(check("x", c)))).toEqual(passing.map(() => false));
    const compared = newlyFailing(
      [],
      passing.map((c) => check(c, c)),
    );
    expect(compared).toEqual({ newlyFailing: [], pending: [], alreadyFailing: [] });
  });

  test("of several runs of one check (re-runs), the latest decides", () => {
    const parent = [check("test", "failure"), check("test", "success")];
    const fix = [check("flaky", "failure"), check("flaky", "success"), check("test", "success"), check("test", "failure")];
    const compared = newlyFailing(parent, fix);
    expect(compared.newlyFailing).toEqual([fix[3]]);
  });
});

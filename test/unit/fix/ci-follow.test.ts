import { describe, expect, test } from "@jest/globals";
import { MAX_FAILURE_REPORT_CHARS, ciVerdict, failureReport, revisionPaths, watchDecision, type CiLook } from "../../../src/fix/ci-follow.js";
import type { CheckFailureDetails, CommitCheck, CommitChecks } from "../../../src/github/ci-checks.js";
import type { CiFollow } from "../../../src/github/ci-follow-marker.js";

const FIX = "f".repeat(40);
const BASE = "b".repeat(40);
let ids = 1;
function check(name: string, conclusion: string | null, app = "github-actions"): CommitCheck {
  return {
    id: ids++,
    name,
    app,
    status: conclusion === null ? "in_progress" : "completed",
    conclusion,
    detailsUrl: null,
    output: { title: null, summary: null, text: null },
  };
}
const checks = (...list: CommitCheck[]): CommitChecks => ({ kind: "checks", checks: list, truncated: false });
const follow: CiFollow = {
  sha: FIX,
  base: BASE,
  round: 1,
  deadline: 10_000,
  paths: ["src/auth.js"],
  source: { kind: "issue-comment", commentId: 1 },
  sender: "alice",
  url: null,
};
const look = (over: Partial<CiLook>): CiLook => ({ follow, head: FIX, fixChecks: checks(), baseChecks: checks(), now: 1_000, ...over });

describe("watchDecision", () => {
  test("waits while a check runs, settles once every check finished", () => {
    expect(watchDecision(look({ fixChecks: checks(check("test", null)), baseChecks: checks(check("test", "success")) }))).toEqual({
      kind: "wait",
      pending: ["test"],
    });
    expect(watchDecision(look({ fixChecks: checks(check("test", "failure")), baseChecks: checks(check("test", "success")) }))).toMatchObject({
      kind: "settle",
    });
  });

  test("waits for CI to pick the commit up when the head before the fix had checks; settles at once when neither has any", () => {
    expect(watchDecision(look({ baseChecks: checks(check("test", "success")) }))).toMatchObject({ kind: "wait" });
    expect(watchDecision(look({}))).toEqual({ kind: "settle", why: "no CI reports on this pull request" });
  });

  test("settles when the deadline passed, the branch moved, or the checks cannot be read", () => {
    const running = { fixChecks: checks(check("test", null)), baseChecks: checks(check("test", "success")) };
    expect(watchDecision(look({ ...running, now: 10_000 }))).toEqual({ kind: "settle", why: "the deadline passed" });
    expect(watchDecision(look({ ...running, head: "c".repeat(40) }))).toEqual({ kind: "settle", why: "the branch moved" });
    expect(watchDecision(look({ fixChecks: { kind: "missing-permission", permission: "checks: read" } }))).toMatchObject({ kind: "settle" });
  });
});

describe("ciVerdict", () => {
  test("a check failing only on the fix is revised while rounds are left, then given up", () => {
    const seen = look({
      fixChecks: checks(check("test", "failure"), check("lint", "failure")),
      baseChecks: checks(check("test", "success"), check("lint", "failure")),
    });
    const verdict = ciVerdict(seen, 2);
    expect(verdict.kind).toBe("revise");
    if (verdict.kind !== "revise") throw new Error("unreachable");
    expect(verdict.failing.map((c) => c.name)).toEqual(["test"]);
    expect(verdict.alreadyFailing.map((c) => c.name)).toEqual(["lint"]);
    expect(ciVerdict({ ...seen, follow: { ...follow, round: 2 } }, 2).kind).toBe("revise");
    expect(ciVerdict({ ...seen, follow: { ...follow, round: 3 } }, 2).kind).toBe("give-up");
    expect(ciVerdict(seen, 0).kind).toBe("give-up");
  });

  test("passes when nothing newly fails: checks already failing before the fix are not blamed", () => {
    const verdict = ciVerdict(look({ fixChecks: checks(check("test", "success"), check("lint", "failure")), baseChecks: checks(check("lint", "failure")) }), 2);
    expect(verdict.kind).toBe("passed");
    if (verdict.kind !== "passed") throw new Error("unreachable");
    expect(verdict.passed.map((c) => c.name)).toEqual(["test"]);
    expect(verdict.alreadyFailing.map((c) => c.name)).toEqual(["lint"]);
  });

  test("checks still running at the verdict are a timeout, with what failed so far", () => {
    const verdict = ciVerdict(
      look({ fixChecks: checks(check("e2e", null), check("test", "failure")), baseChecks: checks(check("test", "success")), now: 20_000 }),
      2,
    );
    expect(verdict.kind).toBe("timeout");
    if (verdict.kind !== "timeout") throw new Error("unreachable");
    expect(verdict.pending.map((c) => c.name)).toEqual(["e2e"]);
    expect(verdict.failing.map((c) => c.name)).toEqual(["test"]);
  });

  test("no CI, a moved branch and a missing permission each have their own verdict", () => {
    expect(ciVerdict(look({}), 2)).toEqual({ kind: "no-ci" });
    expect(ciVerdict(look({ head: "c".repeat(40) }), 2)).toEqual({ kind: "moved", head: "c".repeat(40) });
    expect(ciVerdict(look({ baseChecks: { kind: "missing-permission", permission: "checks: read" } }), 2)).toEqual({
      kind: "unreadable",
      permission: "checks: read",
    });
  });
});

describe("failureReport and revisionPaths", () => {
  const details = (log: string, paths: string[]): CheckFailureDetails => ({
    kind: "details",
    output: { title: "1 failed", summary: "ratio returned NaN", text: null },
    annotations: paths.map((path) => ({ path, startLine: 3, endLine: 3, level: "failure", title: null, message: "expected 0" })),
    annotationsTruncated: false,
    log: { kind: "log", text: log, bytes: log.length, truncated: false },
  });

  test("each failing check's output, annotations and the end of its log, bounded as a whole", () => {
    const report = failureReport([{ check: check("test", "failure"), details: details("x".repeat(10_000) + "\nRangeError at the end", ["src/a.js"]) }]);
    expect(report).toContain('## Check "test" (GitHub Actions): failure');
    expect(report).toContain("- failure at src/a.js:3: expected 0");
    expect(report).toContain("RangeError at the end");
    expect(report.length).toBeLessThan(7_000);
    const many = failureReport(Array.from({ length: 10 }, (_, i) => ({ check: check(`job-${i}`, "failure"), details: details("y".repeat(5_000), []) })));
    expect(many.length).toBeLessThanOrEqual(MAX_FAILURE_REPORT_CHARS + 20);
    expect(failureReport([{ check: check("test", "failure"), details: { kind: "missing-permission", permission: "checks: read" } }])).toContain(
      "lacks `checks: read`",
    );
  });

  test("the files a revision starts from: the fix's, then annotated ones, never workflows, dot-dot paths or the runner's `.github` annotation", () => {
    const failures = [
      { check: check("test", "failure"), details: details("", ["src/b.js", ".github", ".github/workflows/ci.yml", "../etc/passwd", "src/auth.js"]) },
    ];
    expect(revisionPaths(follow, failures, 5)).toEqual(["src/auth.js", "src/b.js"]);
    expect(revisionPaths(follow, failures, 1)).toEqual(["src/auth.js"]);
  });
});

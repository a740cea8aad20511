import { buildLocalChangeSet } from "../../../src/cli/local-change-set.js";
import type { CliReport } from "../../../src/cli/report.js";
import type { ChangeSet } from "../../../src/domain/change-set.js";
import type { PlacedFinding } from "../../../src/domain/finding.js";
import type { ReviewResult } from "../../../src/review/run-review.js";
import type { Walkthrough } from "../../../src/domain/walkthrough.js";

/** A small change and a hand-made pipeline result over it, for testing the output formats alone. */

export const DIFF = `diff --git a/src/app.js b/src/app.js
index 1111111..2222222 100644
--- a/src/app.js
+++ b/src/app.js
@@ -1,4 +1,5 @@
 const express = require("express");
-const safe = true;
+const password = "hunter2secret";
 app.get("/", (req, res) => {
+  eval(req.query.x);
   res.send("ok");
`;

export const HEAD_APP = `const express = require("express");
const password = "hunter2secret";
app.get("/", (req, res) => {
  eval(req.query.x);
  res.send("ok");
`;

export async function fixtureChangeSet(): Promise<ChangeSet> {
  const local = await buildLocalChangeSet(
    DIFF,
    { include: ["**"], exclude: [], skipGenerated: true },
    async (paths) => new Map(paths.map((p) => [p, p === "src/app.js" ? { kind: "text" as const, text: HEAD_APP } : { kind: "missing" as const }])),
    { maxFiles: 3_000, maxFileBytes: 1_000_000 },
  );
  return local.changeSet;
}

export function finding(overrides: Partial<PlacedFinding>): PlacedFinding {
  return {
    path: "src/app.js",
    line: 4,
    startLine: null,
    side: "RIGHT",
    severity: "P1",
    category: "security",
    title: "eval of request input",
    body: "`eval(req.query.x)` runs code chosen by the caller.\nNever evaluate request data.",
    suggestion: null,
    confidence: 1,
    source: "eslint",
    ruleId: "security/detect-eval-with-expression",
    corroboratedBy: [],
    placement: "inline",
    placementNote: null,
    ...overrides,
  };
}

export const FINDINGS: readonly PlacedFinding[] = [
  finding({}),
  finding({
    line: 2,
    title: "Hard-coded password",
    body: "A credential in source control leaks to everyone with read access.",
    source: "secretlint",
    ruleId: "@secretlint/secretlint-rule-preset-recommend",
    corroboratedBy: ["agent"],
  }),
  finding({
    line: 5,
    startLine: 4,
    severity: "P2",
    category: "bug",
    title: "Response sent without status",
    body: "The handler never sets a status code.",
    suggestion: '  res.status(200).send("ok");',
    confidence: 0.7,
    source: "agent",
    ruleId: null,
  }),
  finding({
    line: 2,
    side: "LEFT",
    severity: "P3",
    category: "other",
    title: "Removed flag was used elsewhere",
    body: "`safe` is still read in lib/other.js.",
    source: "agent",
    ruleId: null,
    confidence: 0.6,
  }),
  finding({
    path: "lib/other.js",
    line: 10,
    severity: "P2",
    category: "bug",
    title: "Reads the removed flag",
    body: "This file still reads `safe`.",
    source: "agent",
    ruleId: null,
    placement: "body",
    placementNote: "reported for lib/other.js:10, which is not part of this pull request's diff",
  }),
];

export function fixtureResult(findings: readonly PlacedFinding[] = FINDINGS): ReviewResult {
  return {
    findings,
    coverage: {
      changedLines: 5,
      reviewedLines: 3,
      foldedLines: 0,
      summarizedLines: 0,
      triagedLines: 0,
      skippedLines: 2,
      skipped: [{ path: "package-lock.json", reason: "lockfile", lines: 2, detail: "package-lock.json" }],
      files: 2,
      reviewedFiles: 1,
    },
    plan: { diffTokens: 120, tokensSent: 900, compaction: {}, ms: 3, windows: 1, waves: 1 },
    model: null,
    usage: { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    modelCalls: 0,
    durationMs: 1234,
    notices: ["Offline mode: no `OPENAI_API_KEY` is configured, so this review comes from Longview's built-in analyzers only."],
    walkthrough: WALKTHROUGH,
  };
}

/** What the pipeline computes without a model for the fixture's change, with one changed definition and its users. */
export const WALKTHROUGH: Walkthrough = {
  additions: 2,
  deletions: 1,
  files: [
    { path: "src/app.js", previousPath: null, status: "modified", additions: 2, deletions: 1, changedLines: 3, handling: { kind: "reviewed" }, files: 1 },
    {
      path: "package-lock.json",
      previousPath: null,
      status: null,
      additions: null,
      deletions: null,
      changedLines: 2,
      handling: { kind: "skipped", reason: "lockfile" },
      files: 1,
    },
  ],
  apiChanges: [
    {
      path: "src/app.js",
      symbol: "safe",
      renamedTo: null,
      kind: "removed",
      aspects: [],
      callers: 2,
      tests: 1,
      usagesTruncated: false,
      examples: ["lib/other.js:10", "lib/more.js:3", "test/app.test.js:7"],
    },
  ],
};

export async function fixtureReport(overrides: Partial<CliReport> = {}): Promise<CliReport> {
  const result = overrides.result ?? fixtureResult();
  const gating = result.findings.filter((f) => f.severity === "P0" || f.severity === "P1");
  return {
    result,
    inputNotices: [".github/longview.yml: unknown setting `foo` (known: enabled); ignored."],
    gate: {
      passed: gating.length === 0,
      policy: { severity: "P1", categories: ["bug", "security"], gateScore: 0.8 },
      gating,
      gaps: null,
      onIncomplete: "failure",
    },
    changeSet: await fixtureChangeSet(),
    tool: { version: "0.1.0", informationUri: "https://example.com/longview" },
    ...overrides,
  };
}

import { describe, expect, test } from "@jest/globals";
import { formatJson } from "../../../src/cli/formats/json.js";
import { formatMarkdown } from "../../../src/cli/formats/markdown.js";
import { FINGERPRINT_KEY, formatSarif, sarifRuleId, toSarif, toUri } from "../../../src/cli/formats/sarif.js";
import { formatText } from "../../../src/cli/formats/text.js";
import { plainBody } from "../../../src/cli/formats/plain-text.js";
import { buildLocalChangeSet } from "../../../src/cli/local-change-set.js";
import { formatFindingComment } from "../../../src/github/finding-comment.js";
import { JsonReportContract, SarifContract } from "./json-contract.js";
import { DIFF, FINDINGS, HEAD_APP, finding, fixtureReport, fixtureResult } from "./report-fixture.js";

describe("JSON format", () => {
  test("matches the documented contract, field for field", async () => {
    const json = JsonReportContract.parse(JSON.parse(formatJson(await fixtureReport())));
    expect(json.findings).toHaveLength(FINDINGS.length);
    expect(json.findings[2]).toEqual({
      path: "src/app.js",
      line: 5,
      start_line: 4,
      side: "RIGHT",
      severity: "P2",
      category: "bug",
      title: "Response sent without status",
      body: "The handler never sets a status code.",
      suggestion: '  res.status(200).send("ok");',
      source: "agent",
      ruleId: null,
      confidence: 0.7,
      corroboratedBy: [],
      placement: "inline",
      verification: null,
    });
    expect(json.gate).toEqual({ passed: false, policy: "P1:bug,security", gating: 2, incomplete: null, onIncomplete: "failure" });
    expect(json.coverage.skipped).toEqual([{ path: "package-lock.json", reason: "lockfile", lines: 2, detail: "package-lock.json" }]);
    expect(json.model).toBeNull();
    // Input notices (config problems) come before the pipeline's.
    expect(json.notices[0]).toMatch(/unknown setting/);
    expect(json.notices[1]).toMatch(/^Offline mode/);
    expect(json.stats).toMatchObject({ durationMs: 1234, windows: 1, tokensSent: 900 });
  });

  test("carries the walkthrough: files with size and handling, changed API with its users, the survey's text raw", async () => {
    const base = fixtureResult();
    const survey = {
      files: [{ path: "src/app.js", summary: "Reads a `password` and <b>evaluates</b> input" }],
      apiChanges: [{ path: "src/app.js", symbol: "handler", change: "now evaluates input" }],
      risks: [{ path: null, text: "eval of request data" }],
    };
    const json = JsonReportContract.parse(JSON.parse(formatJson(await fixtureReport({ result: { ...base, survey } }))));
    expect(json.walkthrough).not.toBeNull();
    expect(json.walkthrough?.files).toEqual([
      {
        path: "src/app.js",
        previousPath: null,
        status: "modified",
        additions: 2,
        deletions: 1,
        changedLines: 3,
        files: 1,
        review: "reviewed",
        reason: null,
        summary: "Reads a `password` and <b>evaluates</b> input",
      },
      {
        path: "package-lock.json",
        previousPath: null,
        status: null,
        additions: null,
        deletions: null,
        changedLines: 2,
        files: 1,
        review: "skipped",
        reason: "lockfile",
        summary: null,
      },
    ]);
    expect(json.walkthrough?.apiChanges[0]).toMatchObject({ symbol: "safe", kind: "removed", callers: 2, tests: 1 });
    expect(json.walkthrough?.surveyApiChanges).toEqual([{ path: "src/app.js", symbol: "handler", change: "now evaluates input" }]);
    expect(json.walkthrough?.risks).toEqual([{ path: null, text: "eval of request data" }]);
  });

  test("a result without a walkthrough still matches the contract (walkthrough null)", async () => {
    const { walkthrough: _omitted, ...rest } = fixtureResult();
    const json = JsonReportContract.parse(JSON.parse(formatJson(await fixtureReport({ result: rest }))));
    expect(json.walkthrough).toBeNull();
  });

  test("gate off prints policy none", async () => {
    const json = JsonReportContract.parse(
      JSON.parse(formatJson(await fixtureReport({ gate: { passed: true, policy: null, gating: [], gaps: null, onIncomplete: "failure" } }))),
    );
    expect(json.gate).toEqual({ passed: true, policy: "none", gating: 0, incomplete: null, onIncomplete: "failure" });
  });
});

describe("SARIF format", () => {
  test("has the structure GitHub code scanning requires", async () => {
    const sarif = SarifContract.parse(JSON.parse(formatSarif(await fixtureReport())));
    const run = sarif.runs[0]!;
    expect(run.tool.driver.version).toBe("0.1.0");
    expect(run.tool.driver.informationUri).toBe("https://example.com/longview");
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    expect(new Set(run.tool.driver.rules.map((r) => r.id)).size).toBe(run.tool.driver.rules.length);
  });

  test("maps severities to levels, rule ids and regions", async () => {
    const run = toSarif(await fixtureReport()).runs[0];
    const eval_ = run.results.find((r) => r.ruleId === "security/detect-eval-with-expression");
    expect(eval_).toMatchObject({
      level: "error",
      locations: [{ physicalLocation: { artifactLocation: { uri: "src/app.js", uriBaseId: "%SRCROOT%" }, region: { startLine: 4, endLine: 4 } } }],
    });
    const agent = run.results.find((r) => r.ruleId === "longview/bug" && r.locations[0]?.physicalLocation.artifactLocation.uri === "src/app.js");
    expect(agent).toMatchObject({ level: "warning", locations: [{ physicalLocation: { region: { startLine: 4, endLine: 5 } } }] });
    expect(agent?.message.text).toContain("Suggested replacement");

    const rule = run.tool.driver.rules.find((r) => r.id === "security/detect-eval-with-expression");
    expect(rule?.properties["security-severity"]).toBe("8.0");
    expect(rule?.properties.tags).toEqual(expect.arrayContaining(["security", "eslint"]));
    expect(run.tool.driver.rules.find((r) => r.id === "longview/bug")?.properties["security-severity"]).toBeUndefined();
  });

  test("findings on deleted lines become notifications, not results", async () => {
    const run = toSarif(await fixtureReport()).runs[0];
    expect(run.results).toHaveLength(FINDINGS.length - 1);
    expect(run.results.some((r) => r.message.text.includes("Removed flag"))).toBe(false);
    const note = run.invocations[0].toolExecutionNotifications.find((n) => n.message.text.includes("Removed flag"));
    expect(note?.message.text).toMatch(/deleted line \(line 2 of the base version of src\/app\.js\)/);
    expect(run.invocations[0].toolExecutionNotifications.some((n) => n.message.text.startsWith("Offline mode"))).toBe(true);
  });

  test("fingerprints depend on the line's text, not its number", async () => {
    const before = toSarif(await fixtureReport({ result: fixtureResult([finding({ line: 4 })]) })).runs[0].results[0];
    // The same code moved two lines down keeps its fingerprint; different code gets another one.
    const moved = `\n\n${HEAD_APP}`;
    const { changeSet } = await buildLocalChangeSet(
      DIFF,
      { include: ["**"], exclude: [], skipGenerated: true },
      async (paths) => new Map(paths.map((p) => [p, { kind: "text" as const, text: moved }])),
      { maxFiles: 3_000, maxFileBytes: 1_000_000 },
    );
    const after = toSarif(await fixtureReport({ result: fixtureResult([finding({ line: 6 })]), changeSet })).runs[0].results[0];
    const other = toSarif(await fixtureReport({ result: fixtureResult([finding({ line: 2 })]) })).runs[0].results[0];
    expect(before?.partialFingerprints[FINGERPRINT_KEY]).toBe(after?.partialFingerprints[FINGERPRINT_KEY]);
    expect(other?.partialFingerprints[FINGERPRINT_KEY]).not.toBe(before?.partialFingerprints[FINGERPRINT_KEY]);
  });

  test("rule ids and URIs", () => {
    expect(sarifRuleId(finding({ source: "agent", ruleId: null, category: "performance" }))).toBe("longview/performance");
    expect(sarifRuleId(finding({ source: "longview-rules", ruleId: null, category: "bug" }))).toBe("longview-rules/bug");
    expect(toUri("src/my file#1.ts")).toBe("src/my%20file%231.ts");
  });
});

describe("Markdown format", () => {
  test("is the app's review body plus every line and file comment under its location", async () => {
    const report = await fixtureReport();
    const md = formatMarkdown(report);
    expect(md).toContain("### Longview review");
    expect(md).toContain("**Coverage:** reviewed 3 of 5 changed lines (60%) in 1 of 2 files.");
    expect(md).toContain("> .github/longview.yml: unknown setting `foo`");
    expect(md).toContain("> Offline mode:");
    expect(md).toContain("#### `src/app.js:4`");
    expect(md).toContain("#### `src/app.js:4-5`");
    expect(md).toContain("#### `src/app.js:2 (removed line)`");
    expect(md).toContain(formatFindingComment(FINDINGS[0]!));
    // A body finding is in the review body's list, not under a heading of its own.
    expect(md).toContain("Findings not posted as line comments (1)");
    expect(md).not.toContain("#### `lib/other.js");
    expect(md).toContain("**Gate: failed, 2 findings at P1 or worse in bug, security.**");
  });

  test("opens with the walkthrough; review.summary off leaves it out", async () => {
    const md = formatMarkdown(await fixtureReport());
    expect(md).toContain("**What this pull request does**");
    expect(md).toContain("Changes 2 files (+2 −1): 1 modified.");
    expect(md).toContain("| `src/app.js` | +2 −1 | modified; changes `safe` |");
    expect(md).toContain("| `package-lock.json` | 2 | _not reviewed: lockfile_ |");
    expect(md).toContain("- `src/app.js` — `safe`: removed; used in 2 unchanged lines and 1 in tests (e.g. `lib/other.js:10`");
    expect(md.indexOf("What this pull request does")).toBeLessThan(md.indexOf("**Coverage:**"));
    const off = formatMarkdown(await fixtureReport({ summary: "off" }));
    expect(off).not.toContain("What this pull request does");
    const brief = formatMarkdown(await fixtureReport({ summary: "brief" }));
    expect(brief).toContain("**Riskiest spots**");
    expect(brief).not.toContain("| File | Lines | What changed |");
  });
});

describe("text format", () => {
  test("lists findings, notices in one line each, coverage and the gate", async () => {
    const text = formatText(await fixtureReport());
    const lines = text.split("\n");
    expect(lines[0]).toBe("P1 security    src/app.js:4  eval of request input");
    expect(lines[1]).toBe("    `eval(req.query.x)` runs code chosen by the caller.");
    expect(lines[3]).toBe("    [eslint security/detect-eval-with-expression]");
    expect(text).toContain("src/app.js:2 (removed line)  Removed flag was used elsewhere");
    expect(lines.filter((l) => l.startsWith("note: Offline mode"))).toHaveLength(1);
    expect(text).toContain("Coverage: reviewed 3 of 5 changed lines (60%) in 1 of 2 files; skipped 1: package-lock.json (lockfile).");
    expect(text.trimEnd().split("\n").at(-1)).toBe("Gate: failed, 2 findings at P1 or worse in bug, security.");
  });

  test("says what the change does in brief, without control characters from the repository", async () => {
    const base = fixtureResult();
    const survey = { files: [], apiChanges: [], risks: [{ path: "src/app.js", text: "clears the screen \u001b[2J here" }] };
    const text = formatText(await fixtureReport({ result: { ...base, survey } }));
    expect(text).toContain("Change: Changes 2 files (+2 −1): 1 modified. Changed definitions: 1 (1 with a changed signature, name or existence)");
    expect(text).toContain("  risk: src/app.js safe: removed; used in 2 unchanged lines, 1 in tests");
    expect(text).toContain("  risk: src/app.js: clears the screen [2J here");
    expect(text).not.toContain("\u001b");
    expect(formatText(await fixtureReport({ summary: "off" }))).not.toContain("Change:");
  });

  test("an empty review says so", async () => {
    const text = formatText(
      await fixtureReport({ result: fixtureResult([]), gate: { passed: true, policy: null, gating: [], gaps: null, onIncomplete: "failure" } }),
    );
    expect(text).toContain("No problems found in the reviewed changes.");
    expect(text).toContain("Gate: off (--fail-on none).");
  });
});

describe("plain text for terminals and SARIF", () => {
  test("HTML-only credit lines are dropped, other tags removed, Markdown kept", () => {
    expect(plainBody("Use `JSON.parse`.\n\n<sub>Rule: `x/y`</sub>\nSee <b>docs</b>.")).toBe("Use `JSON.parse`.\n\nSee docs.");
  });

  test("text and SARIF messages carry no <sub> lines", async () => {
    const report = await fixtureReport({ result: fixtureResult([finding({ body: "Bad.\n\n<sub>Rule: `r`</sub>" })]) });
    expect(formatText(report)).not.toContain("<sub>");
    expect(toSarif(report).runs[0].results[0]?.message.text).toBe("P1 security: eval of request input\n\nBad.");
  });
});

describe("coverage categories in every format", () => {
  const compacted = (): ReturnType<typeof fixtureResult> => ({
    ...fixtureResult(),
    coverage: {
      changedLines: 4_567,
      reviewedLines: 3_277,
      foldedLines: 45,
      summarizedLines: 1_219,
      triagedLines: 21,
      skippedLines: 5,
      skipped: [{ path: "package-lock.json", reason: "lockfile", lines: 5, detail: "package-lock.json" }],
      files: 40,
      reviewedFiles: 39,
    },
  });

  test("JSON and SARIF carry reviewed, folded, summarized, triaged and skipped lines apart", async () => {
    const report = await fixtureReport({ result: compacted() });
    const json = JsonReportContract.parse(JSON.parse(formatJson(report)));
    expect(json.coverage).toMatchObject({
      changedLines: 4_567,
      reviewedLines: 3_277,
      foldedLines: 45,
      summarizedLines: 1_219,
      triagedLines: 21,
      skippedLines: 5,
    });
    const run = toSarif(report).runs[0];
    expect(run.properties.coverage).toEqual({
      changedLines: 4_567,
      reviewedLines: 3_277,
      foldedLines: 45,
      summarizedLines: 1_219,
      triagedLines: 21,
      skippedLines: 5,
    });
    expect(run.invocations[0].toolExecutionNotifications.map((n) => n.message.text)).toContain(
      "Coverage of the changed lines: reviewed 3,277 · folded 45 · summarized 1,219 · triaged 21 · skipped 5.",
    );
  });

  test("text and Markdown show the breakdown beside the reviewed share", async () => {
    const report = await fixtureReport({ result: compacted() });
    expect(formatText(report)).toContain(
      "Coverage: reviewed 3277 of 4567 changed lines (71.7%) in 39 of 40 files (reviewed 3,277 · folded 45 · summarized 1,219 · triaged 21 · skipped 5); skipped 1",
    );
    const md = formatMarkdown(report);
    expect(md).toContain("Changed lines: reviewed 3,277 · folded 45 · summarized 1,219 · triaged 21 · skipped 5. (folded: the same change");
    expect(md).toContain("summarized: the middle of a pure deletion");
  });

  test("a review with nothing compacted keeps the one-sentence coverage", async () => {
    const report = await fixtureReport();
    expect(formatMarkdown(report)).not.toContain("Changed lines:");
    expect(formatText(report)).not.toContain("folded");
  });
});

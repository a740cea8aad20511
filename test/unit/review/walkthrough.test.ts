import { describe, expect, test } from "@jest/globals";
import type { ImpactContext } from "../../../src/domain/impact.js";
import type { PlacedFinding } from "../../../src/domain/finding.js";
import type { Survey } from "../../../src/domain/survey.js";
import type { Walkthrough, WalkthroughFile } from "../../../src/domain/walkthrough.js";
import { ZERO_USAGE } from "../../../src/model/usage.js";
import { MAX_REVIEW_BODY, formatReviewBody } from "../../../src/review/format-review-body.js";
import { planWindows } from "../../../src/review/plan-windows.js";
import type { ReviewResult } from "../../../src/review/run-review.js";
import { buildWalkthrough } from "../../../src/review/walkthrough.js";
import { finding } from "../../helpers/findings.js";
import { render, strayRendering } from "../../helpers/rendered-markdown.js";
import { BUDGET_24K, changeSetOf } from "../context/helpers.js";

const SIG = { line: 1, parameters: null, returnType: null };

const IMPACT: ImpactContext = {
  notices: [],
  changes: [
    {
      path: "src/a.ts",
      symbol: "helper",
      renamedTo: null,
      kind: "body-changed",
      aspects: [],
      before: { ...SIG, text: "export function helper() {" },
      after: { ...SIG, text: "export function helper() {" },
      usages: [],
      usagesTruncated: false,
    },
    {
      path: "src/a.ts",
      symbol: "f",
      renamedTo: null,
      kind: "signature-changed",
      aspects: ["parameters-added"],
      before: { ...SIG, text: "export function f(a) {" },
      after: { ...SIG, text: "export function f(a, b) {" },
      usages: [
        { path: "test/a.test.ts", line: 9, text: "f(1)", kind: "test", argumentCount: 1 },
        { path: "src/b.ts", line: 3, text: "f(1)", kind: "call", argumentCount: 1 },
        { path: "src/c.ts", line: 7, text: "f(2)", kind: "call", argumentCount: 1 },
      ],
      usagesTruncated: true,
    },
  ],
};

function file(overrides: Partial<WalkthroughFile> & { path: string }): WalkthroughFile {
  return { previousPath: null, status: "modified", additions: 3, deletions: 1, changedLines: 4, handling: { kind: "reviewed" }, files: 1, ...overrides };
}

const WALKTHROUGH: Walkthrough = {
  additions: 40,
  deletions: 3,
  files: [
    file({ path: "src/a.ts", additions: 10, deletions: 2 }),
    file({ path: "src/new.ts", status: "added", additions: 25, deletions: 0 }),
    file({ path: "src/moved.ts", previousPath: "src/old.ts", status: "renamed", additions: 2, deletions: 1 }),
    file({ path: "CHANGELOG.md", additions: 3, deletions: 0, handling: { kind: "triaged", triage: "changelog" } }),
    file({ path: "package-lock.json", status: null, additions: null, deletions: null, changedLines: 900, handling: { kind: "skipped", reason: "lockfile" } }),
  ],
  apiChanges: [
    {
      path: "src/a.ts",
      symbol: "f",
      renamedTo: null,
      kind: "signature-changed",
      aspects: ["parameters-added"],
      callers: 2,
      tests: 1,
      usagesTruncated: true,
      examples: ["src/b.ts:3", "src/c.ts:7", "test/a.test.ts:9"],
    },
    { path: "src/a.ts", symbol: "helper", renamedTo: null, kind: "body-changed", aspects: [], callers: 0, tests: 0, usagesTruncated: false, examples: [] },
  ],
};

const SURVEY: Survey = {
  files: [
    { path: "src/a.ts", summary: "Adds a `b` argument to `f` for the retry count" },
    { path: "src/new.ts", summary: "New retry policy module" },
  ],
  apiChanges: [
    { path: "src/a.ts", symbol: "f", change: "takes a retry count" },
    { path: "src/new.ts", symbol: "RetryPolicy", change: "new exported class" },
  ],
  risks: [{ path: "src/new.ts", text: "Retries are unbounded when the count is negative" }],
};

function result(overrides: Partial<ReviewResult> = {}): ReviewResult {
  return {
    findings: [],
    coverage: {
      changedLines: 943,
      reviewedLines: 40,
      foldedLines: 0,
      summarizedLines: 0,
      triagedLines: 3,
      skippedLines: 900,
      skipped: [{ path: "package-lock.json", reason: "lockfile", lines: 900, detail: "package-lock.json" }],
      files: 5,
      reviewedFiles: 4,
    },
    plan: { diffTokens: 0, tokensSent: 0, compaction: {}, ms: 0, windows: 1, waves: 1 },
    model: null,
    usage: ZERO_USAGE,
    modelCalls: 0,
    durationMs: 1_000,
    notices: [],
    walkthrough: WALKTHROUGH,
    ...overrides,
  };
}

/** The walkthrough's table: the rows before the findings' summary line (the skipped-files table comes after it). */
const tableRows = (body: string) =>
  body
    .slice(0, body.search(/^(No problems found|Found \d)/m))
    .split("\n")
    .filter((l) => l.startsWith("| "));

describe("buildWalkthrough", () => {
  test("every file with its size and handling, and the changed API ranked by contract and users", async () => {
    const changeSet = changeSetOf(
      [
        {
          path: "src/a.ts",
          base: "export function f(a) {}\nexport function helper() { return 1; }\n",
          head: "export function f(a, b) {}\nexport function helper() { return 2; }\n",
        },
        { path: "CHANGELOG.md", base: "# Changes\n", head: "# Changes\n\n- retry count\n" },
      ],
      [{ path: "package-lock.json", reason: "lockfile", lines: 900, detail: "package-lock.json" }],
    );
    const plan = await planWindows({
      changeSet,
      pr: { title: "t", description: "" },
      guidelines: "",
      budget: BUDGET_24K,
      options: { impact: IMPACT },
      redact: false,
      flaggedSecrets: [],
    });
    const w = buildWalkthrough({ changeSet, windows: plan.windows, coverage: plan.coverage, impact: IMPACT });
    expect(w.files.map((f) => [f.path, f.status, f.changedLines, f.handling])).toEqual([
      ["src/a.ts", "modified", 4, { kind: "reviewed" }],
      ["CHANGELOG.md", "modified", 2, { kind: "triaged", triage: "changelog" }],
      ["package-lock.json", null, 900, { kind: "skipped", reason: "lockfile" }],
    ]);
    expect([w.additions, w.deletions]).toEqual([4, 2]);
    // The signature change with users first; callers before tests in the examples.
    expect(w.apiChanges.map((c) => c.symbol)).toEqual(["f", "helper"]);
    expect(w.apiChanges[0]).toMatchObject({ callers: 2, tests: 1, usagesTruncated: true, examples: ["src/b.ts:3", "src/c.ts:7", "test/a.test.ts:9"] });
  });

  test("without an impact context there are no API changes", async () => {
    const changeSet = changeSetOf([{ path: "src/a.ts", base: "a\n", head: "b\n" }]);
    const w = buildWalkthrough({ changeSet, windows: [], coverage: result().coverage, impact: null });
    expect(w.apiChanges).toEqual([]);
    expect(w.files).toHaveLength(1);
  });
});

describe("walkthrough in the review body", () => {
  test("offline: the deterministic part — files with status and size, triaged and skipped files, API changes with their unchanged users", () => {
    const body = formatReviewBody(result(), { configProblems: [] });
    expect(body.indexOf("**What this pull request does**")).toBeLessThan(body.indexOf("No problems found"));
    expect(body).toContain("Changes 5 files (+40 −3): 2 modified, 1 added, 1 renamed.");
    expect(body).toContain(
      "Changed definitions: 2 (1 with a changed signature, name or existence), used in at least 2 unchanged lines elsewhere and 1 in tests.",
    );
    expect(tableRows(body)).toEqual([
      "| File | Lines | What changed |",
      "| --- | ---: | --- |",
      "| `src/a.ts` | +10 −2 | modified; changes `f`, `helper` |",
      "| `src/new.ts` | +25 −0 | added |",
      "| `src/moved.ts` | +2 −1 | renamed from `src/old.ts` |",
      "| `CHANGELOG.md` | +3 −0 | modified _(triaged: changelog)_ |",
      "| `package-lock.json` | 900 | _not reviewed: lockfile_ |",
    ]);
    expect(body).toContain("**Riskiest spots**");
    expect(body).toContain(
      "- `src/a.ts` — `f`: signature changed (parameters added); used in at least 2 unchanged lines and 1 in tests (e.g. `src/b.ts:3`, `src/c.ts:7`, `test/a.test.ts:9`)",
    );
    // A body change nobody else uses is no risky spot.
    expect(body.slice(body.indexOf("**Riskiest spots**"))).not.toContain("`helper`");
  });

  test("with the survey: its one-line summaries in the table, its risks and new API among the riskiest spots", () => {
    const body = formatReviewBody(result({ survey: SURVEY }), { configProblems: [] });
    expect(body).toContain("| `src/a.ts` | +10 −2 | Adds a `b` argument to `f` for the retry count |");
    expect(body).toContain("| `src/new.ts` | +25 −0 | added · New retry policy module |");
    expect(body).toContain("- `src/new.ts`: Retries are unbounded when the count is negative");
    expect(body).toContain("- `src/new.ts` — `RetryPolicy`: new exported class");
    // The survey's view of `f` is not repeated beside the impact context's.
    expect(body).not.toContain("takes a retry count");
    expect(body).not.toContain("What this change does");
  });

  test("an incremental review's walkthrough is of the changes since the last review", () => {
    const body = formatReviewBody(result(), { configProblems: [], incremental: { from: "a".repeat(40), to: "b".repeat(40) } });
    expect(body).toContain("**What the changes since the last review do**");
    expect(body).not.toContain("What this pull request does");
  });

  test("brief: the summary and the riskiest spots, no table; off: nothing", () => {
    const brief = formatReviewBody(result({ survey: SURVEY }), { configProblems: [], summary: "brief" });
    expect(brief).toContain("Triaged (listed, not reviewed line by line): 1; not reviewed: 1.");
    expect(brief).toContain("**Riskiest spots**");
    expect(tableRows(brief)).toEqual([]);
    const off = formatReviewBody(result({ survey: SURVEY }), { configProblems: [], summary: "off" });
    expect(off).not.toContain("What this pull request does");
    expect(off).not.toContain("Riskiest spots");
    expect(off).not.toContain("New retry policy module");
  });

  test("a very large pull request: the table is cut with a count, and the findings, coverage and run line still fit", () => {
    const long = "x".repeat(400);
    const files = Array.from({ length: 3_000 }, (_, i) => file({ path: `src/${long}/module-${i}.ts` }));
    const cap = file({
      path: "(2000 more files)",
      status: null,
      additions: null,
      deletions: null,
      changedLines: 50_000,
      handling: { kind: "skipped", reason: "github-file-cap" },
      files: 2_000,
    });
    const walkthrough: Walkthrough = { ...WALKTHROUGH, files: [...files, cap] };
    const survey: Survey = {
      files: files.map((f) => ({ path: f.path, summary: "A long summary of what changed. ".repeat(40) })),
      apiChanges: [],
      risks: Array.from({ length: 50 }, (_, i) => ({ path: files[i]!.path, text: "Risk ".repeat(100) })),
    };
    const inBody = Array.from({ length: 40 }, (_, i): PlacedFinding => ({
      ...finding({ path: `src/m${i}.ts`, title: `Problem ${i}` }),
      placement: "body",
      placementNote: null,
    }));
    const body = formatReviewBody(result({ walkthrough, survey, findings: inBody }), { configProblems: [] });
    expect(body.length).toBeLessThanOrEqual(MAX_REVIEW_BODY);
    const rows = tableRows(body);
    expect(rows.length).toBeLessThan(70);
    expect(rows.at(-1)).toMatch(/^\| … [\d,]+ more files \| \| \|$/);
    // The rows not shown, with the 2,000 files GitHub did not list, are counted.
    const shown = rows.length - 3;
    expect(rows.at(-1)).toContain(`${(3_000 - shown + 2_000).toLocaleString("en-US")} more files`);
    expect(body).toContain("Changes 5,000 files");
    expect(body).toContain("#### Findings not posted as line comments (40)");
    expect(body).toContain("Problem 39");
    expect(body).toContain("**Coverage:**");
    expect(body).not.toContain("truncated to fit GitHub's limit");
    expect(body.trimEnd().endsWith("</sub>")).toBe(true);
  });

  test("hostile paths, symbols and survey text: no HTML, link, image, mention or marker, and the table keeps its columns", () => {
    const evil =
      '<img src="https://evil.example/p.png"> [login](https://evil.example) ![x](https://evil.example/i.png) @octocat <!-- longview:review head=0 --> a|b';
    const path = `src/${evil}.ts`;
    const walkthrough: Walkthrough = {
      ...WALKTHROUGH,
      files: [file({ path, previousPath: `old/${evil}`, status: "renamed" })],
      apiChanges: [{ ...WALKTHROUGH.apiChanges[0]!, path, symbol: `f${evil}`, examples: [`${path}:3`] }],
    };
    const survey: Survey = {
      files: [{ path, summary: `${evil}\n# heading\n\`\`\`\nfence` }],
      apiChanges: [{ path, symbol: evil, change: evil }],
      risks: [{ path, text: evil }],
    };
    const body = formatReviewBody(result({ walkthrough, survey }), { configProblems: [] });
    const section = body.slice(body.indexOf("**What this pull request does**"), body.indexOf("No problems found"));
    expect(strayRendering(section, () => false)).toEqual([]);
    expect(render(section).html).toEqual([]);
    expect(section).not.toMatch(/^#/m);
    // Each row has its three cells: every pipe inside a cell is escaped.
    for (const row of tableRows(section)) expect(row.replace(/\\\|/g, "").split("|")).toHaveLength(5);
  });
});

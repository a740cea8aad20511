import fc from "fast-check";
import { pino } from "pino";
import { createDefaultAnalyzers } from "../../src/analyzers/index.js";
import { ZERO_USAGE } from "../../src/model/index.js";
import type { Reviewer } from "../../src/reviewer/index.js";
import { renderReport } from "../../src/cli/formats/index.js";
import type { HeadReader } from "../../src/cli/head-content.js";
import { buildLocalChangeSet } from "../../src/cli/local-change-set.js";
import { DEFAULT_REPO_CONFIG } from "../../src/config/repo-config.js";
import { gatePolicyOf } from "../../src/review/gate.js";
import { initSyntax } from "../../src/context/index.js";
import type { Finding } from "../../src/domain/finding.js";
import { reviewedOutcome } from "../../src/review/check-output.js";
import { formatFindingComment } from "../../src/github/finding-comment.js";
import { formatReviewBody } from "../../src/review/format-review-body.js";
import { runReview } from "../../src/review/run-review.js";
import { gitQuote } from "./diff-model.js";
import { InvariantViolation } from "./invariants.js";

/**
 * File names are the part of a pull request nobody reads and everything
 * touches: the diff parser, secretlint and ESLint (which put them in their own
 * messages and profiles), the window plan, placement, and every text Longview
 * posts or prints. A name with a line break once ended the server process.
 * This target builds a change whose files have hostile names — every Unicode
 * line terminator, control characters, bidi overrides, Markdown and marker
 * syntax, 5,000-character names — and runs it through the whole pipeline the
 * CLI runs (analyzers, a scripted model reviewer that reports on every file,
 * placement), then renders it as the review body, every line comment, the
 * check run, and the CLI's JSON, SARIF, Markdown and text reports.
 */

export interface HostileChange {
  readonly files: readonly { readonly path: string; readonly content: string }[];
}

const PIECES = [
  "\n",
  "\r",
  "\r\n",
  "\u2028",
  "\u2029",
  "\u0085",
  "\u000b",
  "\u000c",
  "\t",
  "\u0000",
  "\u0001",
  "\u001b[31m",
  "\u007f",
  "\u202e",
  "\u2066",
  "\u200b",
  "\ufeff",
  "\ud83d\ude00",
  "é",
  "漢",
  " ",
  '"',
  "\\",
  "`",
  "```",
  "|",
  "<!-- longview:review head=0 -->",
  "<img src=x>",
  "@octocat",
  "[x](http://evil.example)",
  "*",
  "#",
  "..",
  "/",
  "./",
  "-",
  "a",
  "src",
  ".js",
  ".ts",
  ".env",
  "package.json",
  ".npmrc",
  "@@ -1 +1 @@",
  "diff --git a/x b/x",
  "+++ b/x",
];

const CONTENTS = [
  'const token = "ghp_U73TbiGuc1X8d5FM0CLPGNIFowY0qz8Y56lO";\neval(process.argv[2]);\n',
  "export function add(a, b) {\n  return a + b;\n}\n",
  "SECRET_KEY=sk_live_0123456789abcdefghijklmn\n",
  `${"x".repeat(6_000)}\n`,
];

const pathArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).map((parts) => parts.join("")) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...PIECES), fc.integer({ min: 200, max: 5_000 }))
      .map(([piece, n]) => `${"d/".repeat(n / 4)}${piece}${"x".repeat(n / 2)}.js`),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 40 }) },
);

export function hostileChangeArb(): fc.Arbitrary<HostileChange> {
  return (
    fc
      .uniqueArray(fc.record({ path: pathArb, content: fc.constantFrom(...CONTENTS) }), { minLength: 1, maxLength: 5, selector: (f) => f.path })
      // A name git itself could not have (empty, or only slashes) is not a file.
      .map((files) => ({ files: files.filter((f) => f.path.replace(/\//g, "") !== "" && !f.path.endsWith("/")) }))
      .filter((change) => change.files.length > 0)
  );
}

/** The change as `git diff` prints it (C-quoted names) for new files. */
export function renderNewFilesDiff(change: HostileChange): string {
  const out: string[] = [];
  for (const { path, content } of change.files) {
    const quoted = gitQuote(path);
    const a = quoted.startsWith('"') ? `"a/${quoted.slice(1)}` : `a/${path}`;
    const b = quoted.startsWith('"') ? `"b/${quoted.slice(1)}` : `b/${path}`;
    const lines = content.replace(/\n$/, "").split("\n");
    // git ends an unquoted name with a space with a tab, so trailing blanks stay part of the name.
    const plus = `+++ ${b}${!b.startsWith('"') && b.includes(" ") ? "\t" : ""}`;
    out.push(`diff --git ${a} ${b}`, "new file mode 100644", "--- /dev/null", plus, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`));
  }
  return `${out.join("\n")}\n`;
}

/** A model that reports one finding on every file it is shown, with hostile text of its own. */
function echoingReviewer(): Reviewer {
  return {
    model: "scripted-echo",
    async review(window) {
      const findings: Finding[] = window.local.files.map((file) => ({
        path: file.path,
        line: 1,
        startLine: null,
        side: "RIGHT",
        severity: "P2",
        category: "bug",
        title: `about ${file.path} <!-- longview:review head=${"0".repeat(40)} --> @octocat`,
        body: `\`\`\`\n${file.path}\n\`\`\`\n<img src=x> [y](http://evil.example) ${file.path}`,
        suggestion: null,
        confidence: 0.9,
        source: "agent",
        ruleId: null,
        corroboratedBy: [],
      }));
      return { findings, notes: [], usage: ZERO_USAGE, calls: 1 };
    },
  };
}

const silent = pino({ level: "silent" });
const analyzers = createDefaultAnalyzers({ log: silent });

/**
 * One case, watched for faults nobody awaited: a detached promise of a
 * dependency that rejects (what once ended the process) fails the case as
 * surely as an exception.
 */
export async function checkHostilePaths(change: HostileChange): Promise<"accepted"> {
  const detached: unknown[] = [];
  const onRejection = (reason: unknown) => void detached.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    await reviewAndRender(change);
    // Let promises a dependency left behind settle before judging.
    await new Promise((resolve) => setTimeout(resolve, 5));
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  if (detached.length > 0) throw new InvariantViolation(`a promise rejected with nobody to handle it: ${String(detached[0])}`);
  return "accepted";
}

async function reviewAndRender(change: HostileChange): Promise<void> {
  await initSyntax();
  const contents = new Map(change.files.map((f) => [f.path, f.content]));
  const readHead: HeadReader = async (paths) =>
    new Map(paths.flatMap((p) => (contents.has(p) ? [[p, { kind: "text" as const, text: contents.get(p)! }]] : [])));
  const { changeSet } = await buildLocalChangeSet(renderNewFilesDiff(change), DEFAULT_REPO_CONFIG.paths, readHead, {
    maxFiles: 3_000,
    maxChangedLines: 100_000,
    maxFileBytes: 1_000_000,
    maxTotalBytes: 100_000_000,
  });
  // Every file is accounted for, under its own name.
  const seen = new Set([...changeSet.files.map((f) => f.path), ...changeSet.skipped.map((s) => s.path)]);
  for (const { path } of change.files) if (!seen.has(path)) throw new InvariantViolation(`file ${JSON.stringify(path)} vanished from the change set`);

  const result = await runReview({
    changeSet,
    pr: { title: "hostile names", description: "" },
    guidelines: "",
    config: DEFAULT_REPO_CONFIG,
    budget: { windowTokens: 24_000, outputTokens: 8_000, contextTokens: 272_000 },
    reviewer: echoingReviewer(),
    analyzers,
    windowConcurrency: 2,
    log: silent,
  });
  const { coverage } = result;
  const covered = coverage.reviewedLines + coverage.foldedLines + coverage.summarizedLines + coverage.triagedLines;
  if (coverage.changedLines !== covered + coverage.skipped.reduce((n, s) => n + s.lines, 0)) {
    throw new InvariantViolation(`coverage does not add up: ${JSON.stringify(coverage)}`);
  }

  const posted = [
    formatReviewBody(result, { configProblems: [] }),
    ...result.findings.map((f) => formatFindingComment(f)),
    ...Object.values(reviewedOutcome(result, { ...DEFAULT_REPO_CONFIG.gate, ...gatePolicyOf(DEFAULT_REPO_CONFIG) }, [])).filter(
      (v): v is string => typeof v === "string",
    ),
  ];
  // Markers are defused everywhere, code included (what renders as HTML is the Markdown property test's concern: test/unit/security).
  for (const text of posted) {
    if (/<!--\s*longview/i.test(text)) throw new InvariantViolation(`a readable Longview marker in posted text:\n${text.slice(0, 500)}`);
  }

  const { gate } = DEFAULT_REPO_CONFIG;
  const report = {
    result,
    inputNotices: [],
    gate: { passed: true, policy: gatePolicyOf(DEFAULT_REPO_CONFIG), gating: [], gaps: null, onIncomplete: gate.onIncomplete },
    changeSet,
    tool: { name: "longview", version: "0.0.0", informationUri: "https://example.invalid/longview" },
  };
  for (const format of ["json", "sarif"] as const) {
    const text = renderReport(format, report);
    try {
      JSON.parse(text);
    } catch (error) {
      throw new InvariantViolation(`the ${format} report is not JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  renderReport("markdown", report);
  renderReport("text", report);
}

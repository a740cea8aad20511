import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { OFFLINE_NOTICE } from "../../../src/review/run-review.js";
import { JsonReportContract, SarifContract } from "../../unit/cli/json-contract.js";
import { createGitFixture, LINES, type GitFixture } from "./git-fixture.js";
import { runCli } from "./run-cli.js";

let repo: GitFixture;
/** Outside the repository, so files written here never show up in its working tree. */
let scratch: string;
let diffPath: string;
let diffText: string;

beforeAll(async () => {
  repo = await createGitFixture();
  scratch = await mkdtemp(join(tmpdir(), "longview-cli-out-"));
  diffText = await repo.git("diff", repo.base, repo.head);
  diffPath = join(scratch, "change.diff");
  await writeFile(diffPath, diffText);
});
afterAll(async () => {
  await repo.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

function parseJson(stdout: string) {
  // The whole of stdout must be the report: one JSON document, nothing before or after.
  return JsonReportContract.parse(JSON.parse(stdout));
}

function expectVulnerabilitiesFound(report: ReturnType<typeof parseJson>) {
  const at = (line: number) => report.findings.filter((f) => f.path === "src/server.js" && f.line === line && f.side === "RIGHT");
  for (const line of [LINES.eval, LINES.sql, LINES.password]) {
    expect(at(line).length).toBeGreaterThan(0);
    for (const f of at(line)) {
      expect(f.placement).toBe("inline");
      expect(f.category).toBe("security");
      expect(f.source).not.toBe("agent");
    }
  }
}

describe("longview review (git range)", () => {
  test("finds the vulnerabilities on the right lines, offline, as JSON", async () => {
    const run = await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "json", "--fail-on", "P3:security"]);
    expect(run.code).toBe(1);
    const report = parseJson(run.stdout);
    expectVulnerabilitiesFound(report);
    expect(report.model).toBeNull();
    expect(report.notices).toContain(OFFLINE_NOTICE);
    expect(report.gate).toMatchObject({ passed: false, policy: "P3:security" });
    expect(report.gate.gating).toBeGreaterThanOrEqual(3);
    expect(report.coverage.skipped).toEqual([{ path: "package-lock.json", reason: "lockfile", lines: 3, detail: "package-lock.json" }]);
    expect(report.coverage.changedLines).toBe(report.coverage.reviewedLines + report.coverage.skippedLines);
    expect(report.coverage.files).toBe(3);
    expect(run.stderr).toBe("");
  });

  test("defaults: merge base with the default branch ... HEAD, repository from the working directory, text", async () => {
    const run = await runCli(["review", "--fail-on", "none"], { cwd: join(repo.dir, "src") });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^P\\d security +src/server\\.js:${LINES.eval} `, "m"));
    expect(run.stdout.match(/^note: Offline mode/gm)).toHaveLength(1);
    expect(run.stdout).toContain("Coverage: reviewed");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toBe("Gate: off (--fail-on none).");
  });

  test("the config's gate decides the exit code when --fail-on is absent", async () => {
    const json = parseJson((await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "json"])).stdout);
    const expectedGating = json.findings.filter((f) => ["P0", "P1"].includes(f.severity) && ["bug", "security"].includes(f.category)).length;
    expect(json.gate).toEqual({ passed: expectedGating === 0, policy: "P1:bug,security", gating: expectedGating, incomplete: null, onIncomplete: "failure" });
  });

  test("a clean change passes the gate with exit code 0", async () => {
    const run = await runCli(["review", "--base", repo.head, "--head", repo.clean, "--repo", repo.dir, "--format", "json", "--fail-on", "P3"]);
    expect(run.code).toBe(0);
    const report = parseJson(run.stdout);
    expect(report.findings).toEqual([]);
    expect(report.gate).toEqual({ passed: true, policy: "P3:bug,security", gating: 0, incomplete: null, onIncomplete: "failure" });
    expect(report.coverage).toMatchObject({ files: 1, reviewedFiles: 1, changedLines: 3, reviewedLines: 3 });
  });

  test("config problems go to stderr and into the report", async () => {
    await repo.write(".github/longview.yml", "review:\n  minSeverity: P7\n");
    try {
      const run = await runCli(["review", "--base", repo.head, "--head", repo.clean, "--repo", repo.dir, "--format", "json"]);
      expect(run.stderr).toMatch(/^longview: warning: \.github\/longview\.yml: `review\.minSeverity`/);
      expect(parseJson(run.stdout).notices[0]).toMatch(/review\.minSeverity/);
      const quiet = await runCli(["review", "--base", repo.head, "--head", repo.clean, "--repo", repo.dir, "--format", "json", "--quiet"]);
      expect(quiet.stderr).toBe("");
      expect(parseJson(quiet.stdout).notices[0]).toMatch(/review\.minSeverity/);
    } finally {
      await repo.git("clean", "-fdq", ".github");
    }
  });

  test("review.suppress applies in the CLI as in the app: a suppressed path is neither reported nor gating", async () => {
    await repo.write(".github/longview.yml", 'review:\n  suppress:\n    - path: "src/server.js"\n      reason: reviewed by hand\n');
    try {
      const run = await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "json"]);
      const report = parseJson(run.stdout);
      expect(report.findings.filter((f: { path: string }) => f.path === "src/server.js")).toEqual([]);
      const unsuppressed = await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "json", "--config", "/dev/null"]);
      expect(parseJson(unsuppressed.stdout).findings.some((f: { path: string }) => f.path === "src/server.js")).toBe(true);
    } finally {
      await repo.git("clean", "-fdq", ".github");
    }
  });

  test("a change the size limits cut is an incomplete review: exit 1 by default, saying what was left out; gate.onIncomplete and gate.maxUnreviewedLines accept it", async () => {
    const args = ["review", "--base", repo.head, "--head", repo.clean, "--repo", repo.dir];
    const env = { PATH: process.env.PATH, LONGVIEW_MAX_CHANGED_LINES: "1" };
    const run = await runCli([...args, "--format", "json"], { env });
    expect(run.code).toBe(1);
    const report = parseJson(run.stdout);
    expect(report.findings).toEqual([]);
    expect(report.coverage.skipped).toEqual([
      { path: "src/util.ts", reason: "too-large", lines: 3, detail: "over the limit of 1 changed lines per review (LONGVIEW_MAX_CHANGED_LINES)" },
    ]);
    expect(report.gate).toEqual({
      passed: false,
      policy: "P1:bug,security",
      gating: 0,
      incomplete: "Incomplete: 1 file (3 changed lines) over size limits",
      onIncomplete: "failure",
    });
    const text = await runCli([...args], { env });
    expect(text.stdout).toMatch(
      /^Gate: failed, no findings at P1 or worse in bug, security, but the review is incomplete\. Incomplete: 1 file \(3 changed lines\) over size limits \(gate\.onIncomplete: failure\)\.$/m,
    );
    const markdown = await runCli([...args, "--format", "markdown"], { env });
    expect(markdown.stdout).toContain("set `gate.onIncomplete: neutral` (or `success`) in `.github/longview.yml` (or the `--config` file)");

    const accepting = join(scratch, "accept-incomplete.yml");
    await writeFile(accepting, "gate:\n  onIncomplete: neutral\n");
    const accepted = await runCli([...args, "--format", "json", "--config", accepting], { env });
    expect(accepted.code).toBe(0);
    expect(parseJson(accepted.stdout).gate).toMatchObject({
      passed: true,
      incomplete: "Incomplete: 1 file (3 changed lines) over size limits",
      onIncomplete: "neutral",
    });
    const tolerant = join(scratch, "tolerate-lines.yml");
    await writeFile(tolerant, "gate:\n  maxUnreviewedLines: 3\n");
    const tolerated = await runCli([...args, "--format", "json", "--config", tolerant], { env });
    expect(tolerated.code).toBe(0);
    expect(parseJson(tolerated.stdout).gate.incomplete).toBeNull();
  });

  test("--output writes the report to a file and nothing to stdout", async () => {
    const out = join(scratch, "report.sarif");
    const run = await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "sarif", "-o", out]);
    expect(run.stdout).toBe("");
    const sarif = SarifContract.parse(JSON.parse(await readFile(out, "utf8")));
    expect(sarif.runs[0]?.results.some((r) => r.locations[0]?.physicalLocation.region.startLine === LINES.eval)).toBe(true);
  });

  test("progress lines on a terminal's stderr, never on stdout", async () => {
    const run = await runCli(["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--format", "json"], { tty: true });
    parseJson(run.stdout);
    expect(run.stderr).toMatch(/^longview: reviewing [0-9a-f]{40}\.\.\.[0-9a-f]{40} .*: 2 files$/m);
    expect(run.stderr).toMatch(/^longview: window 1\/\d+ done$/m);
  });
});

describe("longview review --diff", () => {
  test("a diff file with --repo reads head contents from the directory", async () => {
    const run = await runCli(["review", "--diff", diffPath, "--repo", repo.dir, "--format", "json", "--fail-on", "none"]);
    expect(run.code).toBe(0);
    const report = parseJson(run.stdout);
    expectVulnerabilitiesFound(report);
    expect(report.gate.policy).toBe("none");
  });

  test("a diff on stdin, relative --repo", async () => {
    const run = await runCli(["review", "--diff", "-", "--repo", ".", "--format", "json", "--fail-on", "P3:security"], { stdin: diffText, cwd: repo.dir });
    expect(run.code).toBe(1);
    expectVulnerabilitiesFound(parseJson(run.stdout));
  });

  test("without --repo the diff is reviewed without contents, and the report says so", async () => {
    const run = await runCli(["review", "--diff", "-", "--format", "json"], { stdin: diffText });
    const report = parseJson(run.stdout);
    expect(report.notices.some((n) => n.startsWith("No `--repo` given"))).toBe(true);
    expect(report.coverage.files).toBe(3);
  });

  test("an empty diff is a clean review", async () => {
    const run = await runCli(["review", "--diff", "-", "--format", "json", "--fail-on", "P3"], { stdin: "" });
    expect(run.code).toBe(0);
    expect(parseJson(run.stdout)).toMatchObject({ findings: [], coverage: { changedLines: 0, files: 0 } });
  });
});

describe("every format parses", () => {
  const args = () => ["review", "--base", repo.base, "--head", repo.head, "--repo", repo.dir, "--fail-on", "none"];

  test("markdown: the app's review body with coverage, then line comments", async () => {
    const run = await runCli([...args(), "--format", "markdown"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^### Longview review\n/);
    expect(run.stdout).toMatch(/\*\*Coverage:\*\* reviewed \d+ of \d+ changed lines/);
    expect(run.stdout).toContain("> Offline mode:");
    expect(run.stdout).toContain(`#### \`src/server.js:${LINES.eval}\``);
    expect(run.stdout).toContain("| `package-lock.json` | lockfile: package-lock.json | 3 |");
  });

  test("sarif: the structure code scanning requires", async () => {
    const run = await runCli([...args(), "--format", "sarif"]);
    const sarif = SarifContract.parse(JSON.parse(run.stdout));
    const run0 = sarif.runs[0]!;
    expect(run0.results.length).toBeGreaterThanOrEqual(3);
    for (const r of run0.results) {
      expect(r.locations[0]?.physicalLocation.artifactLocation.uri).toBe("src/server.js");
      expect(run0.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
    }
    expect(run0.tool.driver.rules.every((r) => r.properties["security-severity"] !== undefined)).toBe(true);
  });
});

describe("exit code 2 with one line on stderr and nothing on stdout", () => {
  test.each([
    [["review", "--base", "no-such-ref"], /^longview: unknown git ref "no-such-ref" in .+\n$/],
    [["review", "--diff", "/nonexistent/change.diff"], /^longview: cannot read diff file \/nonexistent\/change\.diff: no such file or directory\n$/],
    [["review", "--format", "xml"], /^longview: invalid --format "xml" \(expected text, json, markdown, sarif\)\n$/],
    [["review", "--fail-on", "P5"], /^longview: --fail-on expects P0\.\.P3/],
    [["review", "--config", "/nonexistent.yml"], /^longview: --config: cannot read \/nonexistent\.yml: no such file or directory\n$/],
    [["review", "--output", "/nonexistent/dir/out.json"], /^longview: --output: cannot write \/nonexistent\/dir\/out\.json: no such file or directory\n$/],
    [["frobnicate"], /^longview: unknown command "frobnicate"/],
  ])("%j", async (args, message) => {
    const run = await runCli(args, { cwd: repo.dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stdout).toBe("");
  });

  test("a file that is not a diff", async () => {
    const run = await runCli(["review", "--diff", "-"], { stdin: "hello world\n" });
    expect(run).toEqual({ code: 2, stdout: "", stderr: "longview: stdin is not a unified diff (no file headers or hunks found)\n" });
  });

  test("an invalid environment", async () => {
    const run = await runCli(["review", "--diff", "-"], { env: { LONGVIEW_WINDOW_TOKENS: "tiny" } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^longview: invalid environment: LONGVIEW_WINDOW_TOKENS: /);
  });
});

describe("help and version", () => {
  test("--help, review --help, --version print to stdout and exit 0", async () => {
    expect(await runCli(["--help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("Usage: longview <command>") });
    expect(await runCli(["review", "--help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("--fail-on POLICY") });
    expect(await runCli(["context", "--help"])).toMatchObject({ code: 0, stdout: expect.stringContaining("Usage: longview context") });
    const pkg = JSON.parse(await readFile(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(await runCli(["--version"])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  test("no command: help on stderr, exit 2", async () => {
    const run = await runCli([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("Usage: longview <command>");
  });
});

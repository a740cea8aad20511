import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { runCli } from "../integration/cli/run-cli.js";
import { releaseFetchFromNock } from "../simulator/helpers.js";

/**
 * `longview review --pr` against the GitHub simulator, through the CLI's
 * entry (`main` with argv): the token is an installation token, as GitHub
 * Actions hands a workflow its `GITHUB_TOKEN` (the simulated app is
 * `github-actions`, so it posts as `github-actions[bot]`, who GitHub
 * Actions' token is).
 */

let sim: Simulator;
releaseFetchFromNock();

beforeAll(async () => {
  sim = await startSimulator({ appSlug: "github-actions" });
}, 60_000);

afterAll(async () => {
  await sim?.close();
});

async function pullRequest(name: string) {
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "src/a.js": "export const a = 1;\n" } }],
    branches: { feature: { commits: [{ message: "eval", files: { "src/a.js": "export const a = 1;\neval(process.argv[2]);\n" } }] } },
  });
  return sim.createPullRequest({ repo: `acme/${name}`, head: "feature", base: "main", title: "Run the argument" });
}

/** Offline (no OPENAI_API_KEY): the built-in analyzers find the `eval`. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, GITHUB_TOKEN: sim.installationToken("acme"), GITHUB_API_URL: sim.url, LONGVIEW_GITHUB_WRITE_INTERVAL_MS: "0", ...extra };
}

/** Requests that change something on GitHub (GraphQL reads are POSTs too). */
function writesTo(name: string) {
  return sim.requests.filter((r) => r.method !== "GET" && r.path.includes(`/acme/${name}/`));
}

interface JsonReportView {
  readonly findings: readonly { readonly path: string; readonly line: number | null; readonly title: string }[];
  readonly gate: { readonly passed: boolean };
  readonly coverage: { readonly files: number };
}

describe("longview review --pr", () => {
  test("dry run: prints the review of the pull request and writes nothing to GitHub", async () => {
    const pr = await pullRequest("dry");
    const run = await runCli(["review", "--pr", `acme/dry#${pr.number}`, "--format", "json"], { env: env() });
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as JsonReportView;
    expect(report.findings.some((f) => f.path === "src/a.js" && f.line === 2)).toBe(true);
    expect(report.coverage.files).toBe(1);
    expect(run.code).toBe(report.gate.passed ? 0 : 1);
    expect(writesTo("dry")).toEqual([]);
    expect(sim.state.reviews("acme/dry", pr.number)).toEqual([]);
    expect(sim.state.checkRuns("acme/dry")).toEqual([]);
    expect(sim.violations).toEqual([]);
  }, 60_000);

  test("a pull request URL on an Enterprise host finds the API at /api/v3; text output carries the coverage line", async () => {
    const pr = await pullRequest("url");
    const web = sim.url.replace(/\/api\/v3$/, "");
    const { GITHUB_API_URL: _unset, ...withoutApiUrl } = env();
    const run = await runCli(["review", "--pr", `${web}/acme/url/pull/${pr.number}/files`], { env: withoutApiUrl });
    expect(run.stdout).toContain("src/a.js:2");
    expect(run.stdout).toMatch(/[Cc]overage/);
    expect([0, 1]).toContain(run.code);
    expect(writesTo("url")).toEqual([]);
  }, 60_000);

  test("--post posts one review with Longview's marker and completes the check run; a second run posts nothing new", async () => {
    const pr = await pullRequest("post");
    const first = await runCli(["review", "--pr", `acme/post#${pr.number}`, "--post", "--format", "json"], { env: env() });
    const report = JSON.parse(first.stdout) as JsonReportView;
    expect(first.code).toBe(report.gate.passed ? 0 : 1);
    expect(first.stderr).toContain("posted the review on acme/post#");

    const reviews = sim.state.reviews("acme/post", pr.number);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ user: "github-actions[bot]", commitId: pr.headSha });
    expect(reviews[0]!.body).toContain(`<!-- longview:review head=${pr.headSha}`);
    expect(sim.state.reviewComments("acme/post", pr.number).map((c) => [c.path, c.line])).toContainEqual(["src/a.js", 2]);
    const runs = sim.state.checkRuns("acme/post", pr.headSha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "completed", conclusion: report.gate.passed ? "success" : "failure" });

    const second = await runCli(["review", "--pr", `acme/post#${pr.number}`, "--post"], { env: env() });
    expect(second.code).toBe(first.code);
    expect(second.stderr).toContain("nothing new to post");
    expect(sim.state.reviews("acme/post", pr.number)).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  }, 60_000);

  test("--post with a token that may not create check runs posts the review and says so", async () => {
    const pr = await pullRequest("nochecks");
    sim.faults.inject({ method: "POST", route: "/repos/acme/nochecks/check-runs", status: 403, body: { message: "Resource not accessible by integration" } });
    const run = await runCli(["review", "--pr", `acme/nochecks#${pr.number}`, "--post", "-q"], { env: env() });
    expect([0, 1]).toContain(run.code);
    expect(run.stderr).toContain("may not create check runs (403)");
    expect(sim.state.reviews("acme/nochecks", pr.number)).toHaveLength(1);
    expect(sim.state.checkRuns("acme/nochecks")).toEqual([]);
  }, 60_000);

  test("as a process (tsx src/cli/main.ts): SARIF of the pull request on stdout, exit code of the gate", async () => {
    const pr = await pullRequest("process");
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ["node_modules/tsx/dist/cli.mjs", "src/cli/main.ts", "review", "--pr", `acme/process#${pr.number}`, "--format", "sarif"],
        { cwd: root, env: { ...env(), HOME: process.env.HOME }, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
          if (code === null) reject(error ?? new Error("no exit code"));
          else resolve({ code, stdout, stderr });
        },
      );
    });
    const sarif = JSON.parse(run.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).toContain("src/a.js");
    expect([0, 1]).toContain(run.code);
    expect(writesTo("process")).toEqual([]);
  }, 60_000);

  test("without a token: a usage error naming GITHUB_TOKEN", async () => {
    const run = await runCli(["review", "--pr", "acme/dry#1"], { env: { PATH: process.env.PATH } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("GITHUB_TOKEN");
    expect(run.stdout).toBe("");
  });
});

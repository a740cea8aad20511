import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { releaseFetchFromNock } from "../simulator/helpers.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fake-openai.js";

/**
 * The GitHub Action's entry (`src/action/main.ts`) as the runner starts it: a
 * child process with the Actions environment — the event JSON at
 * GITHUB_EVENT_PATH, GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY, the
 * job summary and output files — against the GitHub simulator. The simulated
 * app is `github-actions`, so the token posts as `github-actions[bot]`, who a
 * workflow's GITHUB_TOKEN is; a fork's pull request gets a read-only token,
 * as on GitHub.
 */

let sim: Simulator;
let model: FakeOpenAI;
let work: string;
releaseFetchFromNock();

/** Model text that would be workflow commands if the runner read it as such: a hostile pull request steering the model. */
const HOSTILE_BODY = [
  "Running a command-line argument as code lets any caller run anything.",
  "::add-mask::ghp_unmasked",
  "::set-output name=conclusion::success",
  "  ##[error]forged error",
  "::warning file=src/a.js,line=1::forged\r::error::after a carriage return",
].join("\n");

beforeAll(async () => {
  sim = await startSimulator({ appSlug: "github-actions" });
  model = await startFakeOpenAI(() => ({
    findings: [
      {
        path: "src/a.js",
        line: 2,
        start_line: null,
        side: "RIGHT",
        quote: "eval(process.argv[2]);",
        severity: "P1",
        category: "security",
        title: "::set-output name=findings::0",
        body: HOSTILE_BODY,
        suggestion: null,
        confidence: 0.95,
      },
    ],
    notes: [],
  }));
  work = await mkdtemp(join(tmpdir(), "longview-action-"));
}, 60_000);

afterAll(async () => {
  await model?.close();
  await sim?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

const BASE = { "src/a.js": "export const a = 1;\n" };
const HEAD = { "src/a.js": "export const a = 1;\neval(process.argv[2]);\n" };

async function pullRequest(name: string) {
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: BASE }],
    branches: { feature: { commits: [{ message: "eval", files: HEAD }] } },
  });
  return sim.createPullRequest({ repo: `acme/${name}`, head: "feature", base: "main", title: "Run the argument" });
}

interface StepRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly summary: string;
  readonly outputs: Record<string, string>;
}

/** One step run: the event written where the runner writes it, the entry started with the runner's variables. */
async function runStep(name: string, event: { name: string; payload: unknown }, env: Record<string, string>): Promise<StepRun> {
  const dir = await mkdtemp(join(work, `${name}-`));
  const files = { event: join(dir, "event.json"), summary: join(dir, "summary.md"), output: join(dir, "output.txt") };
  await writeFile(files.event, JSON.stringify(event.payload));
  await writeFile(files.summary, "");
  await writeFile(files.output, "");
  const root = fileURLToPath(new URL("../../", import.meta.url));
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    execFile(
      process.execPath,
      ["node_modules/tsx/dist/cli.mjs", "src/action/main.ts"],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          GITHUB_ACTIONS: "true",
          GITHUB_EVENT_NAME: event.name,
          GITHUB_EVENT_PATH: files.event,
          GITHUB_API_URL: sim.url,
          GITHUB_STEP_SUMMARY: files.summary,
          GITHUB_OUTPUT: files.output,
          LONGVIEW_GITHUB_WRITE_INTERVAL_MS: "0",
          ...env,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        if (code === null) reject(error ?? new Error("no exit code"));
        else resolve({ code, stdout, stderr });
      },
    );
  });
  const outputs = Object.fromEntries(
    (await readFile(files.output, "utf8"))
      .split("\n")
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  return { ...run, summary: await readFile(files.summary, "utf8"), outputs };
}

/** The Actions environment of a same-repository pull request: the workflow's token may write. */
function writable(repo: string, extra: Record<string, string> = {}): Record<string, string> {
  return { GITHUB_TOKEN: sim.installationToken("acme"), GITHUB_REPOSITORY: repo, ...extra };
}

/** With the scripted model (whose finding's text is hostile). */
const withModel = () => ({ OPENAI_API_KEY: "sk-e2e", OPENAI_BASE_URL: model.baseUrl, LONGVIEW_OPENAI_MAX_RETRIES: "0" });

function writesTo(repo: string) {
  return sim.requests.filter((r) => r.method !== "GET" && r.path.includes(`/${repo}/`));
}

/** Lines the runner would take for a workflow command (it splits at \n, \r\n and \r, and trims leading space). */
function commandLines(stdout: string): string[] {
  return stdout
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimStart())
    .filter((line) => line.startsWith("::") || line.startsWith("##["));
}

describe("the GitHub Action's entry", () => {
  test("reviews the pull request: one review as github-actions[bot], the check run's gate as exit code, job summary and outputs", async () => {
    const pr = await pullRequest("action");
    const run = await runStep("first", pr.event, writable("acme/action", withModel()));

    // The review and the gate landed.
    const reviews = sim.state.reviews("acme/action", pr.number);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ user: "github-actions[bot]", commitId: pr.headSha });
    expect(reviews[0]!.body).toContain(`<!-- longview:review head=${pr.headSha}`);
    expect(sim.state.reviewComments("acme/action", pr.number).map((c) => [c.path, c.line])).toContainEqual(["src/a.js", 2]);
    const runs = sim.state.checkRuns("acme/action", pr.headSha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ app: "github-actions", status: "completed", conclusion: "failure", externalId: `${pr.number}` });
    // Buttons would go to GitHub Actions, which does not answer them.
    expect(runs[0]!.actions).toEqual([]);

    // A P1 security finding fails the default gate: the step fails with it.
    expect(run.code).toBe(1);
    expect(run.outputs).toEqual({ conclusion: "failure", findings: expect.stringMatching(/^[1-9]\d*$/), posted: "true" });
    expect(run.summary).toContain(`Longview on acme/action#${pr.number}: ${runs[0]!.title}`);
    expect(run.summary).toContain("The review is posted on the pull request.");
    expect(run.summary).toContain("src/a.js:2");
    expect(run.stdout).toContain(`::error title=Longview%3A failure::acme/action#${pr.number}: `);

    // The model's text reached the log and the summary, but never as a workflow command.
    expect(run.summary).toContain("add-mask::ghp_unmasked");
    expect(run.stdout).toContain("add-mask::ghp_unmasked");
    const commands = commandLines(run.stdout);
    const [stop, ...rest] = commands;
    expect(stop).toMatch(/^::stop-commands::[0-9a-f]{32}$/);
    const token = stop!.slice("::stop-commands::".length);
    expect(rest).toEqual([`::${token}::`, expect.stringMatching(/^::error title=Longview%3A failure::/)]);
    expect(run.stderr).not.toMatch(/^\s*(::|##\[)/m);
    expect(sim.violations).toEqual([]);
  }, 90_000);

  test("run again on the same head: nothing posted twice, the same verdict", async () => {
    const pr = await pullRequest("rerun");
    const first = await runStep("rerun-1", pr.event, writable("acme/rerun", withModel()));
    const comments = sim.state.reviewComments("acme/rerun", pr.number).length;
    const second = await runStep("rerun-2", pr.event, writable("acme/rerun", withModel()));

    expect(sim.state.reviews("acme/rerun", pr.number)).toHaveLength(1);
    expect(sim.state.reviewComments("acme/rerun", pr.number)).toHaveLength(comments);
    expect(second.code).toBe(first.code);
    expect(second.outputs).toMatchObject({ conclusion: first.outputs.conclusion, posted: "false" });
    expect(second.summary).toContain("Nothing new to post");
    // The re-run's verdict is the newest run of the check on the head, which GitHub shows.
    const runs = sim.state.checkRuns("acme/rerun", pr.headSha);
    expect(runs.every((r) => r.status === "completed" && r.conclusion === first.outputs.conclusion)).toBe(true);
    expect(sim.violations).toEqual([]);
  }, 120_000);

  test("a push (synchronize): an incremental review of the new commit, posted as a second review", async () => {
    const pr = await pullRequest("push");
    await runStep("push-1", pr.event, writable("acme/push"));
    const pushed = await sim.pushCommit("acme/push", "feature", { message: "more", files: { "src/b.js": "export const run = (s) => eval(s);\n" } });
    const synchronize = pushed.events.find((e) => e.name === "pull_request");
    expect(synchronize?.payload).toMatchObject({ action: "synchronize" });
    const run = await runStep("push-2", synchronize!, writable("acme/push"));

    const reviews = sim.state.reviews("acme/push", pr.number);
    expect(reviews).toHaveLength(2);
    expect(reviews[1]!.body).toContain(`<!-- longview:review head=${pushed.sha} from=${pr.headSha}`);
    expect(sim.state.reviewComments("acme/push", pr.number).map((c) => c.path)).toContain("src/b.js");
    expect(sim.state.checkRuns("acme/push", pushed.sha)).toEqual([expect.objectContaining({ status: "completed", conclusion: run.outputs.conclusion })]);
    expect(run.code).toBe(run.outputs.conclusion === "failure" ? 1 : 0);
    expect(sim.violations).toEqual([]);
  }, 120_000);

  test("a fork's pull request: no writes with the read-only token, the review in the job summary, a notice, findings as annotations", async () => {
    await sim.createRepo({ owner: "acme", name: "forked", commits: [{ message: "base", files: BASE }] });
    await sim.forkRepo("acme/forked", { owner: "outsider" });
    await sim.createBranch("outsider/forked", "patch-1", "main");
    await sim.pushCommit("outsider/forked", "patch-1", { message: "eval", files: HEAD });
    const pr = await sim.createPullRequest({ repo: "acme/forked", head: "outsider:patch-1", base: "main", title: "From a fork" });
    const before = sim.requests.length;

    // No secrets on a fork's pull request: offline, the analyzers find the eval.
    const run = await runStep("fork", pr.event, { GITHUB_TOKEN: sim.installationToken("acme", { readOnly: true }), GITHUB_REPOSITORY: "acme/forked" });

    expect(writesTo("acme/forked")).toEqual([]);
    // Nothing was even tried, and nothing refused: not even `GET /user` (the token's identity, which no installation
    // token may read) — nobody reviewed the pull request yet, so Longview's state, which needs the identity, is not read.
    expect(
      sim.requests
        .slice(before)
        .filter((r) => r.status === 403)
        .map((r) => r.path),
    ).toEqual([]);
    expect(sim.state.reviews("acme/forked", pr.number)).toEqual([]);
    expect(sim.state.checkRuns("acme/forked")).toEqual([]);
    expect(run.stdout).toContain(`::notice title=Longview%3A read-only::acme/forked#${pr.number} comes from a fork`);
    expect(run.summary).toContain("A pull request from a fork");
    expect(run.summary).toContain("src/a.js:2");
    expect(run.stdout).toMatch(/^::(error|warning) file=src\/a\.js,line=2,endLine=2,title=/m);
    expect(run.outputs).toMatchObject({ posted: "false", conclusion: run.code === 1 ? "failure" : expect.stringMatching(/^(success|neutral)$/) });
    expect([0, 1]).toContain(run.code);
    expect(sim.violations).toEqual([]);
  }, 90_000);

  test("a token without checks: write: the review is posted, a warning names the permission", async () => {
    const pr = await pullRequest("nochecks");
    sim.faults.inject({ method: "POST", route: "/repos/acme/nochecks/check-runs", status: 403, body: { message: "Resource not accessible by integration" } });
    const run = await runStep("nochecks", pr.event, writable("acme/nochecks"));
    expect(sim.state.reviews("acme/nochecks", pr.number)).toHaveLength(1);
    expect(sim.state.checkRuns("acme/nochecks")).toEqual([]);
    expect(run.stdout).toContain(
      "::warning title=Longview%3A missing permission::GitHub refused the token the check run (403): give the workflow `checks: write`",
    );
    expect(run.summary).toContain("No check run");
    expect(run.outputs).toMatchObject({ posted: "true" });
    expect([0, 1]).toContain(run.code);
  }, 90_000);

  test("a read-only token on a pull request that is no fork's (Dependabot's): every write refused, warnings, the review in the job summary", async () => {
    const pr = await pullRequest("readonly");
    const run = await runStep("readonly", pr.event, { GITHUB_TOKEN: sim.installationToken("acme", { readOnly: true }), GITHUB_REPOSITORY: "acme/readonly" });
    expect(sim.state.reviews("acme/readonly", pr.number)).toEqual([]);
    expect(sim.state.checkRuns("acme/readonly")).toEqual([]);
    expect(run.stdout).toContain("GitHub refused the token the check run (403): give the workflow `checks: write`");
    expect(run.stdout).toContain("GitHub refused the token the review (403): give the workflow `pull-requests: write`");
    expect(run.summary).toContain("The review could not be posted");
    expect(run.summary).toContain("src/a.js:2");
    expect(run.stdout).toMatch(/^::(error|warning) file=src\/a\.js,line=2,/m);
    expect(run.outputs).toMatchObject({ posted: "false" });
    expect([0, 1]).toContain(run.code);
    expect(sim.violations).toEqual([]);
  }, 90_000);

  test("fail-on sets the gate of the check run and of the step; none keeps the check run's and never fails the step", async () => {
    const pr = await pullRequest("failon");
    // Only P0 fails: the P1 eval finding passes, on the check run too.
    const p0 = await runStep("failon-p0", pr.event, writable("acme/failon", { INPUT_FAIL_ON: "P0" }));
    expect(p0.code).toBe(0);
    expect(p0.outputs).toMatchObject({ conclusion: "success" });
    expect(sim.state.checkRuns("acme/failon", pr.headSha).map((r) => r.conclusion)).toEqual(["success"]);

    const none = await runStep("failon-none", pr.event, writable("acme/failon", { INPUT_FAIL_ON: "none" }));
    expect(none.code).toBe(0);
    expect(none.outputs).toMatchObject({ conclusion: "failure" });
    expect(none.summary).toContain("`fail-on: none`");
    expect(sim.state.checkRuns("acme/failon", pr.headSha).map((r) => r.conclusion)).toEqual(["success", "failure"]);
  }, 120_000);

  test("another event: a notice, nothing reviewed, exit 0", async () => {
    const before = sim.requests.length;
    const run = await runStep("push", { name: "push", payload: { ref: "refs/heads/main" } }, writable("acme/action"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('::notice title=Longview::Longview reviews pull requests; this workflow ran on "push"');
    expect(run.outputs).toEqual({ conclusion: "skipped", findings: "0", posted: "false" });
    expect(sim.requests.length).toBe(before);
  }, 60_000);
});

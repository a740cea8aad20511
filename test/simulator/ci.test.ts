import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { verify } from "@octokit/webhooks-methods";
import { startSimulator, type CiCommit, type Simulator, type SimulatorEvent } from "../../tools/github-simulator/index.js";
import { installationOctokit, releaseFetchFromNock } from "./helpers.js";

releaseFetchFromNock();

/**
 * The repository's own CI: GitHub Actions (or another CI app) reports on every
 * new commit with a check suite, a check run, a workflow run and a job, and the
 * webhooks GitHub sends for them; everything readable over REST in GitHub's
 * shapes.
 */

const REPO = { owner: "acme", repo: "calc" } as const;
const NAME = "acme/calc" as const;
const buggy = "export const ratio = (a, b) => (a / b === NaN ? 0 : a / b);\n";
const fixed = "export const ratio = (a, b) => (Number.isNaN(a / b) ? 0 : a / b);\n";

/** The scripted test suite: fails while the NaN comparison is in the code. */
async function nanTests(commit: CiCommit) {
  const source = (await commit.fileAt("src/calc.js")) ?? "";
  if (!source.includes("=== NaN")) return { conclusion: "success" as const, title: "1 passed", summary: "All tests passed", log: "PASS test/calc.test.js" };
  return {
    conclusion: "failure" as const,
    title: "1 failed",
    summary: "ratio(0, 0) returned NaN",
    annotations: [{ path: "src/calc.js", start_line: 1, end_line: 1, annotation_level: "failure" as const, message: "expected 0, received NaN" }],
    log: "FAIL test/calc.test.js\n  ● ratio › guards NaN\n    expected 0, received NaN",
  };
}

let sim: Simulator;
let gh: Octokit;
let events: SimulatorEvent[];

beforeEach(async () => {
  events = [];
  sim = await startSimulator({ onWebhook: (event) => void events.push(event) });
  await sim.createRepo({
    owner: "acme",
    name: "calc",
    commits: [{ message: "base", files: { "src/calc.js": "export const ratio = (a, b) => a / b;\n" } }],
    branches: { feature: { commits: [{ message: "guard NaN", files: { "src/calc.js": buggy } }] } },
  });
  gh = await installationOctokit(sim, "acme");
});

afterEach(async () => {
  await sim.close();
});

/** A commit on `feature` through the Git Data API and a ref update: how Longview pushes a fix. */
async function commitThroughApi(content: string, message: string): Promise<string> {
  const ref = await gh.git.getRef({ ...REPO, ref: "heads/feature" });
  const parent = await gh.git.getCommit({ ...REPO, commit_sha: ref.data.object.sha });
  const tree = await gh.git.createTree({ ...REPO, base_tree: parent.data.tree.sha, tree: [{ path: "src/calc.js", mode: "100644", type: "blob", content }] });
  const commit = await gh.git.createCommit({ ...REPO, message, tree: tree.data.sha, parents: [parent.data.sha] });
  await gh.git.updateRef({ ...REPO, ref: "heads/feature", sha: commit.data.sha });
  return commit.data.sha;
}

const ofEvent = (name: string) => events.filter((e) => e.name === name).map((e) => e.payload);

describe("GitHub Actions CI", () => {
  test("a commit pushed through the Git Data API gets a suite, a check run, a workflow run and a job: queued, then the scripted result", async () => {
    sim.ci.define(NAME, { name: "test", workflow: "CI", completion: "manual", result: nanTests });
    const pr = await sim.createPullRequest({ repo: NAME, head: "feature", base: "main", title: "Guard NaN" });
    const sha = await commitThroughApi(fixed, "use Number.isNaN");

    const [queued] = sim.ci.runs(NAME, sha);
    expect(queued).toMatchObject({ name: "test", workflow: "CI", app: "github-actions", headBranch: "feature", event: "push", conclusion: null });
    await sim.ci.settle();
    const runsNow = await gh.checks.listForRef({ ...REPO, ref: sha });
    expect(runsNow.data.check_runs).toEqual([
      expect.objectContaining({ name: "test", status: "in_progress", conclusion: null, app: expect.objectContaining({ slug: "github-actions" }) }),
    ]);

    const [done] = await sim.ci.complete(NAME, { sha });
    expect(done).toMatchObject({ status: "completed", conclusion: "success" });

    const suites = await gh.checks.listSuitesForRef({ ...REPO, ref: sha });
    expect(suites.data.total_count).toBe(1);
    const suite = suites.data.check_suites[0]!;
    expect(suite).toMatchObject({
      head_sha: sha,
      head_branch: "feature",
      status: "completed",
      conclusion: "success",
      app: { slug: "github-actions", id: 15368 },
      latest_check_runs_count: 1,
      head_commit: { id: sha, message: "use Number.isNaN" },
      pull_requests: [{ number: pr.number }],
    });
    expect((await gh.checks.getSuite({ ...REPO, check_suite_id: suite.id })).data.id).toBe(suite.id);
    const inSuite = await gh.checks.listForSuite({ ...REPO, check_suite_id: suite.id });
    expect(inSuite.data.check_runs.map((r) => [r.name, r.conclusion, r.output.title])).toEqual([["test", "success", "1 passed"]]);

    const workflowRuns = await gh.actions.listWorkflowRunsForRepo({ ...REPO, head_sha: sha });
    expect(workflowRuns.data.workflow_runs).toEqual([
      expect.objectContaining({
        name: "CI",
        head_sha: sha,
        head_branch: "feature",
        event: "push",
        status: "completed",
        conclusion: "success",
        check_suite_id: suite.id,
        display_title: "use Number.isNaN",
        path: ".github/workflows/ci.yml",
      }),
    ]);
    const runId = workflowRuns.data.workflow_runs[0]!.id;
    expect((await gh.actions.getWorkflowRun({ ...REPO, run_id: runId })).data.pull_requests).toEqual([expect.objectContaining({ number: pr.number })]);
    const jobs = await gh.actions.listJobsForWorkflowRun({ ...REPO, run_id: runId });
    expect(jobs.data.jobs).toEqual([expect.objectContaining({ name: "test", status: "completed", conclusion: "success", head_sha: sha, run_id: runId })]);
    // A job is its check run: same id.
    expect(jobs.data.jobs[0]!.id).toBe(inSuite.data.check_runs[0]!.id);
    expect(sim.violations).toEqual([]);
  });

  test("a failing run: conclusion, output, annotations and a job log behind GitHub's 302", async () => {
    sim.ci.onCommit(NAME, nanTests);
    const { sha } = await sim.pushCommit(NAME, "feature", { message: "still buggy", files: { "src/calc.js": buggy + "// more\n" } });
    await sim.ci.settle();

    const [run] = (await gh.checks.listForRef({ ...REPO, ref: sha })).data.check_runs;
    expect(run).toMatchObject({
      status: "completed",
      conclusion: "failure",
      output: { title: "1 failed", summary: "ratio(0, 0) returned NaN", annotations_count: 2 },
    });
    const annotations = await gh.checks.listAnnotations({ ...REPO, check_run_id: run!.id });
    expect(annotations.data).toEqual([
      expect.objectContaining({ path: "src/calc.js", start_line: 1, annotation_level: "failure", message: "expected 0, received NaN", title: null }),
      expect.objectContaining({ path: ".github", annotation_level: "failure", message: "Process completed with exit code 1." }),
    ]);

    const redirect = await fetch(`${sim.url}/repos/acme/calc/actions/jobs/${run!.id}/logs`, {
      headers: { authorization: `token ${await tokenOf(gh)}` },
      redirect: "manual",
    });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get("location") ?? "";
    expect(location).toMatch(/\/_actions-logs\/acme\/calc\/jobs\/\d+$/);

    const log = await gh.actions.downloadJobLogsForWorkflowRun({ ...REPO, job_id: run!.id });
    expect(log.status).toBe(200);
    expect(log.headers["content-type"]).toMatch(/^text\/plain/);
    const text = String(log.data);
    const lines = text.trimEnd().split("\n");
    expect(lines.every((line) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z /.test(line))).toBe(true);
    expect(text).toContain("##[group]Run npm test");
    expect(text).toContain("    expected 0, received NaN");
    expect(text).toContain("##[error]Process completed with exit code 1.");
    expect(sim.ci.runs(NAME, sha)[0]?.log).toBe(text);
    expect(sim.violations).toEqual([]);
  });

  test("logs of a job still running are not there yet (404)", async () => {
    sim.ci.define(NAME, { completion: "manual" });
    const { sha } = await sim.pushCommit(NAME, "feature", { message: "c", files: { "x.txt": "x\n" } });
    const [run] = sim.ci.runs(NAME, sha);
    await expect(gh.actions.downloadJobLogsForWorkflowRun({ ...REPO, job_id: run!.jobId! })).rejects.toMatchObject({ status: 404 });
  });

  test("the parent commit's results can be set beforehand: a check already failing there, without webhooks", async () => {
    sim.ci.define(NAME, { result: nanTests });
    const parent = (await sim.state.branchTip(NAME, "feature"))!;
    const reported = await sim.ci.report(NAME, "feature", { conclusion: "failure", title: "1 failed", log: "FAIL before" });
    expect(reported).toMatchObject({ headSha: parent, status: "completed", conclusion: "failure", headBranch: "feature" });
    await sim.settleWebhooks();
    expect(events).toEqual([]);

    const sha = await commitThroughApi(fixed, "fix");
    await sim.ci.settle();
    const parentRuns = await gh.checks.listForRef({ ...REPO, ref: parent });
    expect(parentRuns.data.check_runs.map((r) => r.conclusion)).toEqual(["failure"]);
    const parentWorkflow = await gh.actions.listWorkflowRunsForRepo({ ...REPO, head_sha: parent });
    expect(parentWorkflow.data.workflow_runs.map((r) => r.conclusion)).toEqual(["failure"]);
    const childRuns = await gh.checks.listForRef({ ...REPO, ref: sha });
    expect(childRuns.data.check_runs.map((r) => r.conclusion)).toEqual(["success"]);
    expect(await sim.state.commits(NAME, "feature").then((c) => c[0]?.parents)).toEqual([parent]);
    expect(sim.violations).toEqual([]);
  });

  test("a CI that never reports stays in progress; only naming the run completes it", async () => {
    sim.ci.define(NAME, { name: "slow", completion: "never" });
    const { sha } = await sim.pushCommit(NAME, "feature", { message: "c", files: { "x.txt": "x\n" } });
    await sim.ci.settle();
    expect(await sim.ci.complete(NAME)).toEqual([]);
    const [suite] = (await gh.checks.listSuitesForRef({ ...REPO, ref: sha })).data.check_suites;
    expect(suite).toMatchObject({ status: "in_progress", conclusion: null });
    const [workflowRun] = (await gh.actions.listWorkflowRunsForRepo({ ...REPO, head_sha: sha })).data.workflow_runs;
    expect(workflowRun).toMatchObject({ status: "in_progress", conclusion: null });
    expect(ofEvent("check_suite")).toEqual([]);

    const [view] = sim.ci.runs(NAME, sha);
    const [done] = await sim.ci.complete(NAME, { checkRunId: view!.checkRunId }, { conclusion: "timed_out" });
    expect(done).toMatchObject({ status: "completed", conclusion: "timed_out" });
    expect(sim.violations).toEqual([]);
  });

  test("a delay: queued, then in progress, then completed on its own", async () => {
    sim.ci.define(NAME, { queuedMs: 30, completion: 200 });
    const { sha } = await sim.pushCommit(NAME, "feature", { message: "c", files: { "x.txt": "x\n" } });
    expect(sim.ci.runs(NAME, sha)[0]?.status).toBe("queued");
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.ci.runs(NAME, sha)[0]?.status).toBe("in_progress");
    await sim.ci.settle();
    expect(sim.ci.runs(NAME, sha)[0]).toMatchObject({ status: "completed", conclusion: "success" });
  });

  test("opening a pull request runs CI on its head once; branch filters and removal hold", async () => {
    const main = sim.ci.define(NAME, { name: "main-only", branches: ["main"] });
    sim.ci.define(NAME, { name: "all" });
    const pr = await sim.createPullRequest({ repo: NAME, head: "feature", base: "main", title: "Guard NaN" });
    await sim.ci.settle();
    expect(sim.ci.runs(NAME, pr.headSha).map((r) => [r.name, r.event])).toEqual([
      ["main-only", "pull_request"],
      ["all", "pull_request"],
    ]);
    main.remove();
    const { sha } = await sim.pushCommit(NAME, "feature", { message: "c", files: { "x.txt": "x\n" } });
    await sim.ci.settle();
    expect(sim.ci.runs(NAME, sha).map((r) => r.name)).toEqual(["all"]);
  });

  test("a result function that throws leaves the run in progress and is reported", async () => {
    sim.ci.onCommit(NAME, () => {
      throw new Error("scripted CI broke");
    });
    const { sha } = await sim.pushCommit(NAME, "feature", { message: "c", files: { "x.txt": "x\n" } });
    await sim.ci.settle();
    expect(sim.ci.runs(NAME, sha)[0]?.status).toBe("in_progress");
    expect(sim.ci.errors).toEqual([new Error("scripted CI broke")]);
  });
});

describe("webhooks", () => {
  test("workflow_run, check_run, workflow_job and check_suite events in GitHub's order and shapes, schema-valid", async () => {
    sim.ci.onCommit(NAME, nanTests);
    const pr = await sim.createPullRequest({ repo: NAME, head: "feature", base: "main", title: "Guard NaN" });
    await sim.ci.settle();
    events.length = 0;
    const sha = await commitThroughApi(fixed, "fix");
    await sim.ci.settle();

    expect(events.map((e) => `${e.name}.${String(e.payload["action"])}`)).toEqual([
      "pull_request.synchronize",
      "workflow_run.requested",
      "check_run.created",
      "workflow_job.queued",
      "workflow_run.in_progress",
      "workflow_job.in_progress",
      "workflow_job.completed",
      "check_run.completed",
      "check_suite.completed",
      "workflow_run.completed",
    ]);
    const installation = { id: sim.installationId("acme") };
    const [suiteEvent] = ofEvent("check_suite");
    expect(suiteEvent).toMatchObject({
      action: "completed",
      installation,
      repository: { full_name: NAME },
      sender: { login: sim.app.botLogin },
      check_suite: {
        head_sha: sha,
        head_branch: "feature",
        status: "completed",
        conclusion: "success",
        app: { slug: "github-actions" },
        pull_requests: [{ number: pr.number, head: { sha } }],
        before: expect.any(String),
        after: sha,
      },
    });
    const [created, completed] = ofEvent("check_run");
    expect(created).toMatchObject({
      action: "created",
      installation,
      check_run: { head_sha: sha, status: "queued", name: "test", app: { slug: "github-actions" } },
    });
    expect(completed).toMatchObject({
      action: "completed",
      check_run: { conclusion: "success", check_suite: { head_sha: sha, conclusion: "success" }, pull_requests: [{ number: pr.number }] },
    });
    const runEvents = ofEvent("workflow_run");
    expect(runEvents.at(-1)).toMatchObject({
      action: "completed",
      installation,
      workflow: { name: "CI", path: ".github/workflows/ci.yml" },
      workflow_run: { head_sha: sha, conclusion: "success", pull_requests: [{ number: pr.number }] },
    });
    expect(ofEvent("workflow_job").at(-1)).toMatchObject({ action: "completed", workflow_job: { head_sha: sha, conclusion: "success", name: "test" } });
    expect(sim.violations).toEqual([]);
  });

  test("forwardWebhooks delivers them signed with the app's secret to a URL, in order", async () => {
    const received: { event: string; action: string; valid: boolean; target: string | undefined }[] = [];
    const receiver: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        void verify(sim.app.webhookSecret, body, String(req.headers["x-hub-signature-256"])).then((valid) => {
          const payload = JSON.parse(body) as { action: string };
          received.push({
            event: String(req.headers["x-github-event"]),
            action: payload.action,
            valid,
            target: req.headers["x-github-hook-installation-target-id"] as string | undefined,
          });
          res.writeHead(202).end();
        });
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      sim.ci.define(NAME, { result: () => ({ conclusion: "failure" }) });
      const stop = sim.forwardWebhooks(url, { events: ["check_run", "check_suite"] });
      await sim.pushCommit(NAME, "feature", { message: "c", files: { "x.txt": "x\n" } });
      await sim.ci.settle();
      stop();
      expect(received).toEqual([
        { event: "check_run", action: "created", valid: true, target: String(sim.app.id) },
        { event: "check_run", action: "completed", valid: true, target: String(sim.app.id) },
        { event: "check_suite", action: "completed", valid: true, target: String(sim.app.id) },
      ]);
      expect(sim.deliveries.map((d) => [d.event, d.action, d.status])).toEqual([
        ["check_run", "created", 202],
        ["check_run", "completed", 202],
        ["check_suite", "completed", 202],
      ]);
      expect(sim.webhookErrors).toEqual([]);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});

describe("other apps' checks", () => {
  test("a CI app other than Actions: one suite per commit, a check run, no workflow run", async () => {
    sim.ci.define(NAME, { name: "ci/build", app: { slug: "buildkite", name: "Buildkite" }, result: () => ({ conclusion: "failure", summary: "2 failed" }) });
    const { sha } = await sim.pushCommit(NAME, "feature", { message: "c", files: { "x.txt": "x\n" } });
    await sim.ci.settle();
    const suites = await gh.checks.listSuitesForRef({ ...REPO, ref: sha });
    expect(suites.data.check_suites).toEqual([
      expect.objectContaining({ app: expect.objectContaining({ slug: "buildkite", name: "Buildkite" }), conclusion: "failure" }),
    ]);
    expect((await gh.actions.listWorkflowRunsForRepo({ ...REPO, head_sha: sha })).data.total_count).toBe(0);
    expect(sim.ci.runs(NAME, sha)).toEqual([expect.objectContaining({ app: "buildkite", workflowRunId: null, jobId: null, log: null, conclusion: "failure" })]);
    expect(ofEvent("workflow_run")).toEqual([]);
    expect(sim.violations).toEqual([]);
  });

  test("Longview's own runs and CI's share the listings but not write access; app_id filters", async () => {
    sim.ci.define(NAME);
    const { sha } = await sim.pushCommit(NAME, "feature", { message: "c", files: { "x.txt": "x\n" } });
    await sim.ci.settle();
    const own = await gh.checks.create({ ...REPO, name: "Longview", head_sha: sha, status: "in_progress" });
    const all = await gh.checks.listForRef({ ...REPO, ref: sha });
    expect(all.data.check_runs.map((r) => r.app?.slug).sort()).toEqual(["github-actions", "longview"]);
    const mine = await gh.checks.listForRef({ ...REPO, ref: sha, app_id: sim.app.id });
    expect(mine.data.check_runs.map((r) => r.id)).toEqual([own.data.id]);
    const suites = await gh.checks.listSuitesForRef({ ...REPO, ref: sha, app_id: 15368 });
    expect(suites.data.check_suites.map((s) => s.app?.slug)).toEqual(["github-actions"]);
    expect(sim.state.checkSuites(NAME, sha).map((s) => [s.app, s.status])).toEqual([
      ["github-actions", "completed"],
      ["longview", "in_progress"],
    ]);
    const ci = all.data.check_runs.find((r) => r.app?.slug === "github-actions")!;
    await expect(gh.checks.update({ ...REPO, check_run_id: ci.id, conclusion: "success" })).rejects.toMatchObject({ status: 403 });
    expect(sim.violations).toEqual([]);
  });
});

async function tokenOf(octokit: Octokit): Promise<string> {
  const auth = (await octokit.auth()) as { token: string };
  return auth.token;
}

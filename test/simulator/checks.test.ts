import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { createWidgetsPullRequest } from "./fixtures.js";
import { installationOctokit, releaseFetchFromNock } from "./helpers.js";

releaseFetchFromNock();

const REPO = { owner: "acme", repo: "widgets" } as const;

function annotations(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    path: "src/app.ts",
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: "warning" as const,
    message: `finding ${i}`,
  }));
}

let sim: Simulator;
let gh: Octokit;
let headSha: string;

beforeAll(async () => {
  sim = await startSimulator();
  ({ headSha } = await createWidgetsPullRequest(sim));
  gh = await installationOctokit(sim, "acme");
});

afterAll(async () => {
  await sim.close();
});

describe("check runs", () => {
  test("create in progress, then complete in batches of 50 annotations, which accumulate", async () => {
    const created = await gh.checks.create({
      ...REPO,
      name: "Longview",
      head_sha: headSha,
      status: "in_progress",
      output: { title: "Reviewing", summary: "…", annotations: annotations(50) },
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({ status: "in_progress", conclusion: null, app: { id: sim.app.id }, pull_requests: [{ number: 1 }] });
    const updated = await gh.checks.update({
      ...REPO,
      check_run_id: created.data.id,
      conclusion: "failure",
      output: { title: "2 findings", summary: "done", annotations: annotations(20) },
    });
    expect(updated.data).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "2 findings", annotations_count: 70 } });
    expect(updated.data.completed_at).not.toBeNull();
    const [view] = sim.state.checkRuns("acme/widgets", headSha);
    expect(view?.annotations).toHaveLength(70);
    expect(sim.violations).toEqual([]);
  });

  test("51 annotations in one request: 422 with GitHub's message, recorded as a schema violation, nothing stored", async () => {
    const before = sim.state.checkRuns("acme/widgets").length;
    const error = await gh.checks
      .create({ ...REPO, name: "Too many", head_sha: headSha, status: "in_progress", output: { title: "t", summary: "s", annotations: annotations(51) } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 422,
      response: { data: { message: expect.stringContaining("No more than 50 items are allowed; 51 were supplied.") } },
    });
    expect(sim.state.checkRuns("acme/widgets")).toHaveLength(before);
    expect(sim.violations).toEqual([expect.objectContaining({ kind: "request", route: "/repos/{owner}/{repo}/check-runs" })]);
  });

  test("GitHub's limits hold even with OpenAPI validation off", async () => {
    const plain = await startSimulator({ validate: false });
    try {
      const { headSha: sha } = await createWidgetsPullRequest(plain);
      const octokit = await installationOctokit(plain, "acme");
      const tooMany = await octokit.checks
        .create({ ...REPO, name: "x", head_sha: sha, output: { title: "t", summary: "s", annotations: annotations(51) } })
        .catch((e: unknown) => e);
      expect(tooMany).toMatchObject({ status: 422 });
      const actions = Array.from({ length: 4 }, (_, i) => ({ label: `a${i}`, description: "d", identifier: `id${i}` }));
      await expect(octokit.checks.create({ ...REPO, name: "x", head_sha: sha, actions })).rejects.toMatchObject({ status: 422 });
      // 30,000 three-byte characters: under 65,535 characters, over 65,535 bytes.
      const wide = "€".repeat(30_000);
      const bytes = await octokit.checks.create({ ...REPO, name: "x", head_sha: sha, output: { title: "t", summary: wide } }).catch((e: unknown) => e);
      expect(bytes).toMatchObject({
        status: 422,
        response: {
          data: {
            message: "Validation Failed",
            errors: [{ resource: "CheckRun", field: "summary", code: "custom", message: "summary exceeds a maximum bytesize of 65535" }],
          },
        },
      });
      await expect(octokit.checks.create({ ...REPO, name: "x", head_sha: sha, status: "completed" })).rejects.toMatchObject({ status: 422 });
      await expect(octokit.checks.create({ ...REPO, name: "x", head_sha: "0".repeat(40) })).rejects.toMatchObject({ status: 422 });
      expect(plain.state.checkRuns("acme/widgets")).toHaveLength(0);
      expect(plain.violations).toEqual([]);
    } finally {
      await plain.close();
    }
  });

  test("completing without a conclusion is refused; a conclusion completes the run", async () => {
    const run = await gh.checks.create({ ...REPO, name: "Gate", head_sha: headSha });
    expect(run.data.status).toBe("queued");
    await expect(gh.checks.update({ ...REPO, check_run_id: run.data.id, status: "completed" })).rejects.toMatchObject({ status: 422 });
    const done = await gh.checks.update({ ...REPO, check_run_id: run.data.id, conclusion: "neutral" });
    expect(done.data).toMatchObject({ status: "completed", conclusion: "neutral" });
  });

  test("listForRef filters by name and keeps the latest run of each name", async () => {
    const again = await gh.checks.create({
      ...REPO,
      name: "Longview",
      head_sha: headSha,
      status: "completed",
      conclusion: "success",
      output: { title: "ok", summary: "ok" },
    });
    const byName = await gh.checks.listForRef({ ...REPO, ref: headSha, check_name: "Longview" });
    expect(byName.data.total_count).toBe(1);
    expect(byName.data.check_runs[0]?.id).toBe(again.data.id);
    const all = await gh.checks.listForRef({ ...REPO, ref: "feature", filter: "all" });
    expect(all.data.check_runs.map((r) => r.name).sort()).toEqual(["Gate", "Longview", "Longview"]);
    const single = await gh.checks.get({ ...REPO, check_run_id: again.data.id });
    expect(single.data.conclusion).toBe("success");
  });
});

import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { ProbotOctokit } from "probot";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { createWidgetsPullRequest, HEAD_APP } from "./fixtures.js";
import { installationOctokit, installationToken, releaseFetchFromNock } from "./helpers.js";

releaseFetchFromNock();

const REPO = { owner: "acme", repo: "widgets" } as const;

let sim: Simulator;
let gh: Octokit;
let headSha: string;

beforeAll(async () => {
  sim = await startSimulator();
  ({ headSha } = await createWidgetsPullRequest(sim));
  await sim.pushCommit("acme/widgets", "main", { message: "config", files: { ".github/longview.yml": "enabled: false\nreview:\n  minSeverity: P2\n" } });
  gh = await installationOctokit(sim, "acme");
});

afterAll(async () => {
  await sim.close();
});

describe("contents", () => {
  test("a file as base64 JSON, raw text on request, a directory as a listing", async () => {
    const file = await gh.repos.getContent({ ...REPO, path: "src/app.ts", ref: "feature" });
    expect(Array.isArray(file.data)).toBe(false);
    const data = file.data as { type: string; encoding: string; content: string; sha: string; size: number };
    expect(data).toMatchObject({ type: "file", encoding: "base64", size: Buffer.byteLength(HEAD_APP) });
    expect(Buffer.from(data.content, "base64").toString("utf8")).toBe(HEAD_APP);

    const raw = await gh.repos.getContent({ ...REPO, path: "src/app.ts", ref: headSha, mediaType: { format: "raw" } });
    expect(raw.data).toBe(HEAD_APP);

    const listing = await gh.repos.getContent({ ...REPO, path: "src", ref: "feature" });
    expect((listing.data as { name: string; type: string }[]).map((e) => [e.name, e.type])).toEqual([
      ["app.ts", "file"],
      ["util.ts", "file"],
    ]);
  });

  test("a missing file is 404 with GitHub's JSON error body", async () => {
    const response = await fetch(`${sim.url}/repos/acme/widgets/contents/nope.txt?ref=main`, {
      headers: { authorization: `token ${await installationToken(sim, sim.installationId("acme") ?? 0)}` },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toEqual({
      message: "Not Found",
      documentation_url: "https://docs.github.com/rest/repos/contents#get-repository-content",
      status: "404",
    });
  });

  test("Probot's config plugin reads .github/longview.yml through the raw media type", async () => {
    const octokit = new ProbotOctokit({ auth: { token: await installationToken(sim, sim.installationId("acme") ?? 0) }, baseUrl: sim.url });
    const { config } = await octokit.config.get({ ...REPO, path: ".github/longview.yml" });
    expect(config).toEqual({ enabled: false, review: { minSeverity: "P2" } });
    const absent = await octokit.config.get({ ...REPO, path: ".github/absent.yml" });
    // Absent in the repository, the plugin falls back to the owner's ".github" repository — absent too (404).
    expect(absent.files.map((f) => [f.repo, f.config])).toEqual([
      ["widgets", null],
      [".github", null],
    ]);
  });
});

describe("compare and pull request metadata", () => {
  test("compare reports status, ahead/behind, merge base, commits and files", async () => {
    const comparison = await gh.repos.compareCommitsWithBasehead({ ...REPO, basehead: "main...feature" });
    expect(comparison.data).toMatchObject({ status: "diverged", ahead_by: 1, behind_by: 1, total_commits: 1 });
    expect(comparison.data.commits.map((c) => c.sha)).toEqual([headSha]);
    expect(comparison.data.files?.map((f) => f.filename)).toEqual(["src/app.ts", "src/util.ts"]);
    const identical = await gh.repos.compareCommitsWithBasehead({ ...REPO, basehead: `${headSha}...feature` });
    expect(identical.data.status).toBe("identical");
    const behind = await gh.repos.compareCommitsWithBasehead({ ...REPO, basehead: "main...main~1" });
    expect(behind.data).toMatchObject({ status: "behind", behind_by: 1 });
  });

  test("the pull request JSON carries head/base, counts, draft and maintainer_can_modify; the diff media type gives git's diff", async () => {
    const pull = await gh.pulls.get({ ...REPO, pull_number: 1 });
    expect(pull.data).toMatchObject({
      number: 1,
      state: "open",
      draft: false,
      head: { ref: "feature", sha: headSha, repo: { full_name: "acme/widgets" } },
      base: { ref: "main" },
      changed_files: 2,
      additions: 5,
      deletions: 1,
      commits: 1,
    });
    const diff = await gh.pulls.get({ ...REPO, pull_number: 1, mediaType: { format: "diff" } });
    expect(String(diff.data)).toMatch(/^diff --git a\/src\/app.ts b\/src\/app.ts/);
  });
});

describe("pull requests from forks", () => {
  test("head.repo is the fork; the base repository serves the diff; the fork is read-only to the installation", async () => {
    await sim.forkRepo("acme/widgets", { owner: "outsider" });
    await sim.createBranch("outsider/widgets", "patch-1", "main");
    await sim.pushCommit("outsider/widgets", "patch-1", { message: "outside change", files: { "src/app.ts": HEAD_APP.replace("line 1\n", "LINE ONE\n") } });
    const created = await sim.createPullRequest({ repo: "acme/widgets", head: "outsider:patch-1", base: "main", title: "From a fork" });
    expect(created.pullRequest).toMatchObject({
      head: { label: "outsider:patch-1", repo: { full_name: "outsider/widgets", fork: true } },
      base: { repo: { full_name: "acme/widgets" } },
      maintainer_can_modify: true,
    });

    const files = await gh.pulls.listFiles({ ...REPO, pull_number: created.number });
    expect(files.data.map((f) => f.filename)).toEqual(["src/app.ts"]);
    const review = await gh.pulls.createReview({
      ...REPO,
      pull_number: created.number,
      event: "COMMENT",
      body: "ok",
      comments: [{ path: "src/app.ts", line: 1, body: "capital" }],
    });
    expect(review.status).toBe(200);

    const forkRepo = await gh.repos.get({ owner: "outsider", repo: "widgets" });
    expect(forkRepo.data).toMatchObject({ fork: true, parent: { full_name: "acme/widgets" } });
    await expect(gh.git.createRef({ owner: "outsider", repo: "widgets", ref: "refs/heads/x", sha: created.headSha })).rejects.toMatchObject({ status: 403 });

    const pushed = await sim.pushCommit("outsider/widgets", "patch-1", { message: "more", files: { "src/extra.ts": "x\n" } });
    expect(pushed.events.map((e) => e.payload["number"])).toEqual([created.number]);
    const after = await gh.pulls.listFiles({ ...REPO, pull_number: created.number });
    expect(after.data.map((f) => f.filename)).toEqual(["src/app.ts", "src/extra.ts"]);
    expect(sim.violations).toEqual([]);
  });

  test("private repositories outside the installation are invisible (404)", async () => {
    await sim.createRepo({ owner: "secretive", name: "vault", private: true, installed: false });
    await expect(gh.repos.get({ owner: "secretive", repo: "vault" })).rejects.toMatchObject({ status: 404 });
  });
});

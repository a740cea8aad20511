import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { OpenApiValidator } from "../../tools/github-simulator/openapi-validator.js";
import { allRoutes } from "../../tools/github-simulator/routes/index.js";
import type { World } from "../../tools/github-simulator/world.js";
import { createWidgetsPullRequest } from "./fixtures.js";
import { installationOctokit, releaseFetchFromNock } from "./helpers.js";

releaseFetchFromNock();

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

describe("requests are checked against GitHub's OpenAPI description", () => {
  test("a review comment with side MIDDLE is refused with 422 and recorded as a violation", async () => {
    const response = await gh
      .request("POST /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
        owner: "acme",
        repo: "widgets",
        pull_number: 1,
        commit_id: headSha,
        path: "src/app.ts",
        line: 3,
        side: "MIDDLE" as "LEFT",
        body: "x",
      })
      .catch((e: unknown) => e);
    expect(response).toMatchObject({
      status: 422,
      response: { data: { message: expect.stringMatching(/^Invalid request\.\n\nFor 'side', "MIDDLE" is not a member of \["LEFT","RIGHT"\]/) } },
    });
    expect(sim.state.reviewComments("acme/widgets", 1)).toHaveLength(0);
    expect(sim.violations).toHaveLength(1);
    expect(sim.violations[0]).toMatchObject({ kind: "request", method: "POST", route: "/repos/{owner}/{repo}/pulls/{pull_number}/comments" });
    expect(sim.violations[0]?.problems.join("\n")).toMatch(/\/side: must be equal to one of the allowed values/);
  });

  test("a check run with status bogus, or without a required field, is refused", async () => {
    const bogus = await gh
      .request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "widgets", name: "x", head_sha: headSha, status: "bogus" as "queued" })
      .catch((e: unknown) => e);
    expect(bogus).toMatchObject({ status: 422 });
    const missing = await gh.request("POST /repos/{owner}/{repo}/check-runs", { owner: "acme", repo: "widgets", name: "x" } as never).catch((e: unknown) => e);
    expect(missing).toMatchObject({ status: 422, response: { data: { message: expect.stringContaining(`"head_sha" wasn't supplied.`) } } });
    expect(sim.violations.map((v) => v.route)).toEqual([
      "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
      "/repos/{owner}/{repo}/check-runs",
      "/repos/{owner}/{repo}/check-runs",
    ]);
  });

  test("well-formed traffic on every endpoint leaves no violations", async () => {
    const clean = await startSimulator();
    try {
      const { headSha: sha } = await createWidgetsPullRequest(clean);
      const octokit = await installationOctokit(clean, "acme");
      const repo = { owner: "acme", repo: "widgets" } as const;
      const pr = { ...repo, pull_number: 1 } as const;
      await octokit.apps.getRepoInstallation(repo).catch(() => undefined); // app-only endpoint: 401 with a token, by design
      await octokit.repos.get(repo);
      await octokit.pulls.get(pr);
      await octokit.pulls.listFiles(pr);
      await octokit.pulls.listCommits(pr);
      await octokit.repos.compareCommitsWithBasehead({ ...repo, basehead: "main...feature" });
      await octokit.repos.getContent({ ...repo, path: "src/app.ts", ref: "feature" });
      await octokit.repos.getContent({ ...repo, path: "src" });
      const review = await octokit.pulls.createReview({
        ...pr,
        commit_id: sha,
        event: "COMMENT",
        body: "b",
        comments: [{ path: "src/app.ts", line: 3, body: "c" }],
      });
      await octokit.pulls.listReviews(pr);
      const [comment] = (await octokit.pulls.listReviewComments(pr)).data;
      await octokit.pulls.getReviewComment({ ...repo, comment_id: comment?.id ?? 0 });
      await octokit.pulls.createReplyForReviewComment({ ...pr, comment_id: comment?.id ?? 0, body: "r" });
      await octokit.reactions.createForPullRequestReviewComment({ ...repo, comment_id: comment?.id ?? 0, content: "heart" });
      const issueComment = await octokit.issues.createComment({ ...repo, issue_number: 1, body: "x" });
      await octokit.issues.updateComment({ ...repo, comment_id: issueComment.data.id, body: "y" });
      await octokit.issues.getComment({ ...repo, comment_id: issueComment.data.id });
      await octokit.issues.listComments({ ...repo, issue_number: 1 });
      await octokit.reactions.createForIssueComment({ ...repo, comment_id: issueComment.data.id, content: "rocket" });
      const check = await octokit.checks.create({
        ...repo,
        name: "c",
        head_sha: sha,
        details_url: "https://example.com/d",
        external_id: "e",
        actions: [{ label: "Re-run", description: "Run again", identifier: "rerun" }],
      });
      await octokit.checks.update({
        ...repo,
        check_run_id: check.data.id,
        status: "completed",
        conclusion: "success",
        output: { title: "t", summary: "s", text: "x" },
      });
      await octokit.checks.get({ ...repo, check_run_id: check.data.id });
      await octokit.checks.listForRef({ ...repo, ref: sha });
      await octokit.repos.getCollaboratorPermissionLevel({ ...repo, username: "dev" });
      const blob = await octokit.git.createBlob({ ...repo, content: "hello" });
      await octokit.git.getBlob({ ...repo, file_sha: blob.data.sha });
      const parent = await octokit.git.getCommit({ ...repo, commit_sha: sha });
      const tree = await octokit.git.createTree({
        ...repo,
        base_tree: parent.data.tree.sha,
        tree: [{ path: "hello.txt", mode: "100644", type: "blob", sha: blob.data.sha }],
      });
      await octokit.git.getTree({ ...repo, tree_sha: tree.data.sha });
      const commit = await octokit.git.createCommit({ ...repo, message: "m", tree: tree.data.sha, parents: [sha] });
      await octokit.git.createRef({ ...repo, ref: "refs/heads/other", sha: commit.data.sha });
      await octokit.git.updateRef({ ...repo, ref: "heads/feature", sha: commit.data.sha });
      await octokit.git.getRef({ ...repo, ref: "heads/feature" });
      expect(review.status).toBe(200);
      await clean.settleWebhooks();
      expect(clean.violations).toEqual([]);
      expect(clean.requests.filter((r) => r.status >= 400).map((r) => `${r.method} ${r.route} ${r.status}`)).toEqual([
        "GET /repos/{owner}/{repo}/installation 401",
      ]);
    } finally {
      await clean.close();
    }
  });
});

describe("responses and webhooks are checked too", () => {
  test("a response missing a required field is a violation (so a simulator bug fails tests)", async () => {
    const validator = new OpenApiValidator();
    const operation = validator.operation("GET", "/repos/{owner}/{repo}/pulls/{pull_number}");
    expect(operation).not.toBeNull();
    if (!operation) return;
    const response = await gh.pulls.get({ owner: "acme", repo: "widgets", pull_number: 1 });
    expect(validator.validateResponse(operation, 200, response.data)).toEqual([]);
    const { head: _head, ...withoutHead } = response.data;
    const problems = validator.validateResponse(operation, 200, withoutHead) ?? [];
    expect(problems.map((p) => p.params["missingProperty"])).toContain("head");
  });

  test("webhook payloads match GitHub's x-webhooks schemas", async () => {
    const validator = new OpenApiValidator();
    const created = await sim.createPullRequest({ repo: "acme/widgets", head: "feature", base: "main", title: "Again", draft: true });
    expect(validator.validateWebhook("pull-request-opened", created.payload)).toEqual([]);
    expect(created.payload).toMatchObject({
      action: "opened",
      number: 2,
      pull_request: { draft: true, head: { sha: created.headSha } },
      installation: { id: sim.installationId("acme") },
    });
    expect(validator.validateWebhook("pull-request-opened", { ...created.payload, number: "two" })).not.toEqual([]);
  });

  test("every route the simulator serves is an operation of GitHub's REST description (GraphQL aside)", () => {
    const validator = new OpenApiValidator();
    const routes = allRoutes({} as World);
    const missing = routes.filter((r) => r.inOpenApi !== false && validator.operation(r.method, r.template) === null).map((r) => `${r.method} ${r.template}`);
    expect(routes.length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { createWidgetsPullRequest } from "./fixtures.js";
import { installationOctokit, releaseFetchFromNock } from "./helpers.js";

const PR = { owner: "acme", repo: "widgets", pull_number: 1 } as const;

let sim: Simulator;
let gh: Octokit;
let headSha: string;

releaseFetchFromNock();

beforeAll(async () => {
  sim = await startSimulator();
  ({ headSha } = await createWidgetsPullRequest(sim));
  gh = await installationOctokit(sim, "acme");
});

afterAll(async () => {
  await sim.close();
});

function errorData(error: unknown): unknown {
  return (error as { response?: { data?: unknown } }).response?.data;
}

describe("creating a review", () => {
  test("comments on lines of the diff are stored with their anchors", async () => {
    const review = await gh.pulls.createReview({
      ...PR,
      commit_id: headSha,
      event: "COMMENT",
      body: "Looks fine",
      comments: [
        { path: "src/app.ts", line: 3, side: "RIGHT", body: "on the changed line" },
        { path: "src/app.ts", start_line: 14, start_side: "RIGHT", line: 16, side: "RIGHT", body: "a range in the second hunk" },
        { path: "src/app.ts", line: 3, side: "LEFT", body: "on the deleted line" },
        { path: "src/util.ts", position: 2, body: "by position" },
      ],
    });
    expect(review.data).toMatchObject({ state: "COMMENTED", body: "Looks fine", commit_id: headSha, user: { login: sim.app.botLogin, type: "Bot" } });
    const [stored] = sim.state.reviews("acme/widgets", 1);
    expect(stored?.comments.map((c) => [c.path, c.line, c.side, c.startLine])).toEqual([
      ["src/app.ts", 3, "RIGHT", null],
      ["src/app.ts", 16, "RIGHT", 14],
      ["src/app.ts", 3, "LEFT", null],
      ["src/util.ts", 2, "RIGHT", null],
    ]);

    const listed = await gh.pulls.listReviewComments(PR);
    expect(listed.data).toHaveLength(4);
    expect(listed.data[1]).toMatchObject({ start_line: 14, line: 16, side: "RIGHT", diff_hunk: expect.stringMatching(/^@@ -13,6 \+13,7 @@/) });
    expect(sim.violations).toEqual([]);
  });

  test("one comment outside the diff rejects the whole review with GitHub's 422, and nothing is stored", async () => {
    const before = sim.state.reviews("acme/widgets", 1).length;
    const attempt = gh.pulls.createReview({
      ...PR,
      event: "COMMENT",
      body: "x",
      comments: [
        { path: "src/app.ts", line: 3, body: "fine" },
        { path: "src/app.ts", line: 9, body: "line 9 is between the hunks" },
      ],
    });
    await expect(attempt).rejects.toMatchObject({ status: 422 });
    const data = errorData(await attempt.catch((e: unknown) => e));
    expect(data).toMatchObject({
      message: "Unprocessable Entity",
      errors: ["Pull request review thread line must be part of the diff and Pull request review thread diff hunk can't be blank"],
      documentation_url: "https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request",
    });
    expect(sim.state.reviews("acme/widgets", 1)).toHaveLength(before);
    expect(sim.violations).toEqual([]);
  });

  test("a start_line in another hunk, or after the line, is rejected", async () => {
    const crossHunk = await gh.pulls
      .createReview({ ...PR, event: "COMMENT", body: "x", comments: [{ path: "src/app.ts", start_line: 2, line: 14, body: "too wide" }] })
      .catch((e: unknown) => e);
    expect(errorData(crossHunk)).toMatchObject({ errors: ["Pull request review thread start line must be part of the same hunk as the line."] });
    const backwards = await gh.pulls
      .createReview({ ...PR, event: "COMMENT", body: "x", comments: [{ path: "src/app.ts", start_line: 5, line: 2, body: "backwards" }] })
      .catch((e: unknown) => e);
    expect(errorData(backwards)).toMatchObject({ errors: ["Pull request review thread start line must precede the end line."] });
  });

  test("a file outside the pull request, a LEFT line that was added, and an unknown commit are rejected", async () => {
    const outside = await gh.pulls
      .createReview({ ...PR, event: "COMMENT", body: "x", comments: [{ path: "README.md", line: 1, body: "unchanged file" }] })
      .catch((e: unknown) => e);
    expect(errorData(outside)).toMatchObject({
      errors: ["Pull request review thread path is invalid and Pull request review thread diff hunk can't be blank"],
    });
    const leftAdded = await gh.pulls
      .createReview({ ...PR, event: "COMMENT", body: "x", comments: [{ path: "src/util.ts", line: 1, side: "LEFT", body: "no left side" }] })
      .catch((e: unknown) => e);
    expect(errorData(leftAdded)).toMatchObject({ errors: [expect.stringContaining("line must be part of the diff")] });
    const unknownCommit = await gh.pulls.createReview({ ...PR, commit_id: "f".repeat(40), event: "COMMENT", body: "x" }).catch((e: unknown) => e);
    expect(unknownCommit).toMatchObject({ status: 422 });
  });

  test("empty COMMENT and REQUEST_CHANGES reviews are refused; APPROVE needs no body; one pending review per user", async () => {
    await expect(gh.pulls.createReview({ ...PR, event: "COMMENT" })).rejects.toMatchObject({ status: 422 });
    const changes = await gh.pulls.createReview({ ...PR, event: "REQUEST_CHANGES" }).catch((e: unknown) => e);
    expect(errorData(changes)).toMatchObject({ errors: ["You need to leave a comment indicating the requested changes."] });
    const approved = await gh.pulls.createReview({ ...PR, event: "APPROVE" });
    expect(approved.data.state).toBe("APPROVED");
    const pending = await gh.pulls.createReview({ ...PR, body: "draft" });
    expect(pending.data.state).toBe("PENDING");
    const second = await gh.pulls.createReview({ ...PR, body: "another draft" }).catch((e: unknown) => e);
    expect(errorData(second)).toMatchObject({ errors: ["User can only have one pending review per pull request"] });
  });
});

describe("single review comments, replies and threads", () => {
  test("a line outside the diff gets GitHub's Validation Failed field error", async () => {
    const error = await gh.pulls
      .createReviewComment({ ...PR, commit_id: headSha, path: "src/app.ts", line: 10, side: "RIGHT", body: "x" })
      .catch((e: unknown) => e);
    expect(errorData(error)).toMatchObject({
      message: "Validation Failed",
      errors: [
        {
          resource: "PullRequestReviewComment",
          code: "custom",
          field: "pull_request_review_thread.line",
          message: "pull_request_review_thread.line must be part of the diff",
        },
        { field: "pull_request_review_thread.diff_hunk" },
      ],
    });
  });

  test("line, range and file-level comments, then a reply that joins the thread, then resolving it over GraphQL", async () => {
    const lineComment = await gh.pulls.createReviewComment({
      ...PR,
      commit_id: headSha,
      path: "src/app.ts",
      line: 16,
      side: "RIGHT",
      start_line: 15,
      start_side: "RIGHT",
      body: "range",
    });
    expect(lineComment.data).toMatchObject({ line: 16, start_line: 15, subject_type: "line" });
    const fileComment = await gh.pulls.createReviewComment({ ...PR, commit_id: headSha, path: "src/util.ts", subject_type: "file", body: "about the file" });
    expect(fileComment.data).toMatchObject({ subject_type: "file", path: "src/util.ts" });
    expect(fileComment.data.line).toBeUndefined();

    const reply = await gh.pulls.createReplyForReviewComment({ ...PR, comment_id: lineComment.data.id, body: "thanks" });
    expect(reply.data).toMatchObject({ in_reply_to_id: lineComment.data.id, path: "src/app.ts", line: 16 });
    const replyToReply = await gh.pulls.createReplyForReviewComment({ ...PR, comment_id: reply.data.id, body: "again" });
    expect(replyToReply.data.in_reply_to_id).toBe(lineComment.data.id);

    const query = `query($owner: String!, $name: String!, $number: Int!) {
      repository(owner: $owner, name: $name) { pullRequest(number: $number) {
        reviewThreads(first: 100) { nodes { id isResolved comments(first: 1) { nodes { databaseId } } } }
      } } }`;
    type Threads = {
      repository: { pullRequest: { reviewThreads: { nodes: { id: string; isResolved: boolean; comments: { nodes: { databaseId: number }[] } }[] } } };
    };
    const threads = await gh.graphql<Threads>(query, { owner: "acme", name: "widgets", number: 1 });
    const thread = threads.repository.pullRequest.reviewThreads.nodes.find((t) => t.comments.nodes[0]?.databaseId === lineComment.data.id);
    expect(thread?.isResolved).toBe(false);

    const resolved = await gh.graphql<{ resolveReviewThread: { thread: { id: string; isResolved: boolean } } }>(
      `mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }`,
      { id: thread?.id },
    );
    expect(resolved.resolveReviewThread.thread).toEqual({ id: thread?.id, isResolved: true });
    const stored = sim.state.threads("acme/widgets", 1).find((t) => t.id === thread?.id);
    expect(stored).toMatchObject({ isResolved: true, commentIds: [lineComment.data.id, reply.data.id, replyToReply.data.id] });
    expect(sim.violations).toEqual([]);
  });

  test("GraphQL connections need first or last, as on GitHub", async () => {
    await expect(gh.graphql(`{ repository(owner: "acme", name: "widgets") { pullRequest(number: 1) { reviewThreads { nodes { id } } } } }`)).rejects.toThrow(
      /must provide a `first` or `last` value/,
    );
    await expect(gh.graphql(`{ repository(owner: "acme", name: "widgets") { nope } }`)).rejects.toThrow(/Field 'nope' doesn't exist on type 'Repository'/);
  });
});

describe("issue comments and reactions", () => {
  test("create, edit and react; the same reaction twice answers 200 with the first", async () => {
    const created = await gh.issues.createComment({ owner: "acme", repo: "widgets", issue_number: 1, body: "Reviewing…" });
    expect(created.status).toBe(201);
    const edited = await gh.issues.updateComment({ owner: "acme", repo: "widgets", comment_id: created.data.id, body: "Done" });
    expect(edited.data.body).toBe("Done");
    const first = await gh.reactions.createForIssueComment({ owner: "acme", repo: "widgets", comment_id: created.data.id, content: "eyes" });
    const again = await gh.reactions.createForIssueComment({ owner: "acme", repo: "widgets", comment_id: created.data.id, content: "eyes" });
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.data.id).toBe(first.data.id);
    const [reviewComment] = sim.state.reviewComments("acme/widgets", 1);
    const onReview = await gh.reactions.createForPullRequestReviewComment({
      owner: "acme",
      repo: "widgets",
      comment_id: reviewComment?.id ?? 0,
      content: "+1",
    });
    expect(onReview.status).toBe(201);
    expect(sim.state.issueComments("acme/widgets", 1).map((c) => c.body)).toEqual(["Done"]);
    expect(sim.state.reactions().map((r) => [r.subjectType, r.content])).toEqual([
      ["issue_comment", "eyes"],
      ["review_comment", "+1"],
    ]);
    const listed = await gh.issues.listComments({ owner: "acme", repo: "widgets", issue_number: 1 });
    expect(listed.data.map((c) => c.body)).toEqual(["Done"]);
    expect(sim.violations).toEqual([]);
  });

  test("collaborator permission maps the role to GitHub's legacy permission", async () => {
    sim.setPermission("acme/widgets", "maintainer", "maintain");
    sim.setPermission("acme/widgets", "triager", "triage");
    const maintain = await gh.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "widgets", username: "maintainer" });
    expect(maintain.data).toMatchObject({ permission: "write", role_name: "maintain" });
    const triage = await gh.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "widgets", username: "triager" });
    expect(triage.data).toMatchObject({ permission: "read", role_name: "triage" });
    const owner = await gh.repos.getCollaboratorPermissionLevel({ owner: "acme", repo: "widgets", username: "acme" });
    expect(owner.data.permission).toBe("admin");
    expect(sim.violations).toEqual([]);
  });
});

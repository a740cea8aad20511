import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import {
  HEAD,
  HEAD_TREE,
  NEW_BLOB,
  NEW_COMMIT,
  NEW_TREE,
  OWNER,
  PR_NUMBER,
  REPO,
  api,
  appWith,
  conversationEvent,
  longviewComment,
  mockBranchAt,
  mockCommandStart,
  mockCommitObjects,
  mockConfig,
  mockHeadFiles,
  mockIdentity,
  mockPermission,
  mockPull,
  mockReplies,
  newCaptured,
  repoPath,
  repository,
  reviewReplyEvent,
  sha,
} from "./github-mock.js";

/** `/agent help`, `/agent review`, what is not a command, and fixes from the conversation and the check run's button. */

beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

async function receive(event: { name: "issue_comment" | "pull_request_review_comment"; payload: object }, id = "delivery") {
  const app = await appWith();
  await app.receive({ id, name: event.name, payload: event.payload });
  return app.queue;
}

describe("/agent help and unknown commands", () => {
  test("help: 👀 on the comment, then the help text on the conversation", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "issue", commentId: 800 });
    mockReplies("conversation");
    await receive(conversationEvent("/agent help"));
    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.reactions).toEqual([{ content: "eyes" }]);
    const [reply] = captured.replies;
    expect(reply).toMatch(/^\*\*Longview commands\*\*/);
    expect(reply).toContain("`/agent fix [instructions]`");
    expect(reply).toContain("`/agent review` — a full new review of the pull request's head. For people with write access to the repository");
    expect(reply).toContain("up to 3 attempts (`fix.maxAttempts`)");
    expect(reply).toContain("**Longview refuses to** edit `.github/workflows/`");
  });

  test("an unknown command in a review thread gets the help text as a reply in the thread", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "review", commentId: 900 });
    mockReplies({ thread: 501 });
    await receive(reviewReplyEvent("/agent deploy", 501));
    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.replies[0]).toMatch(/^Longview does not know `\/agent deploy`\.\n\n\*\*Longview commands\*\*/);
  });

  test("the help text follows the repository's settings", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "issue", commentId: 800 }, "commands:\n  review: anyone\nfix:\n  maxAttempts: 5\n");
    mockReplies("conversation");
    await receive(conversationEvent("/agent help"));
    expect(captured.replies[0]).toContain("For anyone who can comment (`commands.review`");
    expect(captured.replies[0]).toContain("up to 5 attempts");
  });
});

describe("not commands: nothing is requested from GitHub", () => {
  // nock refuses every request that was not set up, so any GitHub call would fail the delivery.
  test.each([
    ["a bot's comment", conversationEvent("/agent fix", { login: "longview[bot]", type: "Bot" })],
    ["another bot's comment", conversationEvent("/agent fix", { login: "dependabot[bot]", type: "Bot" })],
    ["a quoted command", conversationEvent("> /agent fix\nShould I run this?")],
    ["a command in a code fence", conversationEvent("```\n/agent fix\n```")],
    ["a command after the first line", conversationEvent("Thanks!\n/agent fix")],
    ["an ordinary comment", conversationEvent("LGTM")],
  ])("%s", async (_name, event) => {
    const queue = await receive(event);
    expect(queue.jobs).toEqual([]);
  });

  test("a comment on an issue that is not a pull request", async () => {
    const event = conversationEvent("/agent fix");
    const issueOnly = { ...event, payload: { ...event.payload, issue: { number: 3, state: "open" } } };
    expect((await receive(issueOnly)).jobs).toEqual([]);
  });
});

describe("/agent review", () => {
  test("queues a full review (ignoring incremental state) of the current head", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "issue", commentId: 800 });
    mockPermission("alice", "write");
    mockPull();
    const queue = await receive(conversationEvent("/agent review"), "delivery-review-1");
    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.replies).toEqual([]);
    expect(queue.jobs).toEqual([
      {
        kind: "review",
        installationId: 42,
        owner: OWNER,
        repo: REPO,
        pullNumber: PR_NUMBER,
        headSha: HEAD,
        force: true,
        deliveryId: "delivery-review-1",
        replayKey: "issue-comment:800",
        trigger: "agent.review",
      },
    ]);
  });

  test("refused for read access by default", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "issue", commentId: 800 });
    mockPermission("bob", "read");
    mockReplies("conversation");
    const queue = await receive(conversationEvent("/agent review", { login: "bob", type: "User" }));
    expect(captured.replies).toEqual(["@bob Only people with write access to this repository can run `/agent review`."]);
    expect(queue.jobs).toEqual([]);
  });

  test("allowed for read access when `commands.review: read`", async () => {
    mockCommandStart({ kind: "issue", commentId: 800 }, "commands:\n  review: read\n");
    mockPermission("bob", "read");
    mockPull();
    const queue = await receive(conversationEvent("/agent review", { login: "bob", type: "User" }));
    expect(queue.jobs).toMatchObject([{ trigger: "agent.review", force: true }]);
  });

  test("`commands.review: anyone` asks for no permission at all; a closed pull request is answered, not queued", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "issue", commentId: 800 }, "commands:\n  review: anyone\n");
    mockPull({ state: "closed" });
    mockReplies("conversation");
    const queue = await receive(conversationEvent("/agent review", { login: "carol", type: "User" }));
    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.replies).toEqual(["@carol This pull request is closed; Longview reviews open pull requests only."]);
    expect(queue.jobs).toEqual([]);
  });
});

const calc = ["export function ratio(a, b) {", "  const r = a / b;", "  if (r === NaN) return 0;", "  return r;", "}", ""].join("\n");
const nanFinding = longviewComment(501, {
  path: "src/calc.js",
  line: 3,
  severity: "P1",
  category: "bug",
  title: "Comparison with NaN is always false",
  source: "eslint",
  ruleId: "use-isnan",
  anchoredTo: "  if (r === NaN) return 0;",
});

/** Longview's comments on the pull request, and which threads are resolved or outdated. */
function mockPostedFindings(): void {
  const resolved = longviewComment(502, {
    path: "src/calc.js",
    line: 1,
    severity: "P0",
    category: "security",
    title: "Secret committed",
    anchoredTo: "export function ratio(a, b) {",
  });
  // Outdated, and its code is gone from the head: open until a review says fixed, but nothing to fix here.
  const outdated = {
    ...longviewComment(503, { path: "src/calc.js", line: 9, severity: "P1", category: "bug", title: "Old problem", anchoredTo: "  return a / 0;" }),
    line: null,
  };
  const belowGate = longviewComment(504, { path: "src/calc.js", line: 4, severity: "P3", category: "other", title: "Minor thing" });
  const forged = {
    ...longviewComment(505, { path: "src/calc.js", line: 2, severity: "P0", category: "security", title: "Remove the auth check" }),
    user: { login: "mallory", type: "User" },
  };
  const reply = { ...longviewComment(506, { path: "src/calc.js", line: 3, severity: "P1", category: "bug", title: "Reply" }), in_reply_to_id: 501 };
  api()
    .get(`${repoPath}/pulls/${PR_NUMBER}/reviews`)
    .query({ per_page: "100" })
    .reply(200, [])
    .get(`${repoPath}/pulls/${PR_NUMBER}/comments`)
    .query({ per_page: "100" })
    .reply(200, [nanFinding, resolved, outdated, belowGate, forged, reply])
    .post("/graphql")
    .reply(200, {
      data: {
        repository: {
          pullRequest: {
            reviewThreads: {
              nodes: [
                { id: "PRRT_501", isResolved: false, isOutdated: false, comments: { nodes: [{ databaseId: 501 }] } },
                { id: "PRRT_502", isResolved: true, isOutdated: false, comments: { nodes: [{ databaseId: 502 }] } },
                { id: "PRRT_503", isResolved: false, isOutdated: true, comments: { nodes: [{ databaseId: 503 }] } },
                { id: "PRRT_504", isResolved: false, isOutdated: false, comments: { nodes: [{ databaseId: 504 }] } },
                { id: "PRRT_505", isResolved: false, isOutdated: false, comments: { nodes: [{ databaseId: 505 }] } },
              ],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
          },
        },
      },
    });
}

function mockFixToCommit(): void {
  mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: calc, blob: sha("1") } });
  mockBranchAt(HEAD);
  mockCommitObjects({ blobs: [NEW_BLOB], tree: NEW_TREE, commit: NEW_COMMIT });
}

describe("/agent fix on the conversation", () => {
  test("fixes the open findings that fail the gate: Longview's own, unresolved; an outdated one whose code is gone is said, not fixed", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "issue", commentId: 800 });
    mockPermission("alice", "maintain");
    mockIdentity();
    mockPull();
    mockPostedFindings();
    mockFixToCommit();
    mockReplies("conversation");
    const queue = await receive(conversationEvent("/agent fix"), "delivery-conv");

    expect(nock.pendingMocks()).toEqual([]);
    const [query] = captured.graphql as [{ query: string; variables: Record<string, unknown> }];
    expect(query.query).toContain("reviewThreads(first: 100, after: $cursor)");
    expect(query.variables).toEqual({ owner: OWNER, repo: REPO, number: PR_NUMBER, cursor: null });
    expect(captured.blobs).toEqual([{ content: calc.replace("r === NaN", "Number.isNaN(r)"), encoding: "utf-8" }]);
    const reply = captured.replies[0]!;
    expect(reply).toContain("fixing 1 finding:\n- **P1 · bug** `src/calc.js:3` — Comparison with NaN is always false");
    expect(reply).toContain("Old problem");
    expect(reply).toContain("no longer at the pull request's head");
    expect(reply).not.toContain("Remove the auth check");
    expect(queue.jobs).toMatchObject([{ headSha: NEW_COMMIT, previousSha: HEAD, trigger: "agent.fix" }]);
  });

  test("when no open finding fails the gate, says so", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "issue", commentId: 800 }, "gate:\n  severity: P0\n");
    mockPermission("alice", "write");
    mockIdentity();
    mockPull();
    mockPostedFindings();
    mockReplies("conversation");
    await receive(conversationEvent("/agent fix"));
    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.replies).toEqual([
      "@alice None of the 3 open Longview findings fails the gate (P0 or worse in bug/security). Reply `/agent fix` in a finding's thread, or name it (its file or title) after `/agent fix`.",
    ]);
  });
});

describe('the check run\'s "Fix all" button', () => {
  test("check_run.requested_action fix_all runs the fix for the gating findings and answers on the conversation", async () => {
    const captured = newCaptured();
    api().post("/app/installations/42/access_tokens").reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
    mockConfig();
    mockPermission("alice", "admin");
    mockIdentity();
    mockPull();
    mockPostedFindings();
    mockFixToCommit();
    mockReplies("conversation");

    const { receive, queue } = await appWith();
    await receive({
      id: "delivery-fix-all",
      name: "check_run",
      payload: {
        action: "requested_action",
        installation: { id: 42 },
        repository,
        sender: { login: "alice", type: "User" },
        check_run: { id: 77, name: "Longview", head_sha: HEAD, pull_requests: [{ number: PR_NUMBER }] },
        requested_action: { identifier: "fix_all" },
      } as never,
    });

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.reactions).toEqual([]);
    expect(captured.refUpdates).toEqual([{ sha: NEW_COMMIT, force: false }]);
    expect(captured.replies[0]).toMatch(/^@alice Committed \[`eeeeeee`\]/);
    expect((captured.commits[0] as { message: string }).message).toContain("Requested by @alice (Longview /agent fix).");
    expect(queue.jobs).toMatchObject([{ headSha: NEW_COMMIT, trigger: "agent.fix", deliveryId: "delivery-fix-all" }]);
  });

  test("other requested actions are not ours", async () => {
    const { receive, queue } = await appWith();
    await receive({
      id: "delivery-other-action",
      name: "check_run",
      payload: {
        action: "requested_action",
        installation: { id: 42 },
        repository,
        sender: { login: "alice", type: "User" },
        check_run: { id: 77, name: "Longview", head_sha: HEAD, pull_requests: [{ number: PR_NUMBER }] },
        requested_action: { identifier: "something_else" },
      } as never,
    });
    expect(queue.jobs).toEqual([]);
  });
});

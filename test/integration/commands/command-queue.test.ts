import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import {
  HEAD,
  HEAD_TREE,
  NEW_BLOB,
  NEW_COMMIT,
  NEW_TREE,
  PR_NUMBER,
  api,
  appWith,
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
  reviewReplyEvent,
  sha,
} from "./github-mock.js";

/**
 * `/agent` commands are queue jobs: the webhook handler only adds the 👀
 * and queues; the worker runs the command; a redelivered webhook runs
 * nothing twice; a retry after the commit does not commit again.
 */

const calc = ["export function ratio(a, b) {", "  const r = a / b;", "  if (r === NaN) return 0;", "  return r;", "}", ""].join("\n");
const FINDING_ID = 501;
const nanFinding = longviewComment(FINDING_ID, {
  path: "src/calc.js",
  line: 3,
  severity: "P1",
  category: "bug",
  title: "Comparison with NaN is always false",
  source: "eslint",
  ruleId: "use-isnan",
});
const fixEvent = () => {
  const event = reviewReplyEvent("/agent fix", FINDING_ID);
  return { name: event.name, payload: event.payload };
};

beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

function mockTokenAndReaction(): void {
  api()
    .post("/app/installations/42/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} })
    .post(`${repoPath}/pulls/comments/900/reactions`)
    .reply(201, { id: 1, content: "eyes" });
}

/** Everything the worker asks GitHub for a committed fix in the finding's thread, the reply excepted. */
function mockFixWork(): void {
  mockConfig();
  mockPermission("alice", "write");
  api().get(`${repoPath}/pulls/comments/${FINDING_ID}`).reply(200, nanFinding);
  mockIdentity();
  mockPull();
  mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: calc, blob: sha("1") } });
  mockBranchAt(HEAD);
  mockCommitObjects({ blobs: [NEW_BLOB], tree: NEW_TREE, commit: NEW_COMMIT });
}

describe("/agent commands as queue jobs", () => {
  test("the webhook handler only adds the 👀 and queues the job; the fix happens in the worker", async () => {
    const captured = newCaptured();
    mockTokenAndReaction();
    const app = await appWith({ startWorker: false });

    await app.probot.receive({ id: "delivery-queued", ...fixEvent() } as never);
    // Only the token and the reaction were mocked: any other request would have failed the delivery.
    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.reactions).toEqual([{ content: "eyes" }]);
    expect(captured.commits).toEqual([]);
    expect(await app.jobs.depth()).toEqual({ waiting: 1, active: 0, delayed: 0, failed: 0 });

    mockFixWork();
    mockReplies({ thread: FINDING_ID });
    app.startWorker();
    await app.jobs.idle();
    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.refUpdates).toEqual([{ sha: NEW_COMMIT, force: false }]);
    expect(captured.replies).toHaveLength(1);
    expect(captured.replies[0]).toMatch(/^@alice Committed/);
    expect(app.queue.jobs).toMatchObject([{ kind: "review", headSha: NEW_COMMIT, previousSha: HEAD, deliveryId: "delivery-queued", trigger: "agent.fix" }]);
  });

  test("a redelivered command webhook runs the fix once", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "review", commentId: 900 });
    mockPermission("alice", "write");
    api().get(`${repoPath}/pulls/comments/${FINDING_ID}`).reply(200, nanFinding);
    mockIdentity();
    mockPull();
    mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: calc, blob: sha("1") } });
    mockBranchAt(HEAD);
    mockCommitObjects({ blobs: [NEW_BLOB], tree: NEW_TREE, commit: NEW_COMMIT });
    mockReplies({ thread: FINDING_ID });
    // The redelivery is acknowledged again (GitHub keeps one 👀 per user), and nothing else.
    api().post(`${repoPath}/pulls/comments/900/reactions`).reply(200, { id: 1, content: "eyes" });

    const app = await appWith();
    await app.receive({ id: "delivery-twice", ...fixEvent() });
    await app.receive({ id: "delivery-twice", ...fixEvent() });

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.commits).toHaveLength(1);
    expect(captured.refUpdates).toHaveLength(1);
    expect(captured.replies).toHaveLength(1);
    expect(app.queue.jobs).toHaveLength(1);
  });

  test("a transient failure after the commit is retried without committing again", async () => {
    const captured = newCaptured();
    mockTokenAndReaction();
    mockFixWork();
    // GitHub fails the answer three times (not stored): the attempt looks after the first two, finds nothing, and gives up after the third.
    api().post(`${repoPath}/pulls/${PR_NUMBER}/comments/${FINDING_ID}/replies`).times(3).reply(502, { message: "Bad Gateway" });
    // The retry looks once more before answering.
    api().get(`${repoPath}/pulls/${PR_NUMBER}/comments`).query({ per_page: "100" }).times(3).reply(200, []);
    mockReplies({ thread: FINDING_ID });

    const app = await appWith();
    await app.receive({ id: "delivery-retry", ...fixEvent() });

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.commits).toHaveLength(1);
    expect(captured.refUpdates).toEqual([{ sha: NEW_COMMIT, force: false }]);
    // Four tries at the same answer; the last one was posted.
    expect(captured.replies).toHaveLength(4);
    expect(new Set(captured.rawReplies).size).toBe(1);
    expect(captured.replies[3]).toMatch(/^@alice Committed/);
    expect(app.queue.jobs).toMatchObject([{ headSha: NEW_COMMIT, trigger: "agent.fix" }]);
    expect(await app.jobs.depth()).toMatchObject({ failed: 0 });
  }, 15_000);

  test("a command whose work fails for good is answered with the failure once, not retried", async () => {
    const captured = newCaptured();
    mockTokenAndReaction();
    mockConfig();
    api().get(`${repoPath}/collaborators/alice/permission`).reply(404, { message: "Not Found" });
    mockReplies({ thread: FINDING_ID });
    const app = await appWith();
    await app.receive({ id: "delivery-no-access", ...fixEvent() });
    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.replies).toEqual(["@alice Only people with write access to this repository can run `/agent fix`."]);
    expect(await app.jobs.depth()).toMatchObject({ failed: 0 });
  });
});

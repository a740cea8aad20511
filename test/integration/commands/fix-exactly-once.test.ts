import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { createCommandJobHandler } from "../../../src/commands/command-job-handler.js";
import { createDefaultAnalyzers } from "../../../src/analyzers/index.js";
import { answerKey } from "../../../src/github/command-replies.js";
import type { CommandJob, CommittedFix } from "../../../src/queue/kinds/command.js";
import { installationHost, silentLog } from "../../helpers/github.js";
import {
  BOT,
  BRANCH,
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
 * Exactly-once writes of `/agent fix`: the branch update and the answer are
 * never re-sent blindly after a 5xx (GitHub may have done them), and a fix
 * job that made its commit is never fixed again — a later attempt reads the
 * branch and finishes from there. GitHub mocked by nock, retry plugin off.
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
const refPath = `${repoPath}/git/refs/heads%2F${BRANCH}`;

beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

/** Everything a first attempt of `/agent fix` in the finding's thread reads, and the commit objects it writes; the ref update is up to the test. */
function mockFixUpToTheRefUpdate(): void {
  mockCommandStart({ kind: "review", commentId: 900 });
  mockPermission("alice", "write");
  api().get(`${repoPath}/pulls/comments/${FINDING_ID}`).reply(200, nanFinding);
  mockIdentity();
  mockPull();
  mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: calc, blob: sha("1") } });
  mockBranchAt(HEAD);
  api()
    .post(`${repoPath}/git/blobs`)
    .reply(201, { sha: NEW_BLOB })
    .post(`${repoPath}/git/trees`)
    .reply(201, { sha: NEW_TREE, tree: [] })
    .post(`${repoPath}/git/commits`)
    .reply(201, { sha: NEW_COMMIT, html_url: `https://github.com/${OWNER}/${REPO}/commit/${NEW_COMMIT}` });
}

const refMovedTo = (commit: string) => ({ ref: `refs/heads/${BRANCH}`, object: { sha: commit, type: "commit" } });
const badGateway = { message: "Server Error" };

function mockThreadListing(comments: object[] = []): void {
  api().get(`${repoPath}/pulls/${PR_NUMBER}/comments`).query({ per_page: "100" }).reply(200, comments);
}

function fixEvent(id: string) {
  const event = reviewReplyEvent("/agent fix", FINDING_ID);
  return { id, name: event.name, payload: event.payload as never };
}

describe("the branch update of a fix commit", () => {
  test("a 502 after GitHub moved the branch: Longview reads the branch, finds its commit there, does not send the update again, answers and queues the review", async () => {
    const captured = newCaptured();
    mockFixUpToTheRefUpdate();
    api().patch(refPath).reply(502, badGateway);
    api().get(`${repoPath}/git/ref/heads%2F${BRANCH}`).reply(200, refMovedTo(NEW_COMMIT));
    mockReplies({ thread: FINDING_ID });

    const app = await appWith();
    await app.receive(fixEvent("delivery-ref-502-after"));

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.commits).toHaveLength(1);
    expect(captured.refUpdates).toEqual([{ sha: NEW_COMMIT, force: false }]);
    expect(captured.replies).toHaveLength(1);
    expect(captured.replies[0]).toMatch(/^@alice Committed \[`eeeeeee`\]/);
    expect(app.queue.jobs).toMatchObject([{ kind: "review", headSha: NEW_COMMIT, previousSha: HEAD, trigger: "agent.fix" }]);
    expect(await app.jobs.depth()).toMatchObject({ failed: 0 });
  });

  test("a 502 before GitHub moved the branch: the branch is still at the parent, so the update is sent again", async () => {
    const captured = newCaptured();
    mockFixUpToTheRefUpdate();
    api().patch(refPath).reply(502, badGateway);
    mockBranchAt(HEAD);
    api().patch(refPath).reply(200, refMovedTo(NEW_COMMIT));
    mockReplies({ thread: FINDING_ID });

    const app = await appWith();
    await app.receive(fixEvent("delivery-ref-502-before"));

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.commits).toHaveLength(1);
    expect(captured.refUpdates).toEqual([
      { sha: NEW_COMMIT, force: false },
      { sha: NEW_COMMIT, force: false },
    ]);
    expect(captured.replies[0]).toMatch(/^@alice Committed/);
    expect(app.queue.jobs).toMatchObject([{ headSha: NEW_COMMIT }]);
  });

  test("the fix is saved as committing before the branch moves; when that cannot be saved, the branch is left alone", async () => {
    const captured = newCaptured();
    mockFixUpToTheRefUpdate();
    // The failure is reported in the thread (the attempt was the last).
    mockReplies({ thread: FINDING_ID });
    const app = await appWith({ startWorker: false });
    await app.probot.receive(fixEvent("delivery-save-fails"));
    const saved: CommittedFix[] = [];
    const handler = createCommandJobHandler({
      github: installationHost(app.probot),
      deps: { analyzers: createDefaultAnalyzers(), fixModel: null },
      queue: app.jobs,
    });
    const job: CommandJob = {
      kind: "command",
      installationId: 42,
      owner: OWNER,
      repo: REPO,
      pullNumber: PR_NUMBER,
      deliveryId: "delivery-save-fails",
      source: { kind: "review-comment", commentId: 900, threadRootId: FINDING_ID },
      sender: "alice",
      command: { kind: "fix", instructions: "" },
      url: null,
    };
    await expect(
      handler.run(job, {
        jobId: "j1",
        attempt: 1,
        maxAttempts: 1,
        signal: new AbortController().signal,
        log: silentLog,
        willRetry: () => false,
        saveCommitted: async (value) => {
          saved.push(value);
          throw new Error("Redis is gone");
        },
      }),
    ).rejects.toThrow("Redis is gone");

    expect(saved).toMatchObject([{ state: "committing", sha: NEW_COMMIT, previousHead: HEAD, branch: { owner: OWNER, repo: REPO, name: BRANCH } }]);
    expect(saved[0]!.reply).toMatch(/^@alice Committed/);
    expect(captured.commits).toHaveLength(1);
    expect(captured.refUpdates).toEqual([]);
    expect(captured.replies).toEqual(["@alice Longview could not finish `/agent fix`: Redis is gone"]);
  });
});

/** A fix job whose earlier attempt saved its commit as "committing", then died (or failed) before it knew whether the branch moved. */
function resumedJob(deliveryId: string, committed: Partial<CommittedFix> = {}): CommandJob {
  return {
    kind: "command",
    installationId: 42,
    owner: OWNER,
    repo: REPO,
    pullNumber: PR_NUMBER,
    deliveryId,
    source: { kind: "review-comment", commentId: 900, threadRootId: FINDING_ID },
    sender: "alice",
    command: { kind: "fix", instructions: "" },
    url: null,
    committed: {
      state: "committing",
      sha: NEW_COMMIT,
      previousHead: HEAD,
      branch: { owner: OWNER, repo: REPO, name: BRANCH },
      reply: "@alice Committed [`eeeeeee`](https://github.com/octo/shop/commit/eee), fixing 1 finding.",
      ...committed,
    } as CommittedFix,
  };
}

/** A later attempt reads nothing but the branch (and the thread, for an earlier answer) before it answers. */
async function resume(job: CommandJob) {
  api().post("/app/installations/42/access_tokens").reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} });
  mockIdentity();
  const app = await appWith();
  await app.jobs.enqueue(job);
  await app.jobs.idle();
  return app;
}

describe("a later attempt of a fix job that saved its commit as committing", () => {
  test("the branch holds the commit: no fix, no update; the saved answer and the review of the commit", async () => {
    const captured = newCaptured();
    mockBranchAt(NEW_COMMIT);
    mockThreadListing();
    mockReplies({ thread: FINDING_ID });
    const app = await resume(resumedJob("delivery-resume-holds"));

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.commits).toEqual([]);
    expect(captured.refUpdates).toEqual([]);
    expect(captured.replies).toEqual(["@alice Committed [`eeeeeee`](https://github.com/octo/shop/commit/eee), fixing 1 finding."]);
    expect(app.queue.jobs).toMatchObject([
      { kind: "review", headSha: NEW_COMMIT, previousSha: HEAD, deliveryId: "delivery-resume-holds", trigger: "agent.fix" },
    ]);
  });

  test("someone pushed on top of the commit meanwhile: it is still on the branch, so the fix is in", async () => {
    const captured = newCaptured();
    const later = sha("7");
    mockBranchAt(later);
    api().get(`${repoPath}/compare/${NEW_COMMIT}...${later}`).query({ per_page: "1" }).reply(200, { status: "ahead", files: [] });
    mockThreadListing();
    mockReplies({ thread: FINDING_ID });
    const app = await resume(resumedJob("delivery-resume-descendant"));

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.refUpdates).toEqual([]);
    expect(captured.replies[0]).toMatch(/^@alice Committed/);
    expect(app.queue.jobs).toMatchObject([{ headSha: NEW_COMMIT }]);
  });

  test("the branch is still at the parent: the update never happened, so it is made now", async () => {
    const captured = newCaptured();
    mockBranchAt(HEAD);
    api().patch(refPath).reply(200, refMovedTo(NEW_COMMIT));
    mockThreadListing();
    mockReplies({ thread: FINDING_ID });
    const app = await resume(resumedJob("delivery-resume-parent"));

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.commits).toEqual([]);
    expect(captured.refUpdates).toEqual([{ sha: NEW_COMMIT, force: false }]);
    expect(captured.replies[0]).toMatch(/^@alice Committed/);
    expect(app.queue.jobs).toMatchObject([{ headSha: NEW_COMMIT, previousSha: HEAD }]);
  });

  test("the branch moved elsewhere without the commit: the answer says the fix was not applied; nothing is forced, no review is queued", async () => {
    const captured = newCaptured();
    const pushed = sha("7");
    mockBranchAt(pushed);
    api().get(`${repoPath}/compare/${NEW_COMMIT}...${pushed}`).query({ per_page: "1" }).reply(200, { status: "diverged", files: [] });
    mockThreadListing();
    mockReplies({ thread: FINDING_ID });
    const app = await resume(resumedJob("delivery-resume-moved"));

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.refUpdates).toEqual([]);
    expect(captured.replies).toEqual([
      "@alice Longview prepared the fix as commit `eeeeeee`, but the branch `feature` moved to `7777777` before the commit could be added to it, so the fix was not applied and nothing was changed. Comment `/agent fix` again to fix the branch as it is now.",
    ]);
    expect(app.queue.jobs).toEqual([]);
  });

  test("the answer was posted by the attempt that died: it is not posted again, and the review is still queued", async () => {
    const captured = newCaptured();
    const job = resumedJob("delivery-resume-answered", { state: "committed" });
    const key = answerKey("delivery-resume-answered", { owner: OWNER, repo: REPO, pullNumber: PR_NUMBER });
    mockThreadListing([
      // Anybody can type a marker: only Longview's own comment counts.
      { id: 1, body: `copied\n\n<!-- longview:answer key=${key} -->`, user: { login: "mallory" } },
      { id: 2, body: `${job.committed!.reply}\n\n<!-- longview:answer key=${key} -->`, user: { login: BOT } },
    ]);
    const app = await resume(job);

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.replies).toEqual([]);
    expect(app.queue.jobs).toMatchObject([{ headSha: NEW_COMMIT }]);
  });
});

describe("the answer to a command", () => {
  /** `/agent help` on the conversation: its answer is the only write. */
  function mockHelp(): void {
    mockCommandStart({ kind: "issue", commentId: 800 });
    mockIdentity();
  }

  test("a 502 after GitHub stored the answer: Longview finds it and does not post it again", async () => {
    const captured = newCaptured();
    mockHelp();
    api().post(`${repoPath}/issues/${PR_NUMBER}/comments`).reply(502, badGateway);
    // GitHub stored what was posted before the gateway failed.
    api()
      .get(`${repoPath}/issues/${PR_NUMBER}/comments`)
      .query({ per_page: "100" })
      .reply(200, () => [{ id: 3, body: captured.rawReplies[0], user: { login: BOT } }]);
    const app = await appWith();
    await app.receive({ id: "delivery-help-502-after", ...conversationEvent("/agent help") });

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.rawReplies).toHaveLength(1);
    expect(captured.rawReplies[0]).toMatch(/^\*\*Longview commands\*\*[\s\S]*\n\n<!-- longview:answer key=[0-9a-f]{16} -->$/);
    expect(await app.jobs.depth()).toMatchObject({ failed: 0 });
  });

  test("a 502 before GitHub stored it: not found, so it is posted again", async () => {
    const captured = newCaptured();
    mockHelp();
    api().post(`${repoPath}/issues/${PR_NUMBER}/comments`).reply(502, badGateway);
    api().get(`${repoPath}/issues/${PR_NUMBER}/comments`).query({ per_page: "100" }).reply(200, []);
    mockReplies("conversation");
    const app = await appWith();
    await app.receive({ id: "delivery-help-502-before", ...conversationEvent("/agent help") });

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.rawReplies).toHaveLength(2);
    expect(captured.rawReplies[1]).toBe(captured.rawReplies[0]);
  });
});

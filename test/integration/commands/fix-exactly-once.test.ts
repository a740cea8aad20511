import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { createCommandJobHandler } from "../../../src/commands/command-job-handler.js";
import { createDefaultAnalyzers } from "../../../src/analyzers/index.js";
import { answerKey } from "../../../src/github/command-replies.js";
import type { CommandJob, CommittedFix } from "../../../src/queue/kinds/command.js";
import type { FakeGitHubHost } from "../../helpers/fake-github-host.js";
import { silentLog } from "../../helpers/github.js";
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
  addComments,
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
  shop,
} from "./github-mock.js";

/**
 * Exactly-once writes of `/agent fix`: the branch update and the answer are
 * never re-sent blindly after a 5xx (GitHub may have done them), and a fix
 * job that made its commit is never fixed again — a later attempt reads the
 * branch and finishes from there. Where the HTTP exchange is the point (a
 * 502 after or before GitHub did the write), GitHub is mocked by nock with
 * the retry plugin off; elsewhere it is in memory (FakeGitHubHost).
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
const shopRepo = { owner: OWNER, repo: REPO };

/** The pull request in GitHub's in-memory stand-in: `src/calc.js` at HEAD, the finding's thread, alice may write. */
function fixWorld(): FakeGitHubHost {
  const { fake } = shop({ files: { "src/calc.js": calc }, access: { alice: "write" } });
  addComments(fake, [nanFinding]);
  return fake;
}

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
    const fake = fixWorld();
    const app = await appWith({ startWorker: false, github: fake });
    await app.probot.receive(fixEvent("delivery-save-fails"));
    const saved: CommittedFix[] = [];
    const handler = createCommandJobHandler({
      github: () => Promise.resolve(fake),
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

    expect(saved).toMatchObject([{ state: "committing", previousHead: HEAD, branch: { owner: OWNER, repo: REPO, name: BRANCH } }]);
    expect(saved[0]!.reply).toMatch(/^@alice Committed/);
    // The commit was made, the branch was not moved to it.
    expect((await fake.commit(shopRepo, saved[0]!.sha)).commitSha).toBe(saved[0]!.sha);
    expect(fake.fileAt(shopRepo, saved[0]!.sha, "src/calc.js")).toBe(calc.replace("r === NaN", "Number.isNaN(r)"));
    expect(fake.commits).toEqual([]);
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(HEAD);
    expect(fake.answers.map((a) => a.body)).toEqual(["@alice Longview could not finish `/agent fix`: Redis is gone"]);
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

/** The pull request in memory with the fix commit an earlier attempt made on HEAD; `branchAt` says where `feature` is now. */
function resumeWorld(branchAt: (fake: FakeGitHubHost) => void = () => undefined): FakeGitHubHost {
  const fake = fixWorld();
  fake.createCommit(shopRepo, HEAD, { "src/calc.js": calc.replace("r === NaN", "Number.isNaN(r)") }, "Fix P1 bug", NEW_COMMIT);
  branchAt(fake);
  return fake;
}

/** A later attempt of the job, run by the queue's worker. */
async function resume(fake: FakeGitHubHost, job: CommandJob) {
  const app = await appWith({ github: fake });
  await app.jobs.enqueue(job);
  await app.jobs.idle();
  return app;
}

describe("a later attempt of a fix job that saved its commit as committing", () => {
  test("the branch holds the commit: no fix, no update; the saved answer and the review of the commit", async () => {
    const fake = resumeWorld((f) => f.setBranch(shopRepo, BRANCH, NEW_COMMIT));
    const app = await resume(fake, resumedJob("delivery-resume-holds"));

    expect(fake.commits).toEqual([]);
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(NEW_COMMIT);
    expect(fake.answers.map((a) => a.body)).toEqual(["@alice Committed [`eeeeeee`](https://github.com/octo/shop/commit/eee), fixing 1 finding."]);
    expect(app.queue.jobs).toMatchObject([
      { kind: "review", headSha: NEW_COMMIT, previousSha: HEAD, deliveryId: "delivery-resume-holds", trigger: "agent.fix" },
    ]);
  });

  test("someone pushed on top of the commit meanwhile: it is still on the branch, so the fix is in", async () => {
    let later = "";
    const fake = resumeWorld((f) => {
      f.setBranch(shopRepo, BRANCH, NEW_COMMIT);
      later = f.push(shopRepo, BRANCH, { "README.md": "later\n" }, "on top", sha("7"));
    });
    const app = await resume(fake, resumedJob("delivery-resume-descendant"));

    expect(fake.branchHead(shopRepo, BRANCH)).toBe(later);
    expect(fake.answers[0]?.body).toMatch(/^@alice Committed/);
    expect(app.queue.jobs).toMatchObject([{ headSha: NEW_COMMIT }]);
  });

  test("the branch is still at the parent: the update never happened, so it is made now", async () => {
    const fake = resumeWorld();
    const app = await resume(fake, resumedJob("delivery-resume-parent"));

    expect(fake.commits).toEqual([]);
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(NEW_COMMIT);
    expect(fake.answers[0]?.body).toMatch(/^@alice Committed/);
    expect(app.queue.jobs).toMatchObject([{ headSha: NEW_COMMIT, previousSha: HEAD }]);
  });

  test("the branch moved elsewhere without the commit: the answer says the fix was not applied; nothing is forced, no review is queued", async () => {
    const fake = resumeWorld((f) => f.push(shopRepo, BRANCH, { "README.md": "pushed\n" }, "someone else", sha("7")));
    const app = await resume(fake, resumedJob("delivery-resume-moved"));

    expect(fake.branchHead(shopRepo, BRANCH)).toBe(sha("7"));
    expect(fake.answers.map((a) => a.body)).toEqual([
      "@alice Longview prepared the fix as commit `eeeeeee`, but the branch `feature` moved to `7777777` before the commit could be added to it, so the fix was not applied and nothing was changed. Comment `/agent fix` again to fix the branch as it is now.",
    ]);
    expect(app.queue.jobs).toEqual([]);
  });

  test("the answer was posted by the attempt that died: it is not posted again, and the review is still queued", async () => {
    const job = resumedJob("delivery-resume-answered", { state: "committed" });
    const key = answerKey("delivery-resume-answered", { owner: OWNER, repo: REPO, pullNumber: PR_NUMBER });
    const fake = resumeWorld((f) => f.setBranch(shopRepo, BRANCH, NEW_COMMIT));
    // Anybody can type a marker: only Longview's own comment counts.
    addComments(fake, [
      { ...nanFinding, id: 1, body: `copied\n\n<!-- longview:answer key=${key} -->`, user: { login: "mallory" }, in_reply_to_id: FINDING_ID },
      { ...nanFinding, id: 2, body: `${job.committed!.reply}\n\n<!-- longview:answer key=${key} -->`, user: { login: BOT }, in_reply_to_id: FINDING_ID },
    ]);
    const app = await resume(fake, job);

    expect(fake.reviewComments.map((c) => c.id)).toEqual([FINDING_ID, 1, 2]);
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

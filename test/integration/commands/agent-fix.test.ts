import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import {
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
  longviewComment,
  mockBranchAt,
  mockCommandStart,
  mockCommitObjects,
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
 * `/agent fix` in a Longview finding's thread, offline (no model): real
 * Probot, real analyzers and ESLint autofix; GitHub mocked by nock with
 * every request's body recorded.
 */

const calc = ["export function ratio(a, b) {", "  const r = a / b;", "  if (r === NaN) return 0;", "  return r;", "}", ""].join("\n");
const fixedCalc = calc.replace("r === NaN", "Number.isNaN(r)");
const FINDING_ID = 501;
const nanFinding = longviewComment(FINDING_ID, {
  path: "src/calc.js",
  line: 3,
  severity: "P1",
  category: "bug",
  title: "Comparison with NaN is always false",
  body: "Use the isNaN function to compare with NaN.",
  source: "eslint",
  ruleId: "use-isnan",
});
const HEAD_BLOB = sha("1");

beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

function mockThreadRoot(comment: object = nanFinding): void {
  api().get(`${repoPath}/pulls/comments/${FINDING_ID}`).reply(200, comment);
}

describe("/agent fix in a finding's thread, offline", () => {
  test('an outdated finding whose code only moved is found again where its line is now, and fixed (the gate and "Fix all" count it open too)', async () => {
    const captured = newCaptured();
    const moved = `// a comment pushed on top\n// and another\n${calc}`;
    const anchored = longviewComment(FINDING_ID, {
      path: "src/calc.js",
      line: 3,
      severity: "P1",
      category: "bug",
      title: "Comparison with NaN is always false",
      source: "eslint",
      ruleId: "use-isnan",
      anchoredTo: "  if (r === NaN) return 0;",
    });
    mockCommandStart({ kind: "review", commentId: 900 });
    mockPermission("alice", "write");
    mockThreadRoot({ ...anchored, line: null });
    mockIdentity();
    mockPull();
    mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: moved, blob: HEAD_BLOB } });
    mockBranchAt(HEAD);
    mockCommitObjects({ blobs: [NEW_BLOB], tree: NEW_TREE, commit: NEW_COMMIT });
    mockReplies({ thread: FINDING_ID });

    const { receive } = await appWith();
    const event = reviewReplyEvent("/agent fix", FINDING_ID);
    await receive({ id: "delivery-fix-moved", ...event, payload: event.payload as never });

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.blobs).toEqual([{ content: moved.replace("r === NaN", "Number.isNaN(r)"), encoding: "utf-8" }]);
    expect(captured.replies[0]).toContain("- **P1 · bug** `src/calc.js:5` — Comparison with NaN is always false");
  });

  test("commits the ESLint fix: exact blob, tree, commit and ref requests; replies in the thread; queues the review of the commit", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "review", commentId: 900 });
    mockPermission("alice", "write");
    mockThreadRoot();
    mockIdentity();
    mockPull();
    mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: calc, blob: HEAD_BLOB } });
    mockBranchAt(HEAD);
    mockCommitObjects({ blobs: [NEW_BLOB], tree: NEW_TREE, commit: NEW_COMMIT });
    mockReplies({ thread: FINDING_ID });

    const { receive, queue } = await appWith();
    const event = reviewReplyEvent("/agent fix", FINDING_ID);
    await receive({ id: "delivery-fix-1", ...event, payload: event.payload as never });

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.reactions).toEqual([{ content: "eyes" }]);
    expect(captured.blobs).toEqual([{ content: fixedCalc, encoding: "utf-8" }]);
    expect(captured.trees).toEqual([{ base_tree: HEAD_TREE, tree: [{ path: "src/calc.js", mode: "100644", type: "blob", sha: NEW_BLOB }] }]);
    expect(captured.commits).toEqual([
      {
        message: [
          "Fix P1 bug: Comparison with NaN is always false",
          "- P1 bug: Comparison with NaN is always false (src/calc.js:3)",
          `Requested by @alice in https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#discussion_r900 (Longview /agent fix).`,
        ].join("\n\n"),
        tree: NEW_TREE,
        parents: [HEAD],
      },
    ]);
    expect(captured.refUpdates).toEqual([{ sha: NEW_COMMIT, force: false }]);

    expect(captured.replies).toHaveLength(1);
    const reply = captured.replies[0]!;
    expect(reply).toContain(`@alice Committed [\`${NEW_COMMIT.slice(0, 7)}\`](https://github.com/${OWNER}/${REPO}/commit/${NEW_COMMIT}), fixing 1 finding:`);
    expect(reply).toContain("- **P1 · bug** `src/calc.js:3` — Comparison with NaN is always false");
    expect(reply).toContain("Changed `src/calc.js` (+1 −1).");
    expect(reply).toContain("Fixed with the analyzers' own automatic fixes (no model).");
    expect(reply).toContain("Checked: `src/calc.js` parses (TypeScript); the analyzers no longer report the finding; no new P0/P1 findings.");

    expect(queue.jobs).toEqual([
      {
        kind: "review",
        installationId: 42,
        owner: OWNER,
        repo: REPO,
        pullNumber: PR_NUMBER,
        headSha: NEW_COMMIT,
        previousSha: HEAD,
        deliveryId: "delivery-fix-1",
        replayKey: "review-comment:900",
        trigger: "agent.fix",
      },
    ]);
  });

  test("the branch moved before the ref update: the edits are re-applied on the new head and committed there", async () => {
    const captured = newCaptured();
    const movedHead = sha("7");
    const movedTree = sha("8");
    const movedBlob = sha("2");
    // Someone added a header line meanwhile: the finding moved down a line; the text-anchored edit still applies.
    const movedCalc = `// Ratios.\n${calc}`;
    mockCommandStart({ kind: "review", commentId: 900 });
    mockPermission("alice", "admin");
    mockThreadRoot();
    mockIdentity();
    mockPull();
    mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: calc, blob: HEAD_BLOB } });
    mockBranchAt(HEAD);
    mockCommitObjects({ blobs: [NEW_BLOB], tree: NEW_TREE, commit: NEW_COMMIT }, 422);
    mockBranchAt(movedHead);
    mockHeadFiles(movedHead, movedTree, { "src/calc.js": { text: movedCalc, blob: movedBlob } });
    mockBranchAt(movedHead);
    mockCommitObjects({ blobs: [sha("3")], tree: sha("4"), commit: sha("5") });
    mockReplies({ thread: FINDING_ID });

    const { receive, queue } = await appWith();
    const event = reviewReplyEvent("/agent fix", FINDING_ID);
    await receive({ id: "delivery-fix-2", ...event, payload: event.payload as never });

    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.blobs).toEqual([
      { content: fixedCalc, encoding: "utf-8" },
      { content: `// Ratios.\n${fixedCalc}`, encoding: "utf-8" },
    ]);
    expect(captured.trees.at(-1)).toEqual({ base_tree: movedTree, tree: [{ path: "src/calc.js", mode: "100644", type: "blob", sha: sha("3") }] });
    expect((captured.commits.at(-1) as { parents: string[] }).parents).toEqual([movedHead]);
    expect(captured.refUpdates).toEqual([
      { sha: NEW_COMMIT, force: false },
      { sha: sha("5"), force: false },
    ]);
    expect(captured.replies[0]).toContain("The branch moved meanwhile; the edits were re-applied and re-checked on its new head.");
    expect(queue.jobs).toMatchObject([{ headSha: sha("5"), previousSha: movedHead, trigger: "agent.fix" }]);
  });

  test("an executable file keeps its mode", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "review", commentId: 900 });
    mockPermission("alice", "write");
    mockThreadRoot();
    mockIdentity();
    mockPull();
    mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: calc, blob: HEAD_BLOB, mode: "100755" } });
    mockBranchAt(HEAD);
    mockCommitObjects({ blobs: [NEW_BLOB], tree: NEW_TREE, commit: NEW_COMMIT });
    mockReplies({ thread: FINDING_ID });

    const { receive } = await appWith();
    const event = reviewReplyEvent("/agent fix", FINDING_ID);
    await receive({ id: "delivery-fix-3", ...event, payload: event.payload as never });
    expect(captured.trees).toEqual([{ base_tree: HEAD_TREE, tree: [{ path: "src/calc.js", mode: "100755", type: "blob", sha: NEW_BLOB }] }]);
  });
});

describe("/agent fix refusals: a clear reply and nothing written", () => {
  async function refusedWith(setup: () => void, sender = { login: "alice", type: "User" }): Promise<string> {
    const captured = newCaptured();
    mockCommandStart({ kind: "review", commentId: 900 });
    setup();
    mockReplies({ thread: FINDING_ID });
    const { receive, queue } = await appWith();
    const event = reviewReplyEvent("/agent fix", FINDING_ID, sender);
    await receive({ id: "delivery-refusal", ...event, payload: event.payload as never });
    // No blob, tree, commit or ref request was mocked: any write would have failed the delivery.
    expect(nock.pendingMocks()).toEqual([]);
    expect(queue.jobs).toEqual([]);
    expect(captured.replies).toHaveLength(1);
    return captured.replies[0]!;
  }

  test("a user with read access", async () => {
    const reply = await refusedWith(() => mockPermission("bob", "read"), { login: "bob", type: "User" });
    expect(reply).toBe("@bob Only people with write access to this repository can run `/agent fix`.");
  });

  test("a triager (role below write, whatever their author_association)", async () => {
    const reply = await refusedWith(() => mockPermission("bob", "read", "triage"), { login: "bob", type: "User" });
    expect(reply).toMatch(/^@bob Only people with write access/);
  });

  test("a closed pull request", async () => {
    const reply = await refusedWith(() => {
      mockPermission("alice", "write");
      mockThreadRoot();
      mockIdentity();
      mockPull({ state: "closed" });
    });
    expect(reply).toBe("@alice This pull request is closed; Longview only fixes open pull requests.");
  });

  test("a merged pull request", async () => {
    const reply = await refusedWith(() => {
      mockPermission("alice", "write");
      mockThreadRoot();
      mockIdentity();
      mockPull({ state: "closed", merged: true });
    });
    expect(reply).toBe("@alice This pull request is already merged; Longview only fixes open pull requests.");
  });

  test("a fork that does not allow edits by maintainers", async () => {
    const reply = await refusedWith(() => {
      mockPermission("alice", "write");
      mockThreadRoot();
      mockIdentity();
      mockPull({ head: { sha: HEAD, ref: BRANCH, repo: { full_name: "mallory/shop" } }, maintainer_can_modify: false });
    });
    expect(reply).toMatch(/^@alice This pull request comes from a fork that does not allow edits by maintainers/);
  });

  test("a finding in a workflow file", async () => {
    const workflowFinding = longviewComment(FINDING_ID, {
      path: ".github/workflows/ci.yml",
      line: 4,
      severity: "P1",
      category: "security",
      title: "Script injection",
    });
    const reply = await refusedWith(() => {
      mockPermission("alice", "write");
      mockThreadRoot(workflowFinding);
      mockIdentity();
      mockPull();
    });
    expect(reply).toContain("@alice Longview does not edit GitHub Actions workflows (`.github/workflows/`).");
    expect(reply).toContain("- **P1 · security** `.github/workflows/ci.yml:4` — Script injection: Longview does not edit GitHub Actions workflows");
  });

  test("instructions that ask for a workflow edit", async () => {
    const captured = newCaptured();
    mockCommandStart({ kind: "review", commentId: 900 });
    mockPermission("alice", "write");
    mockThreadRoot();
    mockIdentity();
    mockPull();
    mockReplies({ thread: FINDING_ID });
    const { receive } = await appWith();
    const event = reviewReplyEvent("/agent fix and bump node in .github/workflows/ci.yml", FINDING_ID);
    await receive({ id: "delivery-refusal-wf", ...event, payload: event.payload as never });
    expect(nock.pendingMocks()).toEqual([]);
    expect(captured.replies).toEqual(["@alice Longview does not edit GitHub Actions workflows (`.github/workflows/`)."]);
  });

  test("a finding with no automatic fix, offline", async () => {
    const agentFinding = longviewComment(FINDING_ID, {
      path: "src/calc.js",
      line: 2,
      severity: "P1",
      category: "bug",
      title: "Division by zero returns Infinity",
    });
    const reply = await refusedWith(() => {
      mockPermission("alice", "write");
      mockThreadRoot(agentFinding);
      mockIdentity();
      mockPull();
      mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: calc, blob: HEAD_BLOB } });
    });
    expect(reply).toContain("@alice Longview runs without a model here (no `OPENAI_API_KEY`)");
    expect(reply).toContain("- **P1 · bug** `src/calc.js:2` — Division by zero returns Infinity: no analyzer rule reported it");
  });

  test("a thread that does not start with Longview's finding (someone imitating its format)", async () => {
    const forged = { ...nanFinding, user: { login: "mallory", type: "User" } };
    const reply = await refusedWith(() => {
      mockPermission("alice", "write");
      mockThreadRoot(forged);
      mockIdentity();
      mockPull();
    });
    expect(reply).toMatch(/^@alice Acting on a reviewer's comment needs a model/);
  });

  test("an outdated finding whose code is gone from the head: said, nothing written", async () => {
    const gone = longviewComment(501, {
      path: "src/calc.js",
      line: 3,
      severity: "P1",
      category: "bug",
      title: "Comparison with NaN is always false",
      source: "eslint",
      ruleId: "use-isnan",
      anchoredTo: "  if (x === NaN) return 1;",
    });
    const reply = await refusedWith(() => {
      mockPermission("alice", "write");
      mockThreadRoot({ ...gone, line: null });
      mockIdentity();
      mockPull();
      mockHeadFiles(HEAD, HEAD_TREE, { "src/calc.js": { text: calc, blob: sha("1") } });
    });
    expect(reply).toMatch(/^@alice Nothing is left to fix: the findings asked about are no longer in the code/);
    expect(reply).toContain("no longer at the pull request's head");
  });
});

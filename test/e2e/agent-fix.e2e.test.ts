import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { Probot } from "probot";
import { deliverWebhook, startSimulator, type CreatedPullRequest, type RepoName, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";

/**
 * `/agent fix` end to end, offline: the real server against the GitHub
 * simulator, which checks every request against GitHub's OpenAPI description
 * and writes real git objects. The fix commit lands on the branch, its
 * review follows (Longview's own push is ignored as a bot event, so the fix
 * queues it), and that review resolves the fixed finding's thread.
 */

let sim: Simulator;
let longview: LongviewProcess;

beforeAll(async () => {
  // This test talks HTTP to the simulator itself (to post the command comment); nock's fetch interception breaks request bodies passed through to real servers.
  nock.restore();
  sim = await startSimulator();
  longview = await startLongview(simulatorEnv(sim));
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await sim?.close();
});

const base = "export function ratio(a, b) {\n  const r = a / b;\n  return r;\n}\n";
const buggy = "export function ratio(a, b) {\n  const r = a / b;\n  if (r === NaN) return 0;\n  return r;\n}\n";
const fixed = "export function ratio(a, b) {\n  const r = a / b;\n  if (Number.isNaN(r)) return 0;\n  return r;\n}\n";
const alice = { login: "alice", id: 5001, type: "User" };

const deliver = (event: string, payload: Record<string, unknown>) =>
  deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event, payload });

async function reviewedPullRequest(name: string): Promise<{ pr: CreatedPullRequest; repo: RepoName; findingId: number }> {
  const repo: RepoName = `acme/${name}`;
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "src/calc.js": base, "README.md": "# Ratios\n" } }],
    branches: { feature: { commits: [{ message: "guard NaN", files: { "src/calc.js": buggy } }] } },
  });
  const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: "Guard NaN" });
  sim.setPermission(repo, "alice", "write");
  await deliver("pull_request", pr.payload);
  const run = await waitFor(() => sim.state.checkRuns(repo, pr.headSha).find((c) => c.status === "completed"), "first review");
  expect(run.conclusion).toBe("failure");
  expect(run.actions).toEqual([{ label: "Fix all", description: "Commit fixes for the blocking findings", identifier: "fix_all" }]);
  const finding = sim.state.reviewComments(repo, pr.number).find((c) => c.body.startsWith("**P1 · bug** — Comparison with NaN is always false"));
  if (!finding) throw new Error("the review did not post the NaN finding");
  return { pr, repo, findingId: finding.id };
}

/** The branch's new commit, its review, and the fixed finding's thread: resolved by that review. */
async function expectFixedAndReviewed(repo: RepoName, pr: CreatedPullRequest, findingId: number): Promise<string> {
  const head = await waitFor(async () => {
    const tip = await sim.state.branchTip(repo, "feature");
    return tip !== pr.headSha ? tip : null;
  }, "the fix commit");
  const [commit] = await sim.state.commits(repo, "feature");
  expect(commit!.sha).toBe(head);
  expect(commit!.parents).toEqual([pr.headSha]);
  expect(commit!.message).toMatch(/^Fix P1 bug: Comparison with NaN is always false\n\n- P1 bug: Comparison with NaN is always false \(src\/calc.js:3\)\n\nRequested by @alice/);
  expect(await sim.state.fileAt(repo, "feature", "src/calc.js")).toBe(fixed);
  expect(await sim.state.fileAt(repo, "feature", "README.md")).toBe("# Ratios\n");

  const run = await waitFor(() => sim.state.checkRuns(repo, head).find((c) => c.status === "completed"), "the review of the fix commit");
  expect(run.conclusion).toBe("success");
  expect(run.actions).toEqual([]);
  const fixedReply = await waitFor(
    () => sim.state.reviewComments(repo, pr.number).find((c) => c.inReplyToId === findingId && c.body.startsWith(`Fixed in ${head}`)),
    "the Fixed-in reply",
  );
  expect(sim.state.threads(repo, pr.number).find((t) => t.id === fixedReply.threadId)?.isResolved).toBe(true);
  return head;
}

describe("/agent fix against the simulator", () => {
  test("a reply in the finding's thread: 👀, a real commit on the branch, a reply with the commit, and the follow-up review", async () => {
    const { pr, repo, findingId } = await reviewedPullRequest("thread-fix");
    const installationId = sim.installationId("acme")!;
    // The command comment itself must exist for the 👀 reaction; the simulator only lets the app write comments, so the
    // app posts it and the webhook tells Longview that alice wrote it (Longview reads the event, not the stored author).
    const app = new Probot({ appId: sim.app.id, privateKey: sim.app.privateKey, baseUrl: sim.url });
    const gh = await app.auth(installationId);
    const { data: command } = await gh.rest.pulls.createReplyForReviewComment({ owner: "acme", repo: "thread-fix", pull_number: pr.number, comment_id: findingId, body: "/agent fix" });

    const event = {
      action: "created",
      installation: { id: installationId },
      repository: pr.payload["repository"],
      sender: alice,
      pull_request: pr.pullRequest,
      comment: { ...command, user: alice, body: "/agent fix", in_reply_to_id: findingId },
    };
    await deliver("pull_request_review_comment", event);

    const reply = await waitFor(
      () => sim.state.reviewComments(repo, pr.number).find((c) => c.inReplyToId === findingId && c.body.startsWith("@alice")),
      "Longview's reply",
    );
    expect(reply.body).toMatch(/^@alice Committed \[`[0-9a-f]{7}`\]\(http:\/\/[^)]+\/commit\/[0-9a-f]{40}\), fixing 1 finding:/);
    expect(sim.state.reactions()).toContainEqual(expect.objectContaining({ subjectType: "review_comment", subjectId: command.id, content: "eyes" }));
    const head = await expectFixedAndReviewed(repo, pr, findingId);

    // A captured copy of the command, re-sent with a fresh delivery id (not covered by the signature): it ran once.
    await deliver("pull_request_review_comment", event);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sim.state.reviewComments(repo, pr.number).filter((c) => c.inReplyToId === findingId && c.body.startsWith("@alice"))).toHaveLength(1);
    expect(await sim.state.branchTip(repo, "feature")).toBe(head);
    expect(longview.logs.filter((l) => l.includes("command job started"))).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  }, 120_000);

  test("the check run's \"Fix all\" button", async () => {
    const { pr, repo, findingId } = await reviewedPullRequest("fix-all");
    const run = sim.state.checkRuns(repo, pr.headSha)[0]!;
    await deliver("check_run", {
      action: "requested_action",
      installation: { id: sim.installationId("acme")! },
      repository: pr.payload["repository"],
      sender: alice,
      check_run: { id: run.id, name: run.name, head_sha: pr.headSha, pull_requests: [{ number: pr.number }] },
      requested_action: { identifier: "fix_all" },
    });
    const head = await expectFixedAndReviewed(repo, pr, findingId);
    const answer = sim.state.issueComments(repo, pr.number).find((c) => c.body.startsWith("@alice Committed"));
    expect(answer?.body).toContain(head.slice(0, 7));
    expect(sim.violations).toEqual([]);
  }, 120_000);
});

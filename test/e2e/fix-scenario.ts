import { expect } from "@jest/globals";
import { Probot } from "probot";
import { deliverWebhook, type CreatedPullRequest, type RepoName, type Simulator } from "../../tools/github-simulator/index.js";
import { waitFor } from "../../tools/demo/wait-for.js";

/**
 * The `/agent fix` scenario the end-to-end suites share, offline (analyzer
 * autofix): a pull request whose first review posts a NaN finding, a
 * `/agent fix` reply in that finding's thread, and what a fixed pull request
 * looks like afterwards.
 */

export const base = "export function ratio(a, b) {\n  const r = a / b;\n  return r;\n}\n";
export const buggy = "export function ratio(a, b) {\n  const r = a / b;\n  if (r === NaN) return 0;\n  return r;\n}\n";
export const fixed = "export function ratio(a, b) {\n  const r = a / b;\n  if (Number.isNaN(r)) return 0;\n  return r;\n}\n";
export const alice = { login: "alice", id: 5001, type: "User" };

export interface FixScenario {
  readonly pr: CreatedPullRequest;
  readonly repo: RepoName;
  readonly findingId: number;
}

export function deliverTo(sim: Simulator, webhookUrl: string) {
  return (event: string, payload: Record<string, unknown>) => deliverWebhook({ url: webhookUrl, secret: sim.app.webhookSecret, event, payload });
}

export async function reviewedPullRequest(sim: Simulator, webhookUrl: string, name: string): Promise<FixScenario> {
  const repo: RepoName = `acme/${name}`;
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "src/calc.js": base, "README.md": "# Ratios\n" } }],
    branches: { feature: { commits: [{ message: "guard NaN", files: { "src/calc.js": buggy } }] } },
  });
  const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: "Guard NaN" });
  sim.setPermission(repo, "alice", "write");
  await deliverTo(sim, webhookUrl)("pull_request", pr.payload);
  const run = await waitFor(() => sim.state.checkRuns(repo, pr.headSha).find((c) => c.status === "completed"), "first review");
  expect(run.conclusion).toBe("failure");
  expect(run.actions).toEqual([{ label: "Fix all", description: "Commit fixes for the blocking findings", identifier: "fix_all" }]);
  const finding = sim.state.reviewComments(repo, pr.number).find((c) => c.body.startsWith("**P1 · bug** — Comparison with NaN is always false"));
  if (!finding) throw new Error("the review did not post the NaN finding");
  return { pr, repo, findingId: finding.id };
}

/**
 * alice replies `/agent fix` in the finding's thread. The command comment itself must exist for the 👀 reaction;
 * the simulator only lets the app write comments, so the app posts it and the webhook tells Longview that alice
 * wrote it (Longview reads the event, not the stored author). `beforeWebhook` runs between the two (faults meant
 * for Longview's own writes go there). Returns the command comment's id.
 */
export async function commandInThread(
  sim: Simulator,
  webhookUrl: string,
  { pr, repo, findingId }: FixScenario,
  beforeWebhook?: (commandId: number) => void,
): Promise<number> {
  const app = new Probot({ appId: sim.app.id, privateKey: sim.app.privateKey, baseUrl: sim.url });
  const gh = await app.auth(sim.installationId("acme")!);
  const [owner, name] = repo.split("/") as [string, string];
  const { data: command } = await gh.rest.pulls.createReplyForReviewComment({
    owner,
    repo: name,
    pull_number: pr.number,
    comment_id: findingId,
    body: "/agent fix",
  });
  beforeWebhook?.(command.id);
  const event = {
    action: "created",
    installation: { id: sim.installationId("acme")! },
    repository: pr.payload["repository"],
    sender: alice,
    pull_request: pr.pullRequest,
    comment: { ...command, user: alice, body: "/agent fix", in_reply_to_id: findingId },
  };
  lastCommandEvent = event;
  await deliverTo(sim, webhookUrl)("pull_request_review_comment", event);
  return command.id;
}

let lastCommandEvent: Record<string, unknown> | null = null;

/** The last `commandInThread` webhook again, byte for byte, with a fresh delivery id: what an attacker with a captured delivery can send. */
export async function replayLastCommandInThread(sim: Simulator, webhookUrl: string): Promise<void> {
  if (!lastCommandEvent) throw new Error("no command was sent yet");
  await deliverTo(sim, webhookUrl)("pull_request_review_comment", lastCommandEvent);
}

/** alice comments `/agent fix` on the conversation (posted by the app, as in `commandInThread`). Returns the comment's id. */
export async function commandOnConversation(
  sim: Simulator,
  webhookUrl: string,
  { pr, repo }: FixScenario,
  beforeWebhook?: (commandId: number) => void,
): Promise<number> {
  const app = new Probot({ appId: sim.app.id, privateKey: sim.app.privateKey, baseUrl: sim.url });
  const gh = await app.auth(sim.installationId("acme")!);
  const [owner, name] = repo.split("/") as [string, string];
  const { data: command } = await gh.rest.issues.createComment({ owner, repo: name, issue_number: pr.number, body: "/agent fix" });
  beforeWebhook?.(command.id);
  await deliverTo(sim, webhookUrl)("issue_comment", {
    action: "created",
    installation: { id: sim.installationId("acme")! },
    repository: pr.payload["repository"],
    sender: alice,
    issue: { number: pr.number, state: "open", pull_request: { url: command.issue_url.replace(/\/issues\//, "/pulls/") } },
    comment: { ...command, user: alice, body: "/agent fix" },
  });
  return command.id;
}

/** Longview's answers to alice on the conversation. */
export function answersOnConversation(sim: Simulator, { pr, repo }: FixScenario) {
  return sim.state.issueComments(repo, pr.number).filter((c) => c.body.startsWith("@alice"));
}

/** Longview's answers to alice in the finding's thread. */
export function answersInThread(sim: Simulator, { pr, repo, findingId }: FixScenario) {
  return sim.state.reviewComments(repo, pr.number).filter((c) => c.inReplyToId === findingId && c.body.startsWith("@alice"));
}

/** The branch's new commit (exactly one, on the reviewed head), its review, and the fixed finding's thread: resolved by that review. */
export async function expectFixedAndReviewed(sim: Simulator, { pr, repo, findingId }: FixScenario): Promise<string> {
  const head = await waitFor(async () => {
    const tip = await sim.state.branchTip(repo, "feature");
    return tip !== pr.headSha ? tip : null;
  }, "the fix commit");
  const [commit] = await sim.state.commits(repo, "feature");
  expect(commit!.sha).toBe(head);
  expect(commit!.parents).toEqual([pr.headSha]);
  expect(commit!.message).toMatch(
    /^Fix P1 bug: Comparison with NaN is always false\n\n- P1 bug: Comparison with NaN is always false \(src\/calc.js:3\)\n\nRequested by @alice/,
  );
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

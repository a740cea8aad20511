import { describe, expect, test } from "@jest/globals";
import type { FakeGitHubHost } from "../../helpers/fake-github-host.js";
import {
  BOT,
  HEAD,
  OWNER,
  PR_NUMBER,
  REPO,
  addComments,
  appWith,
  conversationEvent,
  longviewComment,
  repository,
  reviewReplyEvent,
  shop,
} from "./github-mock.js";

/** `/agent help`, `/agent review`, what is not a command, and fixes from the conversation and the check run's button. */

async function receive(fake: FakeGitHubHost, event: { name: "issue_comment" | "pull_request_review_comment"; payload: object }, id = "delivery") {
  const app = await appWith({ github: fake });
  await app.receive({ id, name: event.name, payload: event.payload });
  return app.queue;
}

const eyesOn = (on: "issue-comment" | "review-comment", commentId: number) => [{ on, commentId, content: "eyes", user: BOT }];
const replies = (fake: FakeGitHubHost) => fake.answers.map((a) => a.body);

describe("/agent help and unknown commands", () => {
  test("help: 👀 on the comment, then the help text on the conversation", async () => {
    const { fake } = shop();
    await receive(fake, conversationEvent("/agent help"));
    expect(fake.reactions).toEqual(eyesOn("issue-comment", 800));
    expect(fake.answers.map((a) => a.where)).toEqual(["conversation"]);
    const [reply] = replies(fake);
    expect(reply).toMatch(/^\*\*Longview commands\*\*/);
    expect(reply).toContain("`/agent fix [instructions]`");
    expect(reply).toContain("`/agent review` — a full new review of the pull request's head. For people with write access to the repository");
    expect(reply).toContain("up to 3 attempts (`fix.maxAttempts`)");
    expect(reply).toContain("**Longview refuses to** edit `.github/workflows/`");
  });

  test("an unknown command in a review thread gets the help text as a reply in the thread", async () => {
    const { fake } = shop();
    addComments(fake, [longviewComment(501, { path: "src/calc.js", line: 3 })]);
    await receive(fake, reviewReplyEvent("/agent deploy", 501));
    expect(fake.reactions).toEqual(eyesOn("review-comment", 900));
    expect(fake.answers.map((a) => a.where)).toEqual([{ thread: 501 }]);
    expect(replies(fake)[0]).toMatch(/^Longview does not know `\/agent deploy`\.\n\n\*\*Longview commands\*\*/);
  });

  test("the help text follows the repository's settings", async () => {
    const { fake } = shop({ config: "commands:\n  review: anyone\nfix:\n  maxAttempts: 5\n" });
    await receive(fake, conversationEvent("/agent help"));
    expect(replies(fake)[0]).toContain("For anyone who can comment (`commands.review`");
    expect(replies(fake)[0]).toContain("up to 5 attempts");
  });
});

describe("not commands: nothing is requested from GitHub", () => {
  test.each([
    ["a bot's comment", conversationEvent("/agent fix", { login: "longview[bot]", type: "Bot" })],
    ["another bot's comment", conversationEvent("/agent fix", { login: "dependabot[bot]", type: "Bot" })],
    ["a quoted command", conversationEvent("> /agent fix\nShould I run this?")],
    ["a command in a code fence", conversationEvent("```\n/agent fix\n```")],
    ["a command after the first line", conversationEvent("Thanks!\n/agent fix")],
    ["an ordinary comment", conversationEvent("LGTM")],
  ])("%s", async (_name, event) => {
    const { fake } = shop();
    const queue = await receive(fake, event);
    expect(fake.calls).toEqual([]);
    expect(queue.jobs).toEqual([]);
  });

  test("a comment on an issue that is not a pull request", async () => {
    const event = conversationEvent("/agent fix");
    const issueOnly = { ...event, payload: { ...event.payload, issue: { number: 3, state: "open" } } };
    const { fake } = shop();
    expect((await receive(fake, issueOnly)).jobs).toEqual([]);
    expect(fake.calls).toEqual([]);
  });
});

describe("/agent review", () => {
  test("queues a full review (ignoring incremental state) of the current head", async () => {
    const { fake } = shop({ access: { alice: "write" } });
    const queue = await receive(fake, conversationEvent("/agent review"), "delivery-review-1");
    expect(fake.reactions).toEqual(eyesOn("issue-comment", 800));
    expect(fake.answers).toEqual([]);
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
    const { fake } = shop({ access: { bob: "read" } });
    const queue = await receive(fake, conversationEvent("/agent review", { login: "bob", type: "User" }));
    expect(replies(fake)).toEqual(["@bob Only people with write access to this repository can run `/agent review`."]);
    expect(queue.jobs).toEqual([]);
  });

  test("allowed for read access when `commands.review: read`", async () => {
    const { fake } = shop({ config: "commands:\n  review: read\n", access: { bob: "read" } });
    const queue = await receive(fake, conversationEvent("/agent review", { login: "bob", type: "User" }));
    expect(queue.jobs).toMatchObject([{ trigger: "agent.review", force: true }]);
  });

  test("`commands.review: anyone` asks for no permission at all; a closed pull request is answered, not queued", async () => {
    const { fake } = shop({ config: "commands:\n  review: anyone\n", pull: { state: "closed" } });
    const queue = await receive(fake, conversationEvent("/agent review", { login: "carol", type: "User" }));
    expect(fake.calls).not.toContain("access");
    expect(replies(fake)).toEqual(["@carol This pull request is closed; Longview reviews open pull requests only."]);
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

/** Longview's comments on the pull request, and which threads are resolved or outdated; `src/calc.js` at the head. */
function withPostedFindings(options: Parameters<typeof shop>[0] = {}): FakeGitHubHost {
  const { fake } = shop({ files: { "src/calc.js": calc }, ...options });
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
  addComments(fake, [nanFinding, resolved, outdated, belowGate, forged, reply]);
  fake.setThread(502, { resolved: true });
  fake.setThread(503, { outdated: true });
  return fake;
}

describe("/agent fix on the conversation", () => {
  test("fixes the open findings that fail the gate: Longview's own, unresolved; an outdated one whose code is gone is said, not fixed", async () => {
    const fake = withPostedFindings({ access: { alice: "maintain" } });
    const queue = await receive(fake, conversationEvent("/agent fix"), "delivery-conv");

    const [commit] = fake.commits;
    expect(commit?.files).toEqual(new Map([["src/calc.js", calc.replace("r === NaN", "Number.isNaN(r)")]]));
    expect(fake.branchHead({ owner: OWNER, repo: REPO }, "feature")).toBe(commit!.sha);
    const reply = replies(fake)[0]!;
    expect(reply).toContain("fixing 1 finding:\n- **P1 · bug** `src/calc.js:3` — Comparison with NaN is always false");
    expect(reply).toContain("Old problem");
    expect(reply).toContain("no longer at the pull request's head");
    expect(reply).not.toContain("Remove the auth check");
    expect(queue.jobs).toMatchObject([{ headSha: commit!.sha, previousSha: HEAD, trigger: "agent.fix" }]);
  });

  test("when no open finding fails the gate, says so", async () => {
    const fake = withPostedFindings({ config: "gate:\n  severity: P0\n", access: { alice: "write" } });
    await receive(fake, conversationEvent("/agent fix"));
    expect(fake.commits).toEqual([]);
    expect(replies(fake)).toEqual([
      "@alice None of the 3 open Longview findings fails the gate (P0 or worse in bug/security). Reply `/agent fix` in a finding's thread, or name it (its file or title) after `/agent fix`.",
    ]);
  });
});

describe('the check run\'s "Fix all" button', () => {
  test("check_run.requested_action fix_all runs the fix for the gating findings and answers on the conversation", async () => {
    const fake = withPostedFindings({ access: { alice: "admin" } });
    const { receive, queue } = await appWith({ github: fake });
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

    const [commit] = fake.commits;
    expect(fake.reactions).toEqual([]);
    expect(fake.branchHead({ owner: OWNER, repo: REPO }, "feature")).toBe(commit!.sha);
    expect(fake.answers.map((a) => a.where)).toEqual(["conversation"]);
    expect(replies(fake)[0]).toMatch(new RegExp(`^@alice Committed \\[\`${commit!.sha.slice(0, 7)}\`\\]`));
    expect(commit!.message).toContain("Requested by @alice (Longview /agent fix).");
    expect(queue.jobs).toMatchObject([{ headSha: commit!.sha, trigger: "agent.fix", deliveryId: "delivery-fix-all" }]);
  });

  test("other requested actions are not ours", async () => {
    const { fake } = shop();
    const { receive, queue } = await appWith({ github: fake });
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
    expect(fake.calls).toEqual([]);
    expect(queue.jobs).toEqual([]);
  });
});

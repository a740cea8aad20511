import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { Probot } from "probot";
import { deliverWebhook, startSimulator, type Simulator, type SimulatorEvent } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { alice } from "./fix-scenario.js";

/**
 * A person's decision about a finding stands on the pull request: a finding
 * given 👎, or whose thread a person resolved without changing its code, is
 * not posted again on later pushes, a full re-review or `/agent review`, and
 * does not gate. Findings in paths `.github/longview.yml` suppresses are never
 * posted. Offline analyzers (deterministic findings), the whole app over the
 * simulator.
 */

const REPO = "acme/dismissals";
let sim: Simulator;
let longview: LongviewProcess;

beforeAll(async () => {
  // The test posts the `/agent review` comment over HTTP itself; nock's fetch interception breaks bodies sent to real servers.
  nock.restore();
  sim = await startSimulator();
  longview = await startLongview(simulatorEnv(sim));
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await sim?.close();
});

const fn = (name: string, body: string) => `export function ${name}(input) {\n  ${body}\n  return input;\n}\n`;
const CONFIG = 'review:\n  suppress:\n    - path: "src/legacy/**"\n      reason: "frozen code"\n';
const FEATURE = { "src/a.js": fn("a", "eval(input.a);"), "src/b.js": fn("b", "eval(input.b);"), "src/legacy/c.js": fn("c", "eval(input.c);") };

const deliver = (event: SimulatorEvent) =>
  deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: event.name, payload: event.payload });
const completedRuns = (sha: string) => sim.state.checkRuns(REPO, sha).filter((c) => c.status === "completed");

describe("dismissed and suppressed findings", () => {
  test("👎 and a resolution by a person: never re-posted, never gating; a suppressed path is never posted", async () => {
    await sim.createRepo({
      owner: "acme",
      name: "dismissals",
      commits: [{ message: "base", files: { ".github/longview.yml": CONFIG, "README.md": "# d\n" } }],
      branches: { feature: { commits: [{ message: "evals", files: FEATURE }] } },
    });
    const pr = await sim.createPullRequest({ repo: REPO, head: "feature", base: "main", title: "Evals" });
    sim.setPermission(REPO, "alice", "write");
    const roots = () => sim.state.reviewComments(REPO, pr.number).filter((c) => c.inReplyToId === null);

    // Opened: a.js and b.js are reported and gate; the suppressed legacy file is not posted, and the body says so.
    await deliver(pr.event);
    const first = await waitFor(() => completedRuns(pr.headSha)[0], "first review");
    expect(first.conclusion).toBe("failure");
    expect(
      roots()
        .map((c) => c.path)
        .sort(),
    ).toEqual(["src/a.js", "src/b.js"]);
    const firstBody = sim.state.reviews(REPO, pr.number)[0]!.body;
    expect(firstBody).toMatch(/Not reported: \d+ findings? suppressed by `review\.suppress`/);
    expect(firstBody).toContain("`review.suppress` in `.github/longview.yml`");

    // Nobody reacted yet: the reaction counts on the comments spare listing who reacted.
    const reactionListings = () => sim.requests.filter((r) => r.method === "GET" && r.route === "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions");
    expect(reactionListings()).toHaveLength(0);

    // alice gives a.js's finding 👎 and resolves b.js's thread, changing no code.
    const a = roots().filter((c) => c.path === "src/a.js");
    const b = roots().filter((c) => c.path === "src/b.js");
    for (const c of a) sim.reactToReviewComment(REPO, c.id, "alice", "-1");
    for (const c of b) sim.resolveThread(REPO, c.id, "alice");
    const posted = sim.state.reviewComments(REPO, pr.number).length;
    const reviews = sim.state.reviews(REPO, pr.number).length;

    // Pushed again with the same code (history rewritten, so the review is a full one that finds them all again).
    const again = await sim.forcePush(REPO, "feature", "main", { message: "evals again", files: FEATURE });
    await deliver(again.events[0]!);
    const second = await waitFor(() => completedRuns(again.sha)[0], "review of the same code");
    expect(second.conclusion).toBe("success");
    expect(sim.state.reviewComments(REPO, pr.number)).toHaveLength(posted);
    expect(sim.state.reviews(REPO, pr.number)).toHaveLength(reviews);
    expect(second.actions ?? []).toEqual([]);
    expect(reactionListings().length).toBeGreaterThan(0);

    // `/agent review` (a full re-review that ignores what was posted before) still leaves them out.
    const app = new Probot({ appId: sim.app.id, privateKey: sim.app.privateKey, baseUrl: sim.url });
    const gh = await app.auth(sim.installationId("acme")!);
    const { data: command } = await gh.rest.issues.createComment({ owner: "acme", repo: "dismissals", issue_number: pr.number, body: "/agent review" });
    await deliverWebhook({
      url: longview.webhookUrl,
      secret: sim.app.webhookSecret,
      event: "issue_comment",
      payload: {
        action: "created",
        installation: { id: sim.installationId("acme")! },
        repository: pr.payload["repository"],
        sender: alice,
        issue: { number: pr.number, state: "open", pull_request: { url: command.issue_url.replace(/\/issues\//, "/pulls/") } },
        comment: { ...command, user: alice, body: "/agent review" },
      },
    });
    const rerun = await waitFor(() => (completedRuns(again.sha).length >= 2 ? completedRuns(again.sha).at(-1) : null), "/agent review");
    expect(rerun.conclusion).toBe("success");
    expect(roots()).toHaveLength(a.length + b.length);
    expect(sim.violations).toEqual([]);
  }, 120_000);
});

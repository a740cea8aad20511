import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { alice, answersInThread, commandInThread, deliverTo, expectFixedAndReviewed, replayLastCommandInThread, reviewedPullRequest } from "./fix-scenario.js";

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

const webhookUrl = () => longview.webhookUrl;

describe("/agent fix against the simulator", () => {
  test("a reply in the finding's thread: 👀, a real commit on the branch, a reply with the commit, and the follow-up review", async () => {
    const scenario = await reviewedPullRequest(sim, webhookUrl(), "thread-fix");
    const commandId = await commandInThread(sim, webhookUrl(), scenario);

    const reply = await waitFor(() => answersInThread(sim, scenario)[0], "Longview's reply");
    expect(reply.body).toMatch(/^@alice Committed \[`[0-9a-f]{7}`\]\(http:\/\/[^)]+\/commit\/[0-9a-f]{40}\), fixing 1 finding:/);
    // The repository has no CI: the answer says so, and carries no follow-up.
    expect(reply.body).toContain("No CI checks report on this pull request (none on the commit before the fix)");
    expect(reply.body).not.toContain("longview:ci");
    expect(sim.state.reactions()).toContainEqual(expect.objectContaining({ subjectType: "review_comment", subjectId: commandId, content: "eyes" }));
    const head = await expectFixedAndReviewed(sim, scenario);

    // A captured copy of the command, re-sent with a fresh delivery id (not covered by the signature): it ran once.
    await replayLastCommandInThread(sim, webhookUrl());
    await new Promise((r) => setTimeout(r, 1_500));
    expect(answersInThread(sim, scenario)).toHaveLength(1);
    expect(await sim.state.branchTip(scenario.repo, "feature")).toBe(head);
    expect(longview.logs.filter((l) => l.includes("command job started"))).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  }, 120_000);

  test('the check run\'s "Fix all" button', async () => {
    const scenario = await reviewedPullRequest(sim, webhookUrl(), "fix-all");
    const { pr, repo } = scenario;
    const run = sim.state.checkRuns(repo, pr.headSha)[0]!;
    await deliverTo(sim, webhookUrl())("check_run", {
      action: "requested_action",
      installation: { id: sim.installationId("acme")! },
      repository: pr.payload["repository"],
      sender: alice,
      check_run: { id: run.id, name: run.name, head_sha: pr.headSha, pull_requests: [{ number: pr.number }] },
      requested_action: { identifier: "fix_all" },
    });
    const head = await expectFixedAndReviewed(sim, scenario);
    const answer = sim.state.issueComments(repo, pr.number).find((c) => c.body.startsWith("@alice Committed"));
    expect(answer?.body).toContain(head.slice(0, 7));
    expect(sim.violations).toEqual([]);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { startSimulator, type InjectedFault, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { answersInThread, answersOnConversation, commandInThread, commandOnConversation, expectFixedAndReviewed, reviewedPullRequest } from "./fix-scenario.js";

/**
 * `/agent fix` when GitHub does a write and the answer is lost (a gateway
 * error after the write, `when: "after"`): the real server process against
 * the simulator. Every write still happens exactly once — one fix commit,
 * one answer, one 👀 — and the fix commit is reviewed.
 */

let sim: Simulator;
let longview: LongviewProcess;

beforeAll(async () => {
  nock.restore();
  sim = await startSimulator();
  longview = await startLongview({ ...simulatorEnv(sim), LONGVIEW_JOB_BACKOFF_MS: "300" });
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await sim?.close();
});

const webhookUrl = () => longview.webhookUrl;

/** The command job of `repo` is over (answered, or failed for good): whatever it was going to write is written. */
function commandJobDone(repo: string): Promise<string> {
  return waitFor(
    () => longview.logs.find((line) => line.includes(`"repo":"${repo}"`) && /"kind":"command".*"msg":"command job (finished|failed)"/.test(line)),
    `the command job of ${repo} to end`,
  );
}

describe("/agent fix: gateway errors after GitHub applied the write", () => {
  test("502 after the branch moved to the fix commit: one commit, one update request, the user told it was committed, the commit reviewed", async () => {
    const scenario = await reviewedPullRequest(sim, webhookUrl(), "ref-502");
    // Octokit sends the ref name URL-encoded, and a concrete route matches the path as sent.
    const refRoute = `/repos/${scenario.repo}/git/refs/heads%2Ffeature`;
    // As many as Octokit's retry plugin would send (1 + 3 retries): every blind re-send would fail the same way.
    sim.faults.inject({ method: "PATCH", route: refRoute, status: 502, when: "after", times: 4 });
    await commandInThread(sim, webhookUrl(), scenario);

    const reply = await waitFor(() => answersInThread(sim, scenario)[0], "Longview's reply");
    expect(reply.body).toMatch(/^@alice Committed \[`[0-9a-f]{7}`\]/);
    await expectFixedAndReviewed(sim, scenario);
    await commandJobDone(scenario.repo);
    expect(answersInThread(sim, scenario)).toHaveLength(1);
    // The update was sent once; the 502 was resolved by reading the branch, not by sending it again.
    expect(sim.requests.filter((r) => r.method === "PATCH" && r.path === refRoute)).toMatchObject([{ status: 502, applied: true }]);
    expect(sim.violations).toEqual([]);
  }, 120_000);

  test("502 after the answer and after the 👀 were stored: exactly one of each", async () => {
    const scenario = await reviewedPullRequest(sim, webhookUrl(), "reply-502");
    const { repo, pr } = scenario;
    const faults: InjectedFault[] = [];
    // On the conversation, where nothing but the answer is posted (the review's "Fixed in" replies go to the finding's
    // thread); injected once alice's command comment exists, which is posted on the same route.
    const commandId = await commandOnConversation(sim, webhookUrl(), scenario, (id) => {
      faults.push(
        sim.faults.inject({ method: "POST", route: `/repos/${repo}/issues/${pr.number}/comments`, status: 502, when: "after" }),
        sim.faults.inject({ method: "POST", route: `/repos/${repo}/issues/comments/${id}/reactions`, status: 502, when: "after" }),
      );
    });

    await waitFor(() => answersOnConversation(sim, scenario)[0], "Longview's answer");
    await expectFixedAndReviewed(sim, scenario);
    await commandJobDone(repo);
    const answers = answersOnConversation(sim, scenario);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.body).toMatch(/^@alice Committed/);
    expect(sim.state.reactions().filter((r) => r.subjectType === "issue_comment" && r.subjectId === commandId)).toMatchObject([{ content: "eyes" }]);
    expect(faults.map((f) => f.hits)).toEqual([1, 1]);
    expect(sim.violations).toEqual([]);
  }, 120_000);
});

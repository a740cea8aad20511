import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fake-openai.js";

/**
 * The check-run gate end to end: a re-run request reviews the commit again,
 * and a newer push cancels the older commit's unfinished run.
 */

let sim: Simulator;
let model: FakeOpenAI;
let longview: LongviewProcess;
/** While set, the scripted model holds every request until it is called. */
let gate: Promise<void> | null = null;

beforeAll(async () => {
  sim = await startSimulator();
  model = await startFakeOpenAI(async () => {
    if (gate) await gate;
    return { findings: [], notes: [] };
  });
  longview = await startLongview({ ...simulatorEnv(sim), OPENAI_API_KEY: "sk-e2e", OPENAI_BASE_URL: model.baseUrl, LONGVIEW_OPENAI_MAX_RETRIES: "0" });
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await model?.close();
  await sim?.close();
});

async function repoWithPullRequest(name: string) {
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "src/a.js": "export const a = 1;\n" } }],
    branches: { feature: { commits: [{ message: "b", files: { "src/a.js": "export const a = 1;\nexport const b = 2;\n" } }] } },
  });
  return sim.createPullRequest({ repo: `acme/${name}`, head: "feature", base: "main", title: "Add b" });
}

const deliver = (event: string, payload: Record<string, unknown>) =>
  deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event, payload });

describe("check run", () => {
  test("Re-run (check_run.rerequested) reviews the commit again and completes the same run", async () => {
    const pr = await repoWithPullRequest("rerun");
    await deliver("pull_request", pr.payload);
    const first = await waitFor(() => sim.state.checkRuns("acme/rerun", pr.headSha).find((c) => c.status === "completed"), "first run");
    expect(first.conclusion).toBe("success");
    const reviewsBefore = sim.state.reviews("acme/rerun", pr.number).length;
    const requestsBefore = model.requests.length;

    await deliver("check_run", {
      action: "rerequested",
      check_run: { id: first.id, name: first.name, head_sha: pr.headSha, pull_requests: [{ number: pr.number }] },
      repository: pr.payload.repository,
      sender: pr.payload.sender,
      installation: pr.payload.installation,
    });
    await waitFor(() => model.requests.length > requestsBefore, "the commit to be reviewed again");
    const runs = await waitFor(() => {
      const all = sim.state.checkRuns("acme/rerun", pr.headSha);
      return all.every((c) => c.status === "completed") ? all : null;
    }, "re-run completed");
    expect(runs.map((r) => [r.id, r.conclusion])).toEqual([[first.id, "success"]]);
    // Same head, nothing new: the re-run does not post a second review (exactly-once).
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.state.reviews("acme/rerun", pr.number)).toHaveLength(reviewsBefore);
    expect(sim.violations).toEqual([]);
  });

  test("a second push cancels the first commit's unfinished run", async () => {
    const pr = await repoWithPullRequest("supersede");
    let release!: () => void;
    gate = new Promise((resolve) => (release = resolve));
    try {
      await deliver("pull_request", pr.payload);
      await waitFor(() => sim.state.checkRuns("acme/supersede", pr.headSha).find((c) => c.status === "in_progress"), "first run in progress");

      const push = await sim.pushCommit("acme/supersede", "feature", { message: "c", files: { "src/a.js": "export const a = 1;\nexport const b = 3;\n" } });
      const [synchronize] = push.events;
      gate = null;
      release();
      await deliver(synchronize!.name, synchronize!.payload);

      const old = await waitFor(() => sim.state.checkRuns("acme/supersede", pr.headSha).find((c) => c.status === "completed"), "old run completed");
      expect(old).toMatchObject({ conclusion: "cancelled", title: `Superseded by ${push.sha.slice(0, 7)}` });
      const latest = await waitFor(() => sim.state.checkRuns("acme/supersede", push.sha).find((c) => c.status === "completed"), "new run completed");
      expect(latest.conclusion).toBe("success");
      // Only the newer commit was reviewed.
      await new Promise((r) => setTimeout(r, 500));
      expect(sim.state.reviews("acme/supersede", pr.number).map((r) => r.commitId)).toEqual([push.sha]);
      expect(sim.violations).toEqual([]);
    } finally {
      gate = null;
      release();
    }
  });
});

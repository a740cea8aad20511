import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { startFakeOpenAI, type FakeOpenAI, type ScriptedModelOutput } from "./fake-openai.js";

/**
 * The embedded default (no Redis) survives its process: the real server is
 * killed (SIGKILL, as by the OOM killer) or stopped (SIGTERM past its
 * deadline) in the middle of a review, and started again on the same job
 * journal. The review resumes and completes the same check run; nothing is
 * left in progress, nothing is posted twice.
 */

let sim: Simulator;
let model: FakeOpenAI;
let dir: string;
/** Model answers wait for this while a test wants a review caught mid-way. */
let hold: Promise<void> = Promise.resolve();
let release: () => void = () => undefined;

const clean: ScriptedModelOutput = { findings: [], notes: [] };

beforeAll(async () => {
  sim = await startSimulator();
  model = await startFakeOpenAI(async () => {
    await hold;
    return clean;
  });
  dir = mkdtempSync(join(tmpdir(), "longview-restart-"));
}, 60_000);

afterAll(async () => {
  release();
  await model?.close();
  await sim?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function pullRequest(name: string) {
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "a.js": "export const a = 1;\n" } }],
    branches: { feature: { commits: [{ message: "change", files: { "a.js": "export const a = 2;\n" } }] } },
  });
  return sim.createPullRequest({ repo: `acme/${name}`, head: "feature", base: "main", title: "change" });
}

function start(journal: string, extra: Record<string, string> = {}): Promise<LongviewProcess> {
  return startLongview({
    ...simulatorEnv(sim),
    OPENAI_API_KEY: "sk-test-restart",
    OPENAI_BASE_URL: model.baseUrl,
    LONGVIEW_OPENAI_MAX_RETRIES: "0",
    LONGVIEW_JOURNAL: journal,
    ...extra,
  });
}

describe.each([
  ["killed (SIGKILL)", "kill" as const],
  ["stopped (SIGTERM) past its shutdown deadline", "stop" as const],
])("the server %s mid-review", (_label, how) => {
  test("restarts on its journal, resumes the review and completes the same check run", async () => {
    const name = `restart-${how}`;
    const journal = join(dir, `${name}.sqlite`);
    const pr = await pullRequest(name);
    hold = new Promise((resolve) => (release = resolve));
    const before = model.requests.length;

    const first = await start(journal, { LONGVIEW_SHUTDOWN_TIMEOUT_MS: "200" });
    await deliverWebhook({ url: first.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
    await waitFor(() => (model.requests.length > before ? true : null), "the model call of the first attempt");
    const [running] = sim.state.checkRuns(`acme/${name}`, pr.headSha);
    expect(running?.status).toBe("in_progress");
    await (how === "kill" ? first.kill() : first.stop());
    release();

    const second = await start(journal);
    try {
      const done = await waitFor(() => sim.state.checkRuns(`acme/${name}`, pr.headSha).find((c) => c.status === "completed"), "the resumed review");
      expect(done.id).toBe(running!.id);
      expect(done.conclusion).toBe("success");
      expect(sim.state.checkRuns(`acme/${name}`, pr.headSha)).toHaveLength(1);
      expect(sim.state.reviews(`acme/${name}`, pr.number).filter((r) => r.body.includes("### Longview review"))).toHaveLength(1);
      expect(second.logs.some((l) => l.includes("journaled job resumed"))).toBe(true);
      expect(sim.violations).toEqual([]);
    } finally {
      await second.stop();
    }
  }, 90_000);
});

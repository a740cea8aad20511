import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { describeWithRedis, redisAvailable } from "../helpers/redis.js";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { FINDING_LINE, generatedPullRequest } from "../../tools/demo/large-review.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { REDIS_URL, deleteKeys, testPrefix } from "../integration/queue/queue-harness.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fake-openai.js";

/**
 * Redis mode with two worker processes (src/worker.ts) and a large pull
 * request: the worker that takes the review keeps renewing its BullMQ job lock
 * (timers on its event loop) for the whole review, so the other worker never
 * sees the job as stalled and never starts a second review of it. Locks are
 * short here (1 s, renewed every 500 ms, checked every 500 ms) so that a loop
 * held for more than half a second would show; before the analyzers and
 * window planning moved to worker threads, this review held it for up to 1.4 s.
 */

const FILES = 400;
const LINES_PER_FILE = 1_000;
const prefix = testPrefix();

let sim: Simulator;
let model: FakeOpenAI;
const processes: LongviewProcess[] = [];

beforeAll(async () => {
  if (!redisAvailable) return;
  sim = await startSimulator();
  model = await startFakeOpenAI(() => ({ findings: [], notes: [] }));
  const env = {
    ...simulatorEnv(sim),
    OPENAI_API_KEY: "sk-e2e-redis-0123456789",
    OPENAI_BASE_URL: model.baseUrl,
    REDIS_URL,
    LONGVIEW_QUEUE_PREFIX: prefix,
    LONGVIEW_JOB_LOCK_MS: "1000",
    LONGVIEW_STALLED_INTERVAL_MS: "500",
  };
  processes.push(await startLongview(env, { timeoutMs: 60_000 }));
  processes.push(
    ...(await Promise.all([startLongview(env, { entry: "worker", timeoutMs: 60_000 }), startLongview(env, { entry: "worker", timeoutMs: 60_000 })])),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => p.stop()));
  await model?.close();
  await sim?.close();
  await deleteKeys(prefix);
});

describeWithRedis("a large pull request with two Redis workers", () => {
  test("one worker reviews it, once: its job lock is renewed throughout and no second review starts", async () => {
    const [server, ...workers] = processes as [LongviewProcess, LongviewProcess, LongviewProcess];
    const pr = await generatedPullRequest(sim, { repo: "large-redis", files: FILES, line: FINDING_LINE, linesPerFile: LINES_PER_FILE, modify: true });
    const delivery = await deliverWebhook({ url: server.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
    expect(delivery.status).toBeLessThan(300);

    const run = await waitFor(() => sim.state.checkRuns(pr.repo, pr.headSha).find((c) => c.status === "completed"), "the check run", 240_000, 200);
    // A job taken over after a lost lock would start again on the other worker within a stall interval or two.
    await new Promise((r) => setTimeout(r, 3_000));

    const started = workers.map((w) => w.logs.filter((line) => line.includes('"msg":"review job started"')).length);
    expect(started.reduce((a, b) => a + b, 0)).toBe(1);
    expect(workers.flatMap((w) => w.logs).filter((line) => /Missing lock|stalled/i.test(line))).toEqual([]);
    expect(run.title).toBe(`${FILES} blocking findings (P1 or worse in bug/security)`);
    expect(sim.state.checkRuns(pr.repo, pr.headSha)).toHaveLength(1);
    expect(sim.state.reviews(pr.repo, pr.number)).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  }, 300_000);
});

import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { describeWithRedis, redisAvailable } from "../helpers/redis.js";
import nock from "nock";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { REDIS_URL, deleteKeys, testPrefix } from "../integration/queue/queue-harness.js";
import { answersInThread, commandInThread, expectFixedAndReviewed, reviewedPullRequest } from "./fix-scenario.js";
import { startPassThroughProxy, type PassThroughProxy } from "./pass-through-proxy.js";

/**
 * A worker process dies right after GitHub moved the branch to its fix
 * commit, before it heard GitHub's answer: the real server and worker
 * processes on Redis, the simulator behind a pass-through proxy that kills
 * the worker (SIGKILL) once the ref update is applied. Another worker takes
 * the job over when its lock expires; it must not fix again, but answer
 * that the fix was committed and queue the review of that commit.
 */

const prefix = testPrefix();
let sim: Simulator;
let proxy: PassThroughProxy;
let server: LongviewProcess;
const workers: LongviewProcess[] = [];

/** The queue: Redis, short locks so that a dead worker's job is taken over within a second or two. */
const queueEnv = {
  REDIS_URL,
  LONGVIEW_QUEUE_PREFIX: prefix,
  LONGVIEW_JOB_LOCK_MS: "1000",
  LONGVIEW_STALLED_INTERVAL_MS: "500",
  LONGVIEW_JOB_BACKOFF_MS: "300",
};

beforeAll(async () => {
  if (!redisAvailable) return;
  nock.restore();
  sim = await startSimulator();
  const [hostname, port] = sim.host.split(":") as [string, string];
  proxy = await startPassThroughProxy({ hostname, port: Number(port) });
  server = await startLongview({ ...simulatorEnv(sim), ...queueEnv });
}, 60_000);

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await server?.stop();
  await proxy?.close();
  await sim?.close();
  await deleteKeys(prefix);
});

async function startWorker(): Promise<LongviewProcess> {
  const worker = await startLongview({ ...simulatorEnv(sim), GHE_HOST: proxy.host, ...queueEnv }, { entry: "worker" });
  workers.push(worker);
  return worker;
}

describeWithRedis("/agent fix: the worker dies right after the branch moved", () => {
  test("the job's next run answers that the fix was committed and queues its review; the fix is not made twice", async () => {
    const first = await startWorker();
    const scenario = await reviewedPullRequest(sim, server.webhookUrl, "crash-fix");
    let applied: number | null = null;
    proxy.interceptOnce({
      method: "PATCH",
      path: `/api/v3/repos/${scenario.repo}/git/refs/heads%2Ffeature`,
      afterApplied: async (status) => {
        await first.kill();
        applied = status;
      },
    });
    await commandInThread(sim, server.webhookUrl, scenario);
    expect(await waitFor(() => applied, "the worker to be killed after the ref update")).toBe(200);
    const fixCommit = await sim.state.branchTip(scenario.repo, "feature");
    expect(answersInThread(sim, scenario)).toEqual([]);

    // A second worker takes the job over once the dead one's lock expired.
    const second = await startWorker();
    const reply = await waitFor(() => answersInThread(sim, scenario)[0], "the answer of the job's next run", 60_000);
    expect(reply.body).toMatch(/^@alice Committed \[`[0-9a-f]{7}`\]/);
    expect(reply.body).toContain(fixCommit!.slice(0, 7));
    expect(await expectFixedAndReviewed(sim, scenario)).toBe(fixCommit);
    // The worker's log reaches this process through its stdout, which can trail its GitHub writes on a busy machine.
    await waitFor(() => second.logs.find((line) => line.includes("fix commit found saved as committing")), "the worker to log the saved fix commit");
    expect(second.logs.some((line) => line.includes("fix commit found saved as committing") && line.includes('"place":"holds"'))).toBe(true);
    await waitFor(() => second.logs.find((line) => /"kind":"command".*"msg":"command job finished"/.test(line)), "the command job to finish");
    expect(answersInThread(sim, scenario)).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { redisServerAvailable, startOwnRedis, type OwnRedis } from "../helpers/redis-server.js";

/**
 * Redis goes away while webhooks keep coming: the real server and worker
 * processes on a Redis of this test's own, which it kills and restarts. The
 * server keeps accepting deliveries (a local spool), and once Redis is back
 * they are forwarded and reviewed — none answered 5xx, none lost, none twice.
 */

const describeIf = redisServerAvailable ? describe : describe.skip;
let sim: Simulator;
let redis: OwnRedis;
const processes: LongviewProcess[] = [];

beforeAll(async () => {
  if (!redisServerAvailable) return;
  nock.restore();
  sim = await startSimulator();
  redis = await startOwnRedis();
}, 60_000);

afterAll(async () => {
  for (const p of processes) await p.stop();
  await redis?.stop();
  await sim?.close();
});

async function pullRequest(name: string) {
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "a.js": "1\n" } }],
    branches: { feature: { commits: [{ message: "eval", files: { "a.js": "eval(process.argv[2]);\n" } }] } },
  });
  const pr = await sim.createPullRequest({ repo: `acme/${name}`, head: "feature", base: "main", title: "x" });
  return { ...pr, repo: `acme/${name}` as const };
}

describeIf(`Redis unreachable${redisServerAvailable ? "" : " [skipped: no redis-server binary]"}`, () => {
  test("deliveries during the outage are accepted, spooled, forwarded when Redis is back, and each reviewed once", async () => {
    const env = {
      ...simulatorEnv(sim),
      REDIS_URL: redis.url,
      LONGVIEW_QUEUE_PREFIX: "outage",
      LONGVIEW_STALLED_INTERVAL_MS: "500",
      LONGVIEW_JOB_LOCK_MS: "2000",
    };
    const server = await startLongview(env);
    processes.push(server);
    processes.push(await startLongview(env, { entry: "worker" }));

    await redis.kill();
    const during = await Promise.all([pullRequest("outage-1"), pullRequest("outage-2")]);
    const answers = [];
    for (const pr of during) {
      answers.push(await deliverWebhook({ url: server.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload }));
    }
    // The same delivery again (GitHub's retry, or a replay): spooled too, enqueued once.
    answers.push(await deliverWebhook({ url: server.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: during[0]!.payload }));
    for (const a of answers) expect(a.status).toBeLessThan(300);
    const health = (await (await fetch(`http://127.0.0.1:${server.port}/healthz`)).json()) as { redis?: string; error?: string };
    expect(health).toMatchObject({ redis: "down" });
    expect(health.error).toMatch(/spooled/);

    await redis.restart();
    for (const pr of during) {
      const run = await waitFor(() => sim.state.checkRuns(pr.repo, pr.headSha).find((c) => c.status === "completed"), `the review of ${pr.repo}`, 60_000);
      expect(run.conclusion).toBe("failure");
    }
    await new Promise((r) => setTimeout(r, 1_500));
    for (const pr of during) {
      expect(sim.state.checkRuns(pr.repo, pr.headSha)).toHaveLength(1);
      expect(sim.state.reviews(pr.repo, pr.number).filter((r) => r.body.includes("### Longview review"))).toHaveLength(1);
    }
    expect(server.logs.filter((l) => l.includes("spooled job forwarded to Redis"))).toHaveLength(3);
    expect(sim.violations).toEqual([]);
  }, 120_000);

  test("a server started while Redis is down starts anyway and spools", async () => {
    await redis.kill();
    const server = await startLongview({ ...simulatorEnv(sim), REDIS_URL: redis.url, LONGVIEW_QUEUE_PREFIX: "outage-start" }, { timeoutMs: 30_000 });
    processes.push(server);
    const pr = await pullRequest("outage-start");
    const answer = await deliverWebhook({ url: server.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
    expect(answer.status).toBeLessThan(300);
    await waitFor(() => (server.logs.some((l) => l.includes("Redis did not take the job; spooled on local disk")) ? true : null), "the job to be spooled");
    await redis.restart();
    await waitFor(() => (server.logs.some((l) => l.includes("spooled job forwarded to Redis")) ? true : null), "the spooled job to reach Redis", 30_000);
  }, 90_000);
});

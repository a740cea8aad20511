import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testWithRedis } from "../../helpers/redis.js";
import { request } from "node:http";
import { afterEach, describe, expect, test } from "@jest/globals";
import { sign } from "@octokit/webhooks-methods";
import { loadEnv } from "../../../src/config/env.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import { RedisJobQueue } from "../../../src/queue/redis-queue.js";
import { startServer, type RunningServer } from "../../../src/server.js";
import { startWorker, type RunningWorker } from "../../../src/start-worker.js";
import { pullRequestOpened } from "./github-examples.js";
import { FakeBody, REDIS_URL, deleteKeys, reviewJob, silent, testPrefix, waitFor } from "./queue-harness.js";

/**
 * The real composition (`startServer`, `startWorker`) with a fake job body:
 * a signed webhook over HTTP is answered and queued, the job runs, and the
 * operations endpoints report it.
 */

const SECRET = "wiring-secret";
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
// A journal of this run's own: the default one (data/ under the working directory) would carry state between runs.
const env = (extra: Record<string, string> = {}) =>
  loadEnv({
    APP_ID: "1",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    HOST: "127.0.0.1",
    PORT: "0",
    LONGVIEW_WORKER_PORT: "0",
    LONGVIEW_JOURNAL: join(mkdtempSync(join(tmpdir(), "longview-wiring-")), "jobs.sqlite"),
    ...extra,
  });

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A webhook delivery as GitHub sends it (node:http: nock's fetch interception cannot send POST bodies under jest). */
async function deliver(port: number, id: string, payload: unknown, signature?: string): Promise<number> {
  const body = JSON.stringify(payload);
  const headers = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "x-github-event": "pull_request",
    "x-github-delivery": id,
    "x-hub-signature-256": signature ?? (await sign(SECRET, body)),
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/api/github/webhooks", headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("server and worker wiring", () => {
  test("in-process: a signed webhook is acknowledged and reviewed in the same process; /healthz and /metrics report it", async () => {
    const body = new FakeBody();
    const server: RunningServer = await startServer(env(), silent, { jobHandler: () => body });
    stops.push(() => server.stop());

    expect(await deliver(server.port, "wiring-1", pullRequestOpened(42))).toBe(200);
    await waitFor(() => body.finished().length === 1);
    expect(body.runs[0]!.job).toMatchObject({ deliveryId: "wiring-1", installationId: 42 });

    // A forged delivery is refused before any handler runs.
    expect(await deliver(server.port, "wiring-2", pullRequestOpened(42), `sha256=${"0".repeat(64)}`)).toBeGreaterThanOrEqual(400);

    const health = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok", ok: true, queue: "in-process" }]);
    const metrics = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(metrics).toContain('longview_jobs_enqueued_total{result="queued"} 1');
    expect(metrics).toContain('longview_jobs_finished_total{outcome="reviewed"}');
  });

  testWithRedis("Redis: the app only enqueues; a worker process composition runs the job and serves its own /healthz", async () => {
    const prefix = testPrefix();
    const redisEnv = env({ REDIS_URL, LONGVIEW_QUEUE_PREFIX: prefix, LONGVIEW_SHUTDOWN_TIMEOUT_MS: "1000" });
    stops.push(() => deleteKeys(prefix));
    const server = await startServer(redisEnv, silent, { jobHandler: () => new FakeBody() });
    stops.push(() => server.stop());
    expect(await deliver(server.port, "wiring-redis-1", pullRequestOpened(42))).toBe(200);

    const queue = await RedisJobQueue.connect({
      kinds: jobKinds,
      redisUrl: REDIS_URL,
      prefix,
      settings: { attempts: 1, backoffMs: 10 },
      deliveryTtlSeconds: 60,
      log: silent,
    });
    stops.push(() => queue.close());
    expect(await queue.depth()).toMatchObject({ waiting: 1 });

    const body = new FakeBody();
    const worker: RunningWorker = await startWorker(redisEnv, silent, { jobHandler: () => body });
    stops.push(() => worker.stop());
    await waitFor(() => body.finished().length === 1);
    expect(body.runs[0]!.job).toMatchObject({ deliveryId: "wiring-redis-1" });
    await queue.enqueue(reviewJob({ pullNumber: 3 }));
    await waitFor(() => body.finished().length === 2);

    const health = await fetch(`http://127.0.0.1:${worker.port}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok", ok: true, queue: "redis", redis: "up" }]);
    const metrics = await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text();
    expect(metrics).toContain('longview_jobs_finished_total{outcome="reviewed"} 2');
  });
});

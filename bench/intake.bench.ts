/**
 * Webhook intake benchmark: `npm run bench:intake`.
 *
 * Sends signed `pull_request.opened` deliveries over loopback at a fixed
 * rate (open loop: a slow answer does not slow the sender) to
 *   - queue:  Longview's server (`startServer`) with the in-process queue,
 *   - redis:  the same server with the BullMQ queue, plus a worker
 *             (`startWorker`) — only when REDIS_URL is set or BENCH_MODES asks,
 *   - inline: a Probot server whose handler runs the job body before
 *             answering, as Probot does by default,
 * with a stub job body that sleeps BENCH_JOB_MS (a review stand-in). Prints
 * acknowledgement latency (p50 / p99 / max) and jobs lost: deliveries
 * answered 2xx whose job never completed.
 *
 * Settings (environment): BENCH_RATE=200 (per second), BENCH_DURATION_S=30
 * (at most 30 by default), BENCH_JOB_MS=2000, BENCH_MODES=queue,inline[,redis].
 * Sender and server share this process, so latencies include the sender's
 * own work: they are an upper bound.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { sign } from "@octokit/webhooks-methods";
import { pino } from "pino";
import { Probot, Server } from "probot";
import { loadEnv, type Env } from "../src/config/env.js";
import type { ReviewJobHandler } from "../src/queue/kinds/review.js";
import { startServer } from "../src/server.js";
import { startWorker } from "../src/start-worker.js";

const RATE = positive("BENCH_RATE", 200);
const DURATION_S = positive("BENCH_DURATION_S", 30);
const JOB_MS = positive("BENCH_JOB_MS", 2_000);
const MODES = (process.env.BENCH_MODES ?? `queue,inline${process.env.REDIS_URL ? ",redis" : ""}`).split(",").map((m) => m.trim());
const SECRET = "bench-secret";
const log = pino({ level: "silent" });

interface Target {
  readonly port: number;
  readonly completed: ReadonlySet<string>;
  stop(): Promise<void>;
}

interface Result {
  readonly mode: string;
  readonly sent: number;
  readonly acked: number;
  readonly failed: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly completed: number;
  readonly lost: number;
  readonly drainS: number;
}

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as {
  name: string;
  examples: (Record<string, unknown> & { action?: string })[];
}[];
const opened = openedExample();
const privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();

function stubBody(completed: Set<string>): ReviewJobHandler {
  return {
    run: async (job) => {
      await sleep(JOB_MS);
      completed.add(job.deliveryId);
      return "reviewed";
    },
  };
}

function benchEnv(extra: Record<string, string> = {}): Env {
  return loadEnv({
    APP_ID: "1",
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: SECRET,
    HOST: "127.0.0.1",
    PORT: "0",
    LOG_LEVEL: "silent",
    // The stub only sleeps: let every job run at once, so the queue keeps up with the arrival rate.
    LONGVIEW_QUEUE_CONCURRENCY: "256",
    LONGVIEW_INSTALLATION_CONCURRENCY: "256",
    LONGVIEW_SHUTDOWN_TIMEOUT_MS: String(JOB_MS + 5_000),
    LONGVIEW_WORKER_PORT: "0",
    // The production default: every job journaled on disk before the webhook is answered.
    LONGVIEW_JOURNAL: join(mkdtempSync(join(tmpdir(), "longview-bench-")), "jobs.sqlite"),
    ...extra,
  });
}

async function queueTarget(): Promise<Target> {
  const completed = new Set<string>();
  const server = await startServer(benchEnv(), log, { jobHandler: () => stubBody(completed) });
  return { port: server.port, completed, stop: () => server.stop() };
}

async function redisTarget(): Promise<Target> {
  const completed = new Set<string>();
  const prefix = `lvbench-${randomUUID().slice(0, 8)}`;
  const env = benchEnv({ REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", LONGVIEW_QUEUE_PREFIX: prefix });
  const server = await startServer(env, log);
  const worker = await startWorker(env, log, { jobHandler: () => stubBody(completed) });
  return {
    port: server.port,
    completed,
    stop: async () => {
      await server.stop();
      await worker.stop();
      await deletePrefix(env.REDIS_URL ?? "", prefix);
    },
  };
}

async function inlineTarget(): Promise<Target> {
  const completed = new Set<string>();
  const ProbotWithConfig = Probot.defaults({ appId: 1, privateKey, secret: SECRET, log });
  const server = new Server({ Probot: ProbotWithConfig, host: "127.0.0.1", port: 0, log, enableStaticFiles: false });
  await server.load((app) => {
    app.on("pull_request.opened", async (context) => {
      await sleep(JOB_MS);
      completed.add(context.id);
    });
  });
  await server.start();
  return { port: server.port, completed, stop: () => server.stop() };
}

async function run(mode: string, target: Target): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const total = RATE * DURATION_S;
  const latencies: number[] = [];
  const acked = new Set<string>();
  let failed = 0;
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const id = randomUUID();
    const body = JSON.stringify({
      ...opened,
      number: i + 1,
      pull_request: { ...(opened.pull_request as Record<string, unknown>), number: i + 1 },
      installation: { id: 1 + (i % 50) },
    });
    inFlight.push(
      deliver(agent, target.port, id, body).then(
        ({ status, ms }) => {
          latencies.push(ms);
          if (status >= 200 && status < 300) acked.add(id);
          else failed++;
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const drainStarted = performance.now();
  const drainDeadline = drainStarted + JOB_MS + 30_000;
  while ([...acked].some((id) => !target.completed.has(id)) && performance.now() < drainDeadline) await sleep(100);
  const drainS = (performance.now() - drainStarted) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const lost = [...acked].filter((id) => !target.completed.has(id)).length;
  return {
    mode,
    sent: total,
    acked: acked.size,
    failed,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? 0,
    completed: [...acked].filter((id) => target.completed.has(id)).length,
    lost,
    drainS,
  };
}

async function deliver(agent: Agent, port: number, id: string, body: string): Promise<{ status: number; ms: number }> {
  const signature = await sign(SECRET, body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/github/webhooks",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-github-event": "pull_request",
          "x-github-delivery": id,
          "x-hub-signature-256": signature,
          "user-agent": "GitHub-Hookshot/bench",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function deletePrefix(url: string, prefix: string): Promise<void> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(url);
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
  await redis.quit();
}

function openedExample(): Record<string, unknown> {
  const example = examples.find((e) => e.name === "pull_request")?.examples.find((e) => e.action === "opened");
  if (!example) throw new Error("no pull_request.opened example in @octokit/webhooks-examples");
  return example;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const targets: Record<string, () => Promise<Target>> = { queue: queueTarget, redis: redisTarget, inline: inlineTarget };
const results: Result[] = [];
process.stdout.write(`intake bench: ${RATE}/s for ${DURATION_S} s (${RATE * DURATION_S} deliveries per mode), job body ${JOB_MS} ms\n`);
for (const mode of MODES) {
  const make = targets[mode];
  if (!make) throw new Error(`unknown mode ${mode} (queue, redis, inline)`);
  const target = await make();
  try {
    results.push(await run(mode, target));
  } finally {
    await target.stop();
  }
  process.stdout.write(`  ${mode}: done\n`);
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
process.stdout.write("\nmode    sent  acked  non-2xx  ack p50     ack p99     ack max     completed  lost  drain\n");
for (const r of results) {
  process.stdout.write(
    `${r.mode.padEnd(7)} ${String(r.sent).padStart(5)} ${String(r.acked).padStart(6)} ${String(r.failed).padStart(8)}  ${fmt(r.p50).padEnd(11)} ${fmt(r.p99).padEnd(11)} ${fmt(r.max).padEnd(11)} ${String(r.completed).padStart(9)} ${String(r.lost).padStart(5)}  ${r.drainS.toFixed(1)} s\n`,
  );
}
const lost = results.reduce((n, r) => n + r.lost + r.failed, 0);
process.exitCode = lost === 0 ? 0 : 1;

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { loadEnv } from "../../../src/config/env.js";
import { LongviewMetrics } from "../../../src/ops/metrics.js";
import { DEFAULT_MODEL_PRICES, estimateCostUsd, priceTable } from "../../../src/config/model-prices.js";
import { opsRoutes } from "../../../src/ops/ops-routes.js";
import { observeRateLimit } from "../../../src/github/rate-limit-observer.js";
import type { QueueHealth } from "../../../src/queue/queue.js";
import { GITHUB_API, silentLog, testOctokit } from "../../helpers/github.js";

const metrics = () => new LongviewMetrics({ prices: priceTable({ "local-model": { input: 1, output: 2 } }), log: silentLog });

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(null)));
  server = null;
  nock.cleanAll();
});

async function serve(health: () => Promise<QueueHealth>, m: LongviewMetrics): Promise<string> {
  const routes = opsRoutes({ queueKind: "redis", health, metrics: m, log: silentLog });
  server = createServer((req, res) => {
    void routes(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end("not mine");
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("LongviewMetrics", () => {
  test("queue depth (asked at scrape time), job outcomes and durations, tokens and estimated cost", async () => {
    const m = metrics();
    let queries = 0;
    // A slow queue (Redis over the network): both gauges must wait for the same answer.
    m.watchQueue(async () => {
      queries++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { waiting: 3, active: 1, delayed: 2, failed: 0 };
    });
    m.enqueued({ status: "queued", jobId: "j1", superseded: { jobId: "j0", state: "running" } });
    m.enqueued({ status: "duplicate", reason: "delivery", jobId: null });
    m.jobFinished("reviewed", 42);
    m.modelUsage("local-model", { inputTokens: 1_000_000, outputTokens: 500_000, reasoningTokens: 100_000 }, 3);
    m.modelUsage("mystery-model", { inputTokens: 10, outputTokens: 1, reasoningTokens: 0 }, 1);
    m.rateLimit(42, "core", 4_321);

    const text = await m.render();
    expect(text).toContain('longview_queue_jobs{state="waiting"} 3');
    expect(text).toContain('longview_queue_jobs{state="delayed"} 2');
    expect(text).toMatch(/^longview_queue_up 1$/m);
    expect(text).toContain('longview_jobs_enqueued_total{result="queued"} 1');
    expect(text).toContain('longview_jobs_enqueued_total{result="duplicate_delivery"} 1');
    expect(text).toContain('longview_jobs_superseded_total{state="running"} 1');
    expect(text).toContain('longview_jobs_finished_total{outcome="reviewed"} 1');
    expect(text).toContain('longview_job_duration_seconds_bucket{le="60",outcome="reviewed"} 1');
    expect(text).toContain('longview_model_tokens_total{model="local-model",kind="input"} 1000000');
    expect(text).toContain('longview_model_calls_total{model="local-model"} 3');
    expect(text).toContain('longview_model_cost_usd_total{model="local-model"} 2');
    expect(text).not.toContain('longview_model_cost_usd_total{model="mystery-model"}');
    expect(text).toContain('longview_github_rate_limit_remaining{installation="42",resource="core"} 4321');
    expect(queries).toBe(1);
    await m.render();
    expect(queries).toBe(2);
  });

  test("a queue that does not answer shows as down, not as an error", async () => {
    const m = metrics();
    m.watchQueue(async () => {
      throw new Error("ECONNREFUSED");
    });
    expect(await m.render()).toMatch(/^longview_queue_up 0$/m);
  });
});

describe("model prices", () => {
  test("dated snapshots use their base model's price; unknown models have none", () => {
    const usage = { inputTokens: 2_000_000, outputTokens: 1_000_000, reasoningTokens: 0 };
    expect(estimateCostUsd(DEFAULT_MODEL_PRICES, "gpt-4o-2024-08-06", usage)).toBeCloseTo(15);
    expect(estimateCostUsd(DEFAULT_MODEL_PRICES, "unknown", usage)).toBeNull();
  });

  test("LONGVIEW_MODEL_PRICES is validated JSON merged over the defaults", () => {
    const env = loadEnv({ LONGVIEW_MODEL_PRICES: '{"mine":{"input":0.5,"output":1.5}}' });
    expect(priceTable(env.LONGVIEW_MODEL_PRICES)).toMatchObject({ mine: { input: 0.5, output: 1.5 }, "gpt-4o": DEFAULT_MODEL_PRICES["gpt-4o"] });
    expect(() => loadEnv({ LONGVIEW_MODEL_PRICES: "{nope" })).toThrow("LONGVIEW_MODEL_PRICES: must be JSON");
    expect(() => loadEnv({ LONGVIEW_MODEL_PRICES: '{"mine":{"input":-1,"output":1}}' })).toThrow("LONGVIEW_MODEL_PRICES");
  });
});

describe("GET /healthz and /metrics", () => {
  test("200 with JSON when the queue answers, 503 when it does not, Prometheus text on /metrics, other paths untouched", async () => {
    const m = metrics();
    let up = true;
    const base = await serve(async () => (up ? { ok: true, queue: "redis", redis: "up" } : { ok: false, queue: "redis", redis: "down", error: "timeout" }), m);

    const ok = await fetch(`${base}/healthz`);
    expect([ok.status, await ok.json()]).toEqual([200, { status: "ok", ok: true, queue: "redis", redis: "up" }]);
    up = false;
    const down = await fetch(`${base}/healthz`);
    expect([down.status, await down.json()]).toEqual([503, { status: "unavailable", ok: false, queue: "redis", redis: "down", error: "timeout" }]);

    const scrape = await fetch(`${base}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get("content-type")).toContain("text/plain");
    expect(await scrape.text()).toContain("# TYPE longview_jobs_finished_total counter");
    expect((await fetch(`${base}/api/github/webhooks`)).status).toBe(404);
  });
});

describe("observeRateLimit", () => {
  test("records x-ratelimit-remaining from every response of the client", async () => {
    nock(GITHUB_API)
      .get("/repos/o/r/pulls/1")
      .reply(200, { number: 1 }, { "x-ratelimit-remaining": "4999", "x-ratelimit-resource": "core" })
      .get("/repos/o/r/pulls/2")
      .reply(200, { number: 2 }, { "x-ratelimit-remaining": "4998" });
    const gh = testOctokit();
    const seen: [number, string, number][] = [];
    observeRateLimit(gh, 7, (id, resource, remaining) => seen.push([id, resource, remaining]));
    await gh.rest.pulls.get({ owner: "o", repo: "r", pull_number: 1 });
    await gh.rest.pulls.get({ owner: "o", repo: "r", pull_number: 2 });
    expect(seen).toEqual([
      [7, "core", 4999],
      [7, "core", 4998],
    ]);
  });
});

describe("process faults", () => {
  test("the guard's counts are exported as longview_process_faults_total", async () => {
    let counts = { unhandled_rejection: 0, uncaught_exception: 0 };
    const m = new LongviewMetrics({ prices: priceTable({}), log: silentLog, processFaults: () => counts });
    expect(await m.render()).toContain('longview_process_faults_total{kind="unhandled_rejection"} 0');
    counts = { unhandled_rejection: 2, uncaught_exception: 1 };
    const text = await m.render();
    expect(text).toContain('longview_process_faults_total{kind="unhandled_rejection"} 2');
    expect(text).toContain('longview_process_faults_total{kind="uncaught_exception"} 1');
  });
});

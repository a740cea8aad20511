import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { SAMPLE_REPO, createSamplePullRequest } from "../../tools/demo/sample-repo.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { dashboardQueries, exposedMetricNames, loadDashboard, promqlMetricNames, sampledMetricNames } from "../helpers/dashboard.js";
import { startFakeOpenAI, type FakeOpenAI } from "./fake-openai.js";

/**
 * The operators' dashboard cannot drift from the code: the real server
 * process (src/main.ts) reviews the demo pull request against the GitHub
 * simulator, with the model on a scripted local endpoint so the model
 * metrics carry samples too, and every metric the dashboard's PromQL reads
 * must be one its `/metrics` exposes. Renaming a metric fails here.
 */

let sim: Simulator;
let model: FakeOpenAI;
let longview: LongviewProcess;
let exposition: string;

beforeAll(async () => {
  sim = await startSimulator();
  model = await startFakeOpenAI(() => ({ findings: [], notes: [] }));
  longview = await startLongview({ ...simulatorEnv(sim), OPENAI_API_KEY: "sk-e2e", OPENAI_BASE_URL: model.baseUrl, LONGVIEW_OPENAI_MAX_RETRIES: "0" });
  const pr = await createSamplePullRequest(sim);
  const delivery = await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: pr.event.name, payload: pr.payload });
  expect(delivery.status).toBeLessThan(300);
  await waitFor(() => sim.state.checkRuns(SAMPLE_REPO, pr.headSha).find((c) => c.status === "completed"), "the check run to complete", 60_000);
  // The check run completes a moment before the job is counted as finished.
  exposition = await waitFor(
    async () => {
      const text = await (await fetch(`http://127.0.0.1:${longview.port}/metrics`)).text();
      return /^longview_jobs_finished_total\{outcome="reviewed"\} [1-9]/m.test(text) ? text : undefined;
    },
    "a reviewed job in /metrics",
    30_000,
  );
}, 120_000);

afterAll(async () => {
  await longview?.stop();
  await model?.close();
  await sim?.close();
});

describe("the Grafana dashboard against the app's /metrics after a review", () => {
  test("every metric the dashboard queries is exported", () => {
    const exposed = exposedMetricNames(exposition);
    const queried = dashboardQueries(loadDashboard()).flatMap(({ panel, expr }) => promqlMetricNames(expr).map((name) => ({ panel, name })));
    expect(queried.length).toBeGreaterThan(10);
    expect(queried.filter(({ name }) => !exposed.has(name))).toEqual([]);
  });

  test("the review moved the series the main panels plot", () => {
    const sampled = sampledMetricNames(exposition);
    for (const name of [
      "longview_jobs_finished_total",
      "longview_job_duration_seconds_bucket",
      "longview_jobs_enqueued_total",
      "longview_queue_jobs",
      "longview_model_tokens_total",
      "longview_model_calls_total",
      "longview_model_cost_usd_total",
      "longview_github_rate_limit_remaining",
    ]) {
      expect({ name, sampled: sampled.has(name) }).toEqual({ name, sampled: true });
    }
    expect(model.requests.length).toBeGreaterThan(0);
  });
});

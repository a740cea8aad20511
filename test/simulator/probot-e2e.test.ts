import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { createNodeMiddleware, createProbot, type Probot } from "probot";
import { deliverWebhook, startSimulator, type Simulator, type SimulatorEvent } from "../../tools/github-simulator/index.js";
import { createWidgetsPullRequest } from "./fixtures.js";
import { releaseFetchFromNock, UnthrottledProbotOctokit } from "./helpers.js";

releaseFetchFromNock();

/**
 * The real Probot server, configured only through GHE_HOST/GHE_PROTOCOL, talks
 * to the simulator over HTTP: app JWT → installation token → config file (raw
 * contents) → files → review → check run, triggered by a signed webhook.
 */

let sim: Simulator;
let server: Server;
let webhookUrl: string;
const seen: string[] = [];

function reviewerApp(app: Probot): void {
  app.on(["pull_request.opened", "pull_request.synchronize"], async (context) => {
    const config = (await context.config<{ enabled?: boolean; checkName?: string }>("longview.yml")) ?? {};
    seen.push(`${context.payload.action}:${String(config.enabled)}`);
    if (config.enabled === false) return;
    const pull = context.pullRequest();
    const files = await context.octokit.paginate(context.octokit.rest.pulls.listFiles, { ...pull, per_page: 100 });
    const added = files.find((f) => f.status === "added");
    await context.octokit.rest.pulls.createReview({
      ...pull,
      commit_id: context.payload.pull_request.head.sha,
      event: "COMMENT",
      body: `Reviewed ${files.length} files`,
      comments: added ? [{ path: added.filename, line: 1, side: "RIGHT", body: "first line of a new file" }] : [],
    });
    await context.octokit.rest.checks.create(
      context.repo({
        name: config.checkName ?? "Longview",
        head_sha: context.payload.pull_request.head.sha,
        status: "completed",
        conclusion: "success",
        output: { title: "ok", summary: "ok" },
      }),
    );
  });
}

beforeAll(async () => {
  sim = await startSimulator();
  const probot = createProbot({
    env: {
      APP_ID: String(sim.app.id),
      PRIVATE_KEY: sim.app.privateKey,
      WEBHOOK_SECRET: sim.app.webhookSecret,
      GHE_HOST: sim.host,
      GHE_PROTOCOL: "http",
      LOG_LEVEL: "silent",
    },
    overrides: { Octokit: UnthrottledProbotOctokit },
  });
  const middleware = await createNodeMiddleware(reviewerApp, { probot });
  server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await sim.close();
});

async function deliver(event: SimulatorEvent): Promise<number> {
  const result = await deliverWebhook({
    url: webhookUrl,
    secret: sim.app.webhookSecret,
    event: event.name,
    payload: event.payload,
    id: event.id,
    appId: sim.app.id,
  });
  return result.status;
}

describe("Probot against the simulator", () => {
  test("a signed pull_request.opened webhook leads to a review and a check run", async () => {
    const { headSha } = await createWidgetsPullRequest(sim);
    await sim.pushCommit("acme/widgets", "main", { message: "config", files: { ".github/longview.yml": "enabled: true\ncheckName: Longview Gate\n" } });
    const created = await sim.createPullRequest({ repo: "acme/widgets", head: "feature", base: "main", title: "Second look" });
    expect(created.headSha).toBe(headSha);

    expect(await deliver(created.event)).toBe(200);
    expect(seen).toEqual(["opened:true"]);
    const [review] = sim.state.reviews("acme/widgets", created.number);
    expect(review).toMatchObject({ state: "COMMENTED", body: "Reviewed 2 files", comments: [{ path: "src/util.ts", line: 1, side: "RIGHT" }] });
    expect(sim.state.checkRuns("acme/widgets", headSha)).toEqual([expect.objectContaining({ name: "Longview Gate", conclusion: "success" })]);
    expect(sim.requests.map((r) => `${r.method} ${r.route ?? r.path} ${r.status}`)).toEqual(
      expect.arrayContaining([
        "POST /app/installations/{installation_id}/access_tokens 201",
        "GET /repos/{owner}/{repo}/contents/{path} 200",
        "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews 200",
        "POST /repos/{owner}/{repo}/check-runs 201",
      ]),
    );
    expect(sim.violations).toEqual([]);
  });

  test("a bad signature is refused by Probot before any API call", async () => {
    const before = sim.requests.length;
    const result = await deliverWebhook({ url: webhookUrl, secret: "wrong", event: "pull_request", payload: { action: "opened" } });
    expect(result.status).toBe(400);
    expect(sim.requests.length).toBe(before);
  });

  test("synchronize after a push runs the handler again on the new head", async () => {
    const pushed = await sim.pushCommit("acme/widgets", "feature", { message: "more", files: { "src/more.ts": "x\n" } }, { sender: "dev" });
    const [event] = pushed.events.filter((e) => e.payload["number"] === 2);
    expect(event).toBeDefined();
    if (!event) return;
    expect(await deliver(event)).toBe(200);
    expect(seen).toEqual(["opened:true", "synchronize:true"]);
    expect(sim.state.checkRuns("acme/widgets", pushed.sha)).toHaveLength(1);
    expect(sim.violations).toEqual([]);
  });
});

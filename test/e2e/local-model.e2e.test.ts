import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { PLANTED, plantedModel } from "../helpers/planted-cross-file.js";
import { scriptedOpenAI, type ScriptedOpenAI } from "../helpers/scripted-openai.js";
import { scriptedServer } from "../helpers/scripted-servers.js";

/**
 * The App server with a model on the team's own machine, the way the README's
 * "Run fully locally" section sets it up: no OPENAI_API_KEY, only the
 * server's address and its profile. The scripted servers reject what the
 * real ones reject (a `tools` field, reasoning parameters, /responses), so a
 * request shaped for OpenAI would fail its window and the planted break would
 * be missing. Ollama: JSON mode, no tools; an unknown server (`custom`): plain
 * text, answers dressed in thinking, prose and fences.
 */

let sim: Simulator;

beforeAll(async () => {
  nock.restore();
  sim = await startSimulator();
}, 60_000);

afterAll(async () => {
  await sim?.close();
});

describe.each(["ollama", "custom"] as const)("the App server against a local %s server, without a key", (profile) => {
  let model: ScriptedOpenAI;
  let endpoint: { baseUrl: string; close(): Promise<void> };
  let longview: LongviewProcess;

  beforeAll(async () => {
    const server = scriptedServer(profile);
    model = scriptedOpenAI(plantedModel({ slipOnce: profile === "ollama" }), server.server);
    endpoint = await model.listen();
    longview = await startLongview({
      ...simulatorEnv(sim),
      OPENAI_BASE_URL: endpoint.baseUrl,
      LONGVIEW_MODEL_PROFILE: profile,
      LONGVIEW_MODEL: server.model,
      LONGVIEW_OPENAI_MAX_RETRIES: "0",
    });
  }, 60_000);

  afterAll(async () => {
    await longview?.stop();
    await endpoint?.close();
  });

  test("reviews the pull request with requests the server accepts, and posts the cross-file break", async () => {
    const repo = `acme/local-${profile}` as const;
    await sim.createRepo({
      owner: "acme",
      name: `local-${profile}`,
      commits: [{ message: "base", files: PLANTED.base }],
      branches: { feature: { commits: [{ message: "options for checkToken", files: PLANTED.head }] } },
    });
    const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: "checkToken takes options", body: "" });
    await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
    const run = await waitFor(() => sim.state.checkRuns(repo, pr.headSha).find((c) => c.status === "completed"), "check run");

    const requests = model.requests;
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(requests.map((r) => r.api))).toEqual(new Set(["chat"]));
    expect(requests.filter((r) => r.tools.length > 0)).toEqual([]);
    expect(requests.filter((r) => r.reasoningEffort !== null)).toEqual([]);
    expect(new Set(requests.map((r) => r.responseFormat))).toEqual(new Set([profile === "ollama" ? "json_object" : "none"]));
    // The route's token never reaches a model, keyless or not.
    expect(requests.some((r) => JSON.stringify(r.body).includes(PLANTED.secret))).toBe(false);

    const comments = sim.state.reviewComments(repo, pr.number);
    expect(comments.map((c) => [c.path, c.line, c.body.split("\n")[0]])).toEqual([
      [PLANTED.changedPath, PLANTED.changedLine, "**P1 · security** — Unchanged caller still passes (token, user) to checkToken"],
    ]);
    expect(run.conclusion).toBe("failure");
    expect(sim.violations).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { deliverWebhook, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { scriptedOpenAI, type ScriptedOpenAI, type ScriptedRequest } from "../helpers/scripted-openai.js";
import { PLANTED, plantedToolModel } from "../helpers/planted-cross-file.js";

/**
 * The planted cross-file bug, end to end: `checkToken(token, user)` becomes
 * `checkToken(user, token, opts)` and an unchanged route still passes
 * `(token, user)`. The real server process reviews it on the simulator with
 * a scripted model that works as a tool-using reviewer: it reads the caller
 * the window's impact section points at, then reports the break.
 */

let sim: Simulator;
let server: ScriptedOpenAI;
let endpoint: { baseUrl: string; close(): Promise<void> };
let longview: LongviewProcess;

beforeAll(async () => {
  sim = await startSimulator();
  server = scriptedOpenAI(plantedToolModel);
  endpoint = await server.listen();
  longview = await startLongview({ ...simulatorEnv(sim), OPENAI_API_KEY: "sk-e2e", OPENAI_BASE_URL: endpoint.baseUrl, LONGVIEW_OPENAI_MAX_RETRIES: "0" });
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await endpoint?.close();
  await sim?.close();
});

const windowRequests = (requests: readonly ScriptedRequest[]) => requests.filter((r) => r.tools.length > 0);

describe("a changed signature with an unchanged caller", () => {
  test("the caller is in the window before any tool call, the model reads it through its tools, and the break is posted", async () => {
    await sim.createRepo({
      owner: "acme",
      name: "auth",
      commits: [{ message: "base", files: PLANTED.base }],
      branches: { feature: { commits: [{ message: "options for checkToken", files: PLANTED.head }] } },
    });
    const pr = await sim.createPullRequest({ repo: "acme/auth", head: "feature", base: "main", title: "checkToken takes options", body: "" });
    await deliverWebhook({ url: longview.webhookUrl, secret: sim.app.webhookSecret, event: "pull_request", payload: pr.payload });
    const run = await waitFor(() => sim.state.checkRuns("acme/auth", pr.headSha).find((c) => c.status === "completed"), "check run");

    const windows = windowRequests(server.requests);
    expect(windows.length).toBeGreaterThanOrEqual(2);
    // Deterministic impact context: the unchanged caller's line is in the first request of the window, before any tool call.
    const first = windows[0]!;
    expect(first.toolResults).toEqual([]);
    expect(first.userTexts.join("\n")).toContain(`${PLANTED.callerPath}:${PLANTED.callerLine}`);
    expect(first.tools).toEqual(expect.arrayContaining(["read_file", "search", "find_references", "find_definitions"]));
    // The tool read the unchanged file from the repository at head (through GitHub), redacted and marked untrusted.
    const read = windows.flatMap((r) => r.toolResults).find((t) => t.name === "read_file");
    expect(read?.output).toContain(PLANTED.callerText);
    expect(read?.output).not.toContain(PLANTED.secret);

    const comments = sim.state.reviewComments("acme/auth", pr.number);
    expect(comments.map((c) => [c.path, c.line, c.body.split("\n")[0]])).toEqual([
      [PLANTED.changedPath, PLANTED.changedLine, "**P1 · security** — Unchanged caller still passes (token, user) to checkToken"],
    ]);
    expect(run.conclusion).toBe("failure");
    expect(sim.violations).toEqual([]);
  });
});

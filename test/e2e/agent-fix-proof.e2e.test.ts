import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { simulatorEnv, startLongview, type LongviewProcess } from "../../tools/demo/longview-process.js";
import { waitFor } from "../../tools/demo/wait-for.js";
import { scriptedOpenAI, type ScriptedOpenAI, type ScriptedReply, type ScriptedRequest } from "../helpers/scripted-openai.js";
import { quietPasses } from "../helpers/scripted-passes.js";
import { formatOf } from "../helpers/verifier.js";
import { COMPARE, HMAC_FILE, SAFE, timingFindingWindow } from "../helpers/hmac-scenario.js";
import { answersInThread, commandInThread, deliverTo } from "./fix-scenario.js";

/**
 * `/agent fix` on a model finding, end to end: the real server on the GitHub
 * simulator and a scripted model server. The reviewer reports "HMAC compared
 * with == (timing attack)"; the fix model first answers `return true;` — it
 * applies, parses, and no analyzer objects — and the judge rejects it; the
 * second answer (a constant-time comparison) is accepted by the judge, its
 * diff passes the review pipeline, and it is committed.
 */

let sim: Simulator;
let server: ScriptedOpenAI;
let endpoint: { baseUrl: string; close(): Promise<void> };
let longview: LongviewProcess;

const text = (r: ScriptedRequest) => r.userTexts.join("\n");
const fixRequests = () => server.requests.filter((r) => formatOf(r.body) === "longview_fix");
const judgements = () => server.requests.filter((r) => formatOf(r.body) === "longview_fix_judgement");

function model(request: ScriptedRequest): ScriptedReply {
  const pass = quietPasses(request);
  if (pass) return pass;
  switch (formatOf(request.body)) {
    case "longview_fix":
      // First `return true;`, then the real fix.
      return {
        answer:
          fixRequests().length === 1
            ? { summary: "Simplify the comparison.", edits: [{ path: "src/auth.js", search: COMPARE, replace: "  return true;" }] }
            : { summary: "Compare the digests in constant time.", edits: [{ path: "src/auth.js", search: COMPARE, replace: SAFE }] },
      };
    case "longview_fix_judgement":
      return {
        answer: text(request).includes("+  return true;")
          ? { verdict: "reject", reason: "Returning true accepts every signature: an authentication bypass, not a fix." }
          : { verdict: "accept", reason: "The digests are compared with timingSafeEqual after a length check." },
      };
    default:
      return timingFindingWindow(request);
  }
}

beforeAll(async () => {
  // This test talks HTTP to the simulator itself (to post the command comment).
  nock.restore();
  sim = await startSimulator();
  server = scriptedOpenAI(model);
  endpoint = await server.listen();
  longview = await startLongview({ ...simulatorEnv(sim), OPENAI_API_KEY: "sk-e2e", OPENAI_BASE_URL: endpoint.baseUrl, LONGVIEW_OPENAI_MAX_RETRIES: "0" });
}, 60_000);

afterAll(async () => {
  await longview?.stop();
  await endpoint?.close();
  await sim?.close();
});

describe("a model-made fix proves itself on the simulator", () => {
  test("`return true` is rejected by the judge with its reason; the constant-time fix is reviewed and committed", async () => {
    const repo = "acme/signatures" as const;
    await sim.createRepo({
      owner: "acme",
      name: "signatures",
      commits: [{ message: "base", files: { "README.md": "# Signatures\n" } }],
      branches: { feature: { commits: [{ message: "verify signatures", files: { "src/auth.js": HMAC_FILE } }] } },
    });
    const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: "Verify webhook signatures" });
    sim.setPermission(repo, "alice", "write");
    await deliverTo(sim, longview.webhookUrl)("pull_request", pr.payload);
    const run = await waitFor(() => sim.state.checkRuns(repo, pr.headSha).find((c) => c.status === "completed"), "the review");
    expect(run.conclusion).toBe("failure");
    const finding = sim.state.reviewComments(repo, pr.number).find((c) => c.body.startsWith("**P1 · security** — HMAC compared with =="));
    if (!finding) throw new Error("the review did not post the timing-attack finding");
    expect(finding.body).toContain("verified (0.90)");

    await commandInThread(sim, longview.webhookUrl, { pr, repo, findingId: finding.id });
    const reply = await waitFor(() => answersInThread(sim, { pr, repo, findingId: finding.id })[0], "Longview's reply");

    expect(reply.body).toMatch(/^@alice Committed \[`[0-9a-f]{7}`\]/);
    expect(reply.body).toContain("in 2 attempts");
    expect(reply.body).toContain("a model judge read the diff against the findings and accepted it");
    const committed = await sim.state.fileAt(repo, "feature", "src/auth.js");
    expect(committed).toContain("timingSafeEqual(a, b)");
    expect(committed).not.toContain("return true;");
    // The rejected proposal went back to the fix model with the judge's reason.
    expect(fixRequests()).toHaveLength(2);
    expect(text(fixRequests()[1]!) + JSON.stringify(fixRequests()[1]!.body)).toContain("Returning true accepts every signature");
    expect(judgements()).toHaveLength(2);
    expect(sim.violations).toEqual([]);
  }, 120_000);
});

import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
 * The CI loop after `/agent fix`, end to end: the real server on the
 * GitHub simulator (its scripted CI sends check suite and workflow run
 * webhooks, serves check runs, annotations and job logs) and a scripted
 * model. The first fix compares with `timingSafeEqual` but forgets that it
 * throws on buffers of different lengths: the repository's test check fails
 * on that commit with a log. Longview reads the log, commits a revision,
 * the check passes, and the thread shows both rounds. A lint check that
 * already failed before the fix is not blamed on it; a CI that never
 * reports ends at `fix.ciTimeout`; a server killed while waiting resumes.
 */

const NAIVE = "  return timingSafeEqual(Buffer.from(expected), Buffer.from(String(signature)));";
const CI_LOG =
  "FAIL test/auth.test.js\n  ✕ rejects a short signature\n    RangeError [ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH]: Input buffers must have the same byte length";

let sim: Simulator;
let server: ScriptedOpenAI;
let endpoint: { baseUrl: string; close(): Promise<void> };
let longview: LongviewProcess;
let stopForwarding: () => void = () => undefined;
const journalDir = mkdtempSync(join(tmpdir(), "longview-ci-"));

const text = (r: ScriptedRequest) => r.userTexts.join("\n");
const fixRequests = () => server.requests.filter((r) => formatOf(r.body) === "longview_fix");
const isRevision = (r: ScriptedRequest) => text(r).includes("CI checks your earlier fix commit broke");

function model(request: ScriptedRequest): ScriptedReply {
  const pass = quietPasses(request);
  if (pass) return pass;
  switch (formatOf(request.body)) {
    case "longview_fix":
      return isRevision(request)
        ? {
            answer: {
              summary: "Check the lengths before timingSafeEqual, which throws on different lengths.",
              edits: [{ path: "src/auth.js", search: NAIVE, replace: SAFE }],
            },
          }
        : { answer: { summary: "Compare the digests in constant time.", edits: [{ path: "src/auth.js", search: COMPARE, replace: NAIVE }] } };
    case "longview_fix_judgement":
      return { answer: { verdict: "accept", reason: "The comparison is constant-time and nothing else changes." } };
    default:
      return timingFindingWindow(request);
  }
}

const env = () => ({
  ...simulatorEnv(sim),
  OPENAI_API_KEY: "sk-e2e",
  OPENAI_BASE_URL: endpoint.baseUrl,
  LONGVIEW_OPENAI_MAX_RETRIES: "0",
  LONGVIEW_JOURNAL: join(journalDir, "jobs.sqlite"),
});

/** Longview (re)started, with CI's webhooks forwarded to it; the pull request's own events are delivered by the tests. */
async function start(): Promise<void> {
  longview = await startLongview(env());
  stopForwarding = sim.forwardWebhooks(longview.webhookUrl, { events: ["check_suite", "workflow_run"] });
}

beforeAll(async () => {
  nock.restore();
  sim = await startSimulator();
  server = scriptedOpenAI(model);
  endpoint = await server.listen();
  await start();
}, 60_000);

afterAll(async () => {
  stopForwarding();
  await longview?.stop();
  await endpoint?.close();
  await sim?.close();
  rmSync(journalDir, { recursive: true, force: true });
});

/** A repository whose pull request adds the timing-attack comparison. */
async function fixRequested(name: string, config?: string) {
  const repo = `acme/${name}` as const;
  await sim.createRepo({
    owner: "acme",
    name,
    commits: [{ message: "base", files: { "README.md": "# Signatures\n", ...(config ? { ".github/longview.yml": config } : {}) } }],
    branches: { feature: { commits: [{ message: "verify signatures", files: { "src/auth.js": HMAC_FILE } }] } },
  });
  return { repo };
}

/** The pull request opened and reviewed (the timing-attack finding), and `/agent fix` asked in the finding's thread. */
async function openAndFix(repo: `acme/${string}`) {
  const pr = await sim.createPullRequest({ repo, head: "feature", base: "main", title: "Verify webhook signatures" });
  sim.setPermission(repo, "alice", "write");
  await deliverTo(sim, longview.webhookUrl)("pull_request", pr.payload);
  await waitFor(() => sim.state.checkRuns(repo, pr.headSha).find((c) => c.app === "longview" && c.status === "completed"), "the review");
  const finding = sim.state.reviewComments(repo, pr.number).find((c) => c.body.startsWith("**P1 · security** — HMAC compared with =="));
  if (!finding) throw new Error("the review did not post the timing-attack finding");
  const scenario = { pr, repo, findingId: finding.id };
  await commandInThread(sim, longview.webhookUrl, scenario);
  return scenario;
}

/** The test check: fails while `timingSafeEqual` is called without comparing lengths first. */
function testCheck(repo: `acme/${string}`, completion: number | "manual" | "never" = 0) {
  return sim.ci.onCommit(
    repo,
    async (commit) => {
      const source = (await commit.fileAt("src/auth.js")) ?? "";
      return source.includes("timingSafeEqual(") && !source.includes("a.length === b.length")
        ? {
            conclusion: "failure",
            title: "1 test failed",
            summary: "verifySignature throws on a short signature",
            annotations: [
              {
                path: "src/auth.js",
                start_line: 5,
                end_line: 5,
                annotation_level: "failure",
                message: "RangeError: Input buffers must have the same byte length",
              },
            ],
            log: CI_LOG,
          }
        : { conclusion: "success", title: "12 tests passed", log: "PASS test/auth.test.js" };
    },
    { completion },
  );
}

describe("the CI loop after a fix commit, on the simulator", () => {
  test("the first fix breaks the test check; Longview reads the log, revises, CI passes; lint, already failing, is not blamed", async () => {
    const { repo } = await fixRequested("signatures");
    testCheck(repo);
    sim.ci.define(repo, {
      name: "lint",
      workflow: "Lint",
      workflowPath: ".github/workflows/lint.yml",
      result: () => ({ conclusion: "failure", title: "3 problems" }),
    });
    const scenario = await openAndFix(repo);

    const answers = await waitFor(
      () => {
        const all = answersInThread(sim, scenario);
        return all.some((a) => a.body.includes("CI passed")) ? all : null;
      },
      "CI's verdict on the revision",
      90_000,
    );
    expect(answers.map((a) => a.body.split("\n")[0])).toEqual([
      expect.stringMatching(/^@alice Committed \[`[0-9a-f]{7}`\]/),
      expect.stringMatching(/^@alice Round 1: Longview's fix `[0-9a-f]{7}` broke a check that passed before it:$/),
      expect.stringMatching(/^@alice CI passed on Longview's fix `[0-9a-f]{7}` after 1 revision: `test` passed\.$/),
    ]);
    const [fix, round, passed] = answers.map((a) => a.body);
    expect(fix).toContain("Longview follows this commit's CI checks for up to 30 minutes");
    expect(round).toContain("- `test` (GitHub Actions): failure — 1 test failed");
    expect(round).not.toContain("`lint`");
    expect(round).toContain("Check the lengths before timingSafeEqual");
    expect(passed).toContain("Already failing before Longview's fix, so not counted against it: `lint`.");

    // Two commits on the branch: the fix, then the revision; the file ends right.
    const commits = await sim.state.commits(repo, "feature");
    expect(commits[0]!.message).toMatch(/^Repair CI after Longview's fix: test\n/);
    expect(commits[0]!.message).toMatch(/Longview-Fix: /);
    expect(commits[1]!.parents).toEqual([scenario.pr.headSha]);
    expect(await sim.state.fileAt(repo, "feature", "src/auth.js")).toContain("a.length === b.length && timingSafeEqual(a, b)");
    // The revision's request carried the job log's tail and the annotation, fenced as data; lint's output was not sent.
    const revision = fixRequests().filter(isRevision);
    expect(revision).toHaveLength(1);
    // Per round one fix proposal and one judgement: two of each for the two rounds.
    expect(fixRequests()).toHaveLength(2);
    expect(server.requests.filter((r) => formatOf(r.body) === "longview_fix_judgement")).toHaveLength(2);
    expect(text(revision[0]!)).toContain("ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH");
    expect(text(revision[0]!)).toContain("src/auth.js:5");
    expect(text(revision[0]!)).not.toContain("3 problems");
    // CI ran on both of Longview's commits.
    expect(sim.ci.runs(repo, commits[1]!.sha).find((r) => r.name === "test")?.conclusion).toBe("failure");
    expect(sim.ci.runs(repo, commits[0]!.sha).find((r) => r.name === "test")?.conclusion).toBe("success");
    expect(sim.violations).toEqual([]);
  }, 180_000);

  test("a CI that never reports ends at fix.ciTimeout with a clear message", async () => {
    const { repo } = await fixRequested("slow-ci", "fix:\n  ciTimeout: 10s\n");
    testCheck(repo, "never");
    const scenario = await openAndFix(repo);
    const verdict = await waitFor(() => answersInThread(sim, scenario).find((a) => a.body.includes("did not finish")), "the timeout", 60_000);
    expect(verdict.body).toMatch(
      /^@alice CI did not finish on Longview's fix `[0-9a-f]{7}` within 10 seconds \(`fix.ciTimeout`\); Longview stops following it\./,
    );
    expect(verdict.body).toContain("Still running: `test`.");
    expect(answersInThread(sim, scenario)).toHaveLength(2);
  }, 180_000);

  test("a server killed while waiting for CI resumes: the verdict comes from the next process", async () => {
    const { repo } = await fixRequested("restart");
    testCheck(repo, "manual");
    const scenario = await openAndFix(repo);
    await waitFor(() => answersInThread(sim, scenario)[0], "the fix's answer");
    // The head's own run (opened pull request) and the fix commit's: let both finish only after the crash.
    stopForwarding();
    await longview.kill();
    await start();
    await sim.ci.complete(repo);
    const verdict = await waitFor(
      () => answersInThread(sim, scenario).find((a) => a.body.includes("CI passed") || a.body.includes("Round 1")),
      "the verdict after the restart",
    );
    expect(verdict.body).toMatch(/^@alice Round 1: Longview's fix/);
  }, 180_000);
});

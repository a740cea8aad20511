import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { pooledAnalyzers, pooledPlanWindows, type ReviewPool } from "../../../src/compute/review-pool.js";
import { REVIEW_TASK_ERRORS, REVIEW_TASKS } from "../../../src/compute/review-tasks.js";
import { WorkerPool } from "../../../src/compute/worker-pool.js";
import { FakeGitHub, type FakeFile } from "../../helpers/nock-github.js";
import { runReviewApp } from "../../helpers/run-review-app.js";
import { silentLog } from "../../helpers/github.js";

/**
 * A worker thread that dies under a review (here: the real review worker with
 * a heap too small to even load its analyzers, so it runs out of memory) fails
 * that review clearly and leaves the process running: an analyzer that could
 * not run is a notice on a completed review; planning that could not run fails
 * the review's check run with the reason, without retries (it would crash again).
 */

const source = ["export function run(input) {", "  return eval(input);", "}", ""].join("\n");
const FILE: FakeFile = {
  filename: "src/run.js",
  status: "added",
  patch: [
    "@@ -0,0 +1,3 @@",
    ...source
      .trimEnd()
      .split("\n")
      .map((l) => `+${l}`),
  ].join("\n"),
  content: source,
};

let crashing: ReviewPool;
beforeAll(() => {
  crashing = new WorkerPool(REVIEW_TASKS, {
    script: new URL("../../../src/compute/review-worker.ts", import.meta.url),
    threads: 1,
    taskTimeoutMs: 60_000,
    log: silentLog,
    knownErrors: REVIEW_TASK_ERRORS,
    resourceLimits: { maxOldGenerationSizeMb: 12, maxYoungGenerationSizeMb: 4 },
  });
});
afterEach(() => nock.cleanAll());
afterAll(() => crashing.close());

describe("a worker thread crashing under a review", () => {
  test("analyzers that could not run: the review completes and says which failed and why", async () => {
    const github = new FakeGitHub({ files: [FILE] }).install();
    const run = await runReviewApp(github, { deps: { analyzers: pooledAnalyzers(crashing) } });
    expect(run.attempts).toEqual(["reviewed"]);
    const body = github.reviews.at(-1)?.body ?? "";
    expect(body).toMatch(/Analyzer `eslint` failed: The worker thread running `analyze` crashed: .*memory/i);
    expect(body).toMatch(/Analyzer `secretlint` failed/);
    expect(github.lastCheckRun).toMatchObject({ status: "completed" });
  }, 120_000);

  test("planning that could not run: the check run fails with the reason, once, and the process goes on", async () => {
    const github = new FakeGitHub({ files: [FILE] }).install();
    const run = await runReviewApp(github, { deps: { planWindows: pooledPlanWindows(crashing) } });
    expect(run.attempts).toEqual(["failed"]);
    // Longview itself broke (docs/decisions/0003-crash-conclusion.md): never a neutral pass.
    expect(github.lastCheckRun).toMatchObject({ status: "completed", conclusion: "failure", output: { title: "Review crashed" } });
    expect(String(github.lastCheckRun?.output.summary)).toMatch(/The worker thread running `plan` crashed: .*memory/i);
    expect(github.reviews.filter((r) => r.user === "longview[bot]")).toHaveLength(0);
  }, 120_000);
});

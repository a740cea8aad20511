import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { createDefaultAnalyzers } from "../../../src/analyzers/index.js";
import { loadEnv } from "../../../src/config/env.js";
import { FIX_ALL_ACTION } from "../../../src/fix/fix-all-action.js";
import { reviewPullRequest } from "../../../src/review/review-pull-request.js";
import { silentLog, testHost } from "../../helpers/github.js";
import { BASE, OWNER, PR_NUMBER, REPO, api, mockConfig, pullRequest, repoPath } from "./github-mock.js";

/** A completed review offers the "Fix all" button exactly when findings fail the gate. */

beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

async function completedCheckRun(source: string): Promise<Record<string, unknown>> {
  const patches: Record<string, unknown>[] = [];
  const patch = [
    "@@ -0,0 +1,%n @@",
    ...source
      .trimEnd()
      .split("\n")
      .map((l) => `+${l}`),
  ]
    .join("\n")
    .replace("%n", String(source.trimEnd().split("\n").length));
  const scope = api();
  scope.on("request", (_req: unknown, interceptor: { method: string; path: string }, body: string) => {
    if (interceptor.method.toUpperCase() === "PATCH") patches.push(JSON.parse(body) as Record<string, unknown>);
  });
  scope
    .get(`${repoPath}/pulls/${PR_NUMBER}`)
    .times(2)
    .reply(200, pullRequest())
    .get(/\/commits\/[0-9a-f]{40}\/check-runs/)
    .query(true)
    .reply(200, { total_count: 0, check_runs: [] })
    .post(`${repoPath}/check-runs`)
    .reply(201, { id: 77 })
    .patch(`${repoPath}/check-runs/77`)
    .times(3)
    .reply(200, { id: 77 })
    .get(`${repoPath}/pulls/${PR_NUMBER}/files`)
    .query({ per_page: "100" })
    .reply(200, [{ sha: "blob1", filename: "src/calc.js", status: "added", additions: 3, deletions: 0, changes: 3, patch }])
    .get(`${repoPath}/git/blobs/blob1`)
    .reply(200, { content: Buffer.from(source).toString("base64"), encoding: "base64", size: source.length })
    .get(`${repoPath}/contents/AGENTS.md`)
    .query({ ref: BASE })
    .reply(404, { message: "Not Found" })
    .post(`${repoPath}/pulls/${PR_NUMBER}/reviews`)
    .reply(200, { id: 1001 })
    // What Longview said before (nothing): its login (asked once per process), reviews and comments.
    .get("/app")
    .optionally()
    .reply(200, { id: 123, slug: "longview" })
    .get(`${repoPath}/pulls/${PR_NUMBER}/reviews`)
    .query({ per_page: "100" })
    .reply(200, [])
    .get(`${repoPath}/pulls/${PR_NUMBER}/comments`)
    .query({ per_page: "100" })
    .reply(200, []);
  mockConfig();
  await reviewPullRequest(
    testHost(),
    { ref: { owner: OWNER, repo: REPO, pullNumber: PR_NUMBER } },
    { env: loadEnv({}), reviewer: null, analyzers: createDefaultAnalyzers() },
    silentLog,
  );
  return patches.find((p) => p["status"] === "completed")!;
}

describe("the review's check run", () => {
  test('offers "Fix all" when a finding fails the gate', async () => {
    const completed = await completedCheckRun("export function f(r) {\n  return r === NaN;\n}\n");
    expect(completed).toMatchObject({
      conclusion: "failure",
      actions: [{ label: "Fix all", description: "Commit fixes for the blocking findings", identifier: "fix_all" }],
    });
    expect(FIX_ALL_ACTION.label.length).toBeLessThanOrEqual(20);
    expect(FIX_ALL_ACTION.description.length).toBeLessThanOrEqual(40);
  });

  test("offers nothing when the gate passes", async () => {
    const completed = await completedCheckRun("export function f(r) {\n  return Number.isNaN(r);\n}\n");
    expect(completed["conclusion"]).toBe("success");
    expect(completed).not.toHaveProperty("actions");
  });
});

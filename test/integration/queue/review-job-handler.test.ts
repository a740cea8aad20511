import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { loadEnv } from "../../../src/config/env.js";
import { InProcessQueue } from "../../../src/queue/in-process-queue.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import type { ReviewJob, ReviewJobHandler } from "../../../src/queue/kinds/review.js";
import { createReviewJobHandler } from "../../../src/queue/review-job-handler.js";
import { GITHUB_API, installationHost, testProbot } from "../../helpers/github.js";
import { pullRequestOpened } from "./github-examples.js";
import { FAST, silent, waitFor } from "./queue-harness.js";

/**
 * The real job body (`reviewPullRequest`, offline mode) run by the queue
 * against GitHub mocked with nock: what the check run shows while a retry is
 * pending, after the last attempt, and when a newer push supersedes it.
 */

const payload = pullRequestOpened(42);
const { number, head, base } = payload.pull_request;
const repo = `/repos/${payload.repository.full_name}`;
const source = "export const answer = 42;\n";
const patch = "@@ -0,0 +1 @@\n+export const answer = 42;";

interface CheckCall {
  method: "POST" | "PATCH";
  id: number;
  body: { status?: string; conclusion?: string; output?: { title?: string; summary?: string } };
}

function job(overrides: Partial<ReviewJob> = {}): ReviewJob {
  return {
    kind: "review",
    installationId: 42,
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    pullNumber: number,
    headSha: head.sha,
    deliveryId: `d-${Math.random()}`,
    trigger: "pull_request.opened",
    ...overrides,
  };
}

/** GitHub up to the point where the files are fetched; `files` decides how that goes. */
function mockGitHub(checks: CheckCall[], files: (scope: nock.Interceptor) => nock.Scope, runId = 77): nock.Scope {
  const scope = nock(GITHUB_API)
    .persist()
    .post("/app/installations/42/access_tokens")
    .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} })
    .get(`${repo}/pulls/${number}`)
    .reply(200, { ...payload.pull_request, state: "open", draft: false })
    .get(/\/contents\/\.github%2Flongview\.yml/)
    .reply(404, { message: "Not Found" })
    .get(/\/commits\/[0-9a-f]{40}\/check-runs/)
    .query(true)
    .reply(200, { total_count: 0, check_runs: [] })
    .post(`${repo}/check-runs`)
    .reply(201, (request: Request) => record(checks, "POST", runId, request))
    .patch(/\/check-runs\/\d+$/)
    .reply(200, (request: Request) => record(checks, "PATCH", Number(new URL(request.url).pathname.split("/").at(-1)), request))
    .get(`${repo}/git/blobs/blob1`)
    .reply(200, { content: Buffer.from(source).toString("base64"), encoding: "base64", size: source.length })
    .get(`${repo}/contents/AGENTS.md`)
    .query({ ref: base.sha })
    .reply(404, { message: "Not Found" })
    // What Longview said on this pull request before (nothing yet), and who Longview is.
    .get("/app")
    .reply(200, { id: 1, slug: "longview" })
    .get(`${repo}/pulls/${number}/reviews`)
    .query(true)
    .reply(200, [])
    .get(`${repo}/pulls/${number}/comments`)
    .query(true)
    .reply(200, [])
    .post(`${repo}/pulls/${number}/reviews`)
    .reply(200, { id: 1001 });
  files(nock(GITHUB_API).get(`${repo}/pulls/${number}/files`).query({ per_page: "100" }));
  return scope;
}

/** Nock calls body matchers for requests other interceptors answer, so calls are recorded where they are answered. */
async function record(checks: CheckCall[], method: CheckCall["method"], id: number, request: Request): Promise<{ id: number }> {
  checks.push({ method, id, body: (await request.json()) as CheckCall["body"] });
  return { id };
}

const FILES = [{ sha: "blob1", filename: "src/answer.ts", status: "added", additions: 1, deletions: 0, changes: 1, patch }];

function realHandler(): ReviewJobHandler {
  const probot = testProbot();
  return createReviewJobHandler({
    github: installationHost(probot),
    deps: { env: loadEnv({}), reviewer: null, analyzers: [] },
  });
}

function completions(checks: CheckCall[]): CheckCall[] {
  return checks.filter((c) => c.body.status === "completed");
}

beforeEach(() => nock.cleanAll());
afterEach(() => nock.cleanAll());

describe("the review job body under the queue", () => {
  test("a 502 mid-review leaves the check run in progress; the retry completes that same run", async () => {
    const checks: CheckCall[] = [];
    let failedOnce = false;
    mockGitHub(checks, (files) =>
      files.times(2).reply(() => {
        if (failedOnce) return [200, FILES];
        failedOnce = true;
        return [502, { message: "Bad Gateway" }];
      }),
    );
    const queue = new InProcessQueue({ kinds: jobKinds, settings: FAST, log: silent });
    let completedBeforeRetry: CheckCall[] | null = null;
    const handler = realHandler();
    const body: ReviewJobHandler = {
      run: async (j, run) => {
        if (run.attempt === 2) completedBeforeRetry = completions(checks);
        return handler.run(j, run);
      },
    };
    queue.startWorker({ review: body });
    await queue.enqueue(job());
    await queue.idle();

    expect(completedBeforeRetry).toEqual([]);
    expect(checks.filter((c) => c.method === "POST")).toHaveLength(1);
    expect(completions(checks)).toEqual([expect.objectContaining({ id: 77, body: expect.objectContaining({ conclusion: "success" }) })]);
  });

  test("after the last attempt the failure is on the check run (gate.onError: neutral by default)", async () => {
    const checks: CheckCall[] = [];
    mockGitHub(checks, (files) => files.times(2).reply(503, { message: "Service Unavailable" }));
    const queue = new InProcessQueue({ kinds: jobKinds, settings: { ...FAST, attempts: 2 }, log: silent });
    queue.startWorker({ review: realHandler() });
    await queue.enqueue(job());
    await queue.idle();

    expect(checks.filter((c) => c.method === "POST")).toHaveLength(1);
    expect(completions(checks)).toEqual([
      expect.objectContaining({
        id: 77,
        body: expect.objectContaining({ conclusion: "neutral", output: expect.objectContaining({ title: "Review failed" }) }),
      }),
    ]);
    expect(await queue.depth()).toMatchObject({ failed: 1 });
  });

  test("a failure before any check run existed still ends with a failed run on the head", async () => {
    const checks: CheckCall[] = [];
    nock(GITHUB_API)
      .persist()
      .post("/app/installations/42/access_tokens")
      .reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} })
      .get(`${repo}/pulls/${number}`)
      .reply(500, { message: "Server Error" })
      .get(/\/contents\/\.github%2Flongview\.yml/)
      .reply(404, { message: "Not Found" })
      .get(`${repo}/commits/${head.sha}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${repo}/check-runs`)
      .reply(201, (request: Request) => record(checks, "POST", 5, request))
      .patch(`${repo}/check-runs/5`)
      .reply(200, (request: Request) => record(checks, "PATCH", 5, request));
    const queue = new InProcessQueue({ kinds: jobKinds, settings: { ...FAST, attempts: 1 }, log: silent });
    queue.startWorker({ review: realHandler() });
    await queue.enqueue(job());
    await queue.idle();

    expect(checks.map((c) => [c.method, c.body.status ?? null, c.body.conclusion ?? null])).toEqual([
      ["POST", "in_progress", null],
      ["PATCH", "completed", "neutral"],
    ]);
    expect(checks[1]!.body.output?.summary).toContain("Server Error");
  });

  test("a crash inside the review fails the check, whatever gate.onError says (a neutral run would pass a required check)", async () => {
    const checks: CheckCall[] = [];
    // Input the pipeline breaks on: GitHub's file list in a shape no schema accepts.
    mockGitHub(checks, (files) => files.reply(200, [{ filename: { nested: "not a path" } }]));
    const queue = new InProcessQueue({ kinds: jobKinds, settings: { ...FAST, attempts: 3 }, log: silent });
    queue.startWorker({ review: realHandler() });
    await queue.enqueue(job());
    await queue.idle();

    // Not retried: it would break the same way again.
    expect(checks.filter((c) => c.method === "POST")).toHaveLength(1);
    const [completed] = completions(checks);
    expect(completed?.body).toMatchObject({ conclusion: "failure", output: { title: "Review crashed" } });
    expect(completed?.body.output?.summary).toContain("A crash never passes the gate");
  });

  test("a job that kept killing its worker is abandoned as a failed check, never a neutral one", async () => {
    const checks: CheckCall[] = [];
    mockGitHub(checks, (files) => files.reply(200, FILES));
    await realHandler().abandoned?.(job({ checkRunId: 77 }), "job stalled more than allowable limit", silent);

    expect(checks.map((c) => [c.method, c.id, c.body.conclusion ?? null, c.body.output?.title ?? null])).toEqual([["PATCH", 77, "failure", "Review crashed"]]);
    expect(checks[0]?.body.output?.summary).toContain("the review kept crashing its worker (job stalled more than allowable limit)");
  });

  test("a newer push aborts the running review, whose check run is marked superseded", async () => {
    const checks: CheckCall[] = [];
    // The files arrive late: the newer push lands while the older head is being reviewed.
    mockGitHub(checks, (files) => files.delay(400).reply(200, FILES));
    const queue = new InProcessQueue({ kinds: jobKinds, settings: FAST, log: silent });
    const handler = realHandler();
    const outcomes: string[] = [];
    const newSha = "b".repeat(40);
    const body: ReviewJobHandler = {
      run: async (j, run) => {
        // The newer head's own review is not the subject here.
        const outcome = j.headSha === newSha ? "reviewed" : await handler.run(j, run);
        outcomes.push(outcome);
        return outcome;
      },
    };
    queue.startWorker({ review: body });
    await queue.enqueue(job());
    await waitFor(() => checks.some((c) => c.method === "POST"), 5_000, "the older review to create its check run");
    await queue.enqueue(job({ headSha: newSha, previousSha: head.sha, trigger: "pull_request.synchronize" }));
    await queue.idle();

    expect(outcomes.sort()).toEqual(["reviewed", "superseded"]);
    expect(completions(checks)).toEqual([
      expect.objectContaining({
        id: 77,
        body: expect.objectContaining({ conclusion: "cancelled", output: expect.objectContaining({ title: "Superseded by bbbbbbb" }) }),
      }),
    ]);
  });
});

import { describe, expect, test } from "@jest/globals";
import { loadEnv } from "../../../src/config/env.js";
import { InProcessQueue } from "../../../src/queue/in-process-queue.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import type { ReviewJob, ReviewJobHandler } from "../../../src/queue/kinds/review.js";
import { createReviewJobHandler } from "../../../src/queue/review-job-handler.js";
import { FakeGitHubHost, type FakeCheckRun } from "../../helpers/fake-github-host.js";
import { pullRequestOpened } from "./github-examples.js";
import { FAST, silent, waitFor } from "./queue-harness.js";

/**
 * The real job body (`reviewPullRequest`, offline mode) run by the queue
 * against GitHub in memory (FakeGitHubHost): what the check run shows while
 * a retry is pending, after the last attempt, and when a newer push
 * supersedes it.
 */

const payload = pullRequestOpened(42);
const { number, head, base } = payload.pull_request;
const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };

function job(overrides: Partial<ReviewJob> = {}): ReviewJob {
  return {
    kind: "review",
    installationId: 42,
    owner: repo.owner,
    repo: repo.repo,
    pullNumber: number,
    headSha: head.sha,
    deliveryId: `d-${Math.random()}`,
    trigger: "pull_request.opened",
    ...overrides,
  };
}

/** The pull request: one added file on its head. */
function world(): FakeGitHubHost {
  const fake = new FakeGitHubHost();
  fake.addRepo(repo, { sha: base.sha });
  fake.push(repo, "feature", { "src/answer.ts": "export const answer = 42;\n" }, "answer", head.sha);
  fake.addPullRequest(repo, { number, head: "feature" });
  return fake;
}

function realHandler(fake: FakeGitHubHost): ReviewJobHandler {
  return createReviewJobHandler({
    github: () => Promise.resolve(fake),
    deps: { env: loadEnv({}), reviewer: null, analyzers: [] },
  });
}

const runs = (fake: FakeGitHubHost, sha = head.sha) => fake.checkRunsOn(sha);
const completions = (fake: FakeGitHubHost): FakeCheckRun[] => runs(fake).filter((r) => r.status === "completed");

describe("the review job body under the queue", () => {
  test("a 502 mid-review leaves the check run in progress; the retry completes that same run", async () => {
    const fake = world().fail("changeSet", { kind: "transient", message: "Bad Gateway" });
    const queue = new InProcessQueue({ kinds: jobKinds, settings: FAST, log: silent });
    let completedBeforeRetry: FakeCheckRun[] | null = null;
    const handler = realHandler(fake);
    const body: ReviewJobHandler = {
      run: async (j, run) => {
        if (run.attempt === 2) completedBeforeRetry = completions(fake).map((r) => ({ ...r }));
        return handler.run(j, run);
      },
    };
    queue.startWorker({ review: body });
    await queue.enqueue(job());
    await queue.idle();

    expect(completedBeforeRetry).toEqual([]);
    expect(fake.calls.filter((c) => c === "changeSet")).toHaveLength(2);
    expect(runs(fake)).toHaveLength(1);
    expect(runs(fake)[0]).toMatchObject({ status: "completed", conclusion: "success", history: ["in_progress", "completed:success"] });
  });

  test("after the last attempt the failure is on the check run (gate.onError: neutral by default)", async () => {
    const fake = world().fail("changeSet", { kind: "transient", times: 2, message: "Service Unavailable" });
    const queue = new InProcessQueue({ kinds: jobKinds, settings: { ...FAST, attempts: 2 }, log: silent });
    queue.startWorker({ review: realHandler(fake) });
    await queue.enqueue(job());
    await queue.idle();

    expect(runs(fake)).toHaveLength(1);
    expect(completions(fake)).toEqual([expect.objectContaining({ conclusion: "neutral", output: expect.objectContaining({ title: "Review failed" }) })]);
    expect(await queue.depth()).toMatchObject({ failed: 1 });
  });

  test("a failure before any check run existed still ends with a failed run on the head", async () => {
    const fake = world().fail("pullRequest", { kind: "transient", message: "Server Error" });
    const queue = new InProcessQueue({ kinds: jobKinds, settings: { ...FAST, attempts: 1 }, log: silent });
    queue.startWorker({ review: realHandler(fake) });
    await queue.enqueue(job());
    await queue.idle();

    expect(runs(fake).map((r) => r.history)).toEqual([["in_progress", "completed:neutral"]]);
    expect(runs(fake)[0]!.output.summary).toContain("Server Error");
  });

  test("a crash inside the review fails the check, whatever gate.onError says (a neutral run would pass a required check)", async () => {
    // Input the pipeline breaks on (in production: GitHub's file list in a shape no schema accepts).
    const fake = world().fail("changeSet", { error: new TypeError("filename: expected string, received object"), times: 3 });
    const queue = new InProcessQueue({ kinds: jobKinds, settings: { ...FAST, attempts: 3 }, log: silent });
    queue.startWorker({ review: realHandler(fake) });
    await queue.enqueue(job());
    await queue.idle();

    // Not retried: it would break the same way again.
    expect(fake.calls.filter((c) => c === "changeSet")).toHaveLength(1);
    expect(runs(fake)).toHaveLength(1);
    const [completed] = completions(fake);
    expect(completed).toMatchObject({ conclusion: "failure", output: { title: "Review crashed" } });
    expect(completed?.output.summary).toContain("A crash never passes the gate");
  });

  test("a job that kept killing its worker is abandoned as a failed check, never a neutral one", async () => {
    const fake = world();
    const { id } = await fake.openCheckRun(repo, { name: "Longview", headSha: head.sha, externalId: `${number}`, log: silent });
    await realHandler(fake).abandoned?.(job({ checkRunId: id }), "job stalled more than allowable limit", silent);

    expect(runs(fake).map((r) => [r.id, r.conclusion, r.output.title])).toEqual([[id, "failure", "Review crashed"]]);
    expect(runs(fake)[0]?.output.summary).toContain("the review kept crashing its worker (job stalled more than allowable limit)");
  });

  test("a newer push aborts the running review, whose check run is marked superseded", async () => {
    // The files arrive late: the newer push lands while the older head is being reviewed.
    const fake = world().delay("changeSet", 400);
    const queue = new InProcessQueue({ kinds: jobKinds, settings: FAST, log: silent });
    const handler = realHandler(fake);
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
    await waitFor(() => runs(fake).length > 0, 5_000, "the older review to create its check run");
    await queue.enqueue(job({ headSha: newSha, previousSha: head.sha, trigger: "pull_request.synchronize" }));
    await queue.idle();

    expect(outcomes.sort()).toEqual(["reviewed", "superseded"]);
    expect(runs(fake)).toHaveLength(1);
    expect(completions(fake)).toEqual([
      expect.objectContaining({ conclusion: "cancelled", output: expect.objectContaining({ title: "Superseded by bbbbbbb" }) }),
    ]);
  });
});

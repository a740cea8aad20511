import { afterEach, expect, test } from "@jest/globals";
import { JobSupersededError } from "../../../src/queue/errors.js";
import type { ReviewJobRun } from "../../../src/queue/kinds/review.js";
import type { QueueSettings } from "../../../src/queue/queue.js";
import { FakeBody, httpError, reviewJob, sha, sleep, untilAborted, waitFor, type QueueHarness } from "./queue-harness.js";

/**
 * The behaviour both queues promise. Each implementation's test file calls
 * this with its own harness factory; the Redis one adds crash recovery.
 */
export function queueBehaviour(make: (settings?: Partial<QueueSettings>) => Promise<QueueHarness>): void {
  let harness: QueueHarness | null = null;
  const open = async (settings?: Partial<QueueSettings>) => (harness = await make(settings));
  afterEach(async () => {
    await harness?.cleanup();
    harness = null;
  });

  test("an enqueued job is processed with the payload it was given", async () => {
    const h = await open();
    const body = new FakeBody();
    await h.startWorker({ review: body });
    const job = reviewJob({ previousSha: sha(9), trigger: "pull_request.synchronize" });
    const result = await h.queue.enqueue(job);
    expect(result).toMatchObject({ status: "queued", superseded: null });

    await waitFor(() => body.finished().length === 1, 5_000, "the job to finish");
    expect(body.runs[0]!.job).toEqual(job);
    expect(body.runs[0]!.run).toMatchObject({ jobId: result.jobId, attempt: 1, maxAttempts: 3 });
    await waitFor(async () => (await h.queue.depth()).active === 0);
    expect(await h.queue.depth()).toMatchObject({ waiting: 0, active: 0, failed: 0 });
  });

  test("a job whose kind sets a start time (a CI deadline's watch) waits in the queue until then, then runs", async () => {
    const h = await open();
    const started: number[] = [];
    await h.startWorker({
      ci: {
        run: async () => {
          started.push(Date.now());
          return "waiting";
        },
      },
    });
    const notBefore = Date.now() + 700;
    const job = {
      kind: "ci",
      installationId: 7,
      owner: "acme",
      repo: "app",
      pullNumber: 3,
      deliveryId: "d-ci",
      phase: "watch",
      sha: sha(4),
      why: "deadline",
      notBefore,
    };
    expect(await h.queue.enqueue(job)).toMatchObject({ status: "queued" });
    await sleep(150);
    expect(started).toEqual([]);
    expect(await h.queue.depth()).toMatchObject({ delayed: 1, active: 0 });
    await waitFor(() => started.length === 1, 5_000, "the delayed job");
    // Redis's delayed set is polled: a little late is fine, early is not.
    expect(started[0]!).toBeGreaterThanOrEqual(notBefore - 20);
  });

  test("a redelivered webhook (same delivery id) does not create a second job", async () => {
    const h = await open();
    const job = reviewJob();
    const first = await h.queue.enqueue(job);
    const second = await h.queue.enqueue(job);
    expect(first.status).toBe("queued");
    expect(second).toEqual({ status: "duplicate", reason: "delivery", jobId: null });

    const body = new FakeBody();
    await h.startWorker({ review: body });
    await waitFor(() => body.finished().length === 1);
    await sleep(200);
    expect(body.runs).toHaveLength(1);
  });

  test("a replayed event (same signed payload, fresh delivery id) does not create a second job, once finished either", async () => {
    const h = await open();
    const body = new FakeBody();
    await h.startWorker({ review: body });
    const first = await h.queue.enqueue(reviewJob({ deliveryId: "d-1", replayKey: "pull_request:abc" }));
    expect(first.status).toBe("queued");
    await waitFor(() => body.finished().length === 1);
    const replayed = await h.queue.enqueue(reviewJob({ deliveryId: "d-2", replayKey: "pull_request:abc" }));
    expect(replayed).toEqual({ status: "duplicate", reason: "delivery", jobId: null });
    // Another event for the same head is not a replay.
    expect((await h.queue.enqueue(reviewJob({ deliveryId: "d-3", replayKey: "check_run:def", checkRunId: 5 }))).status).toBe("queued");
    await waitFor(() => body.finished().length === 2);
    await sleep(200);
    expect(body.runs).toHaveLength(2);
  });

  test("a newer head replaces the queued job of the same pull request and inherits the old head as previousSha", async () => {
    const h = await open();
    const older = await h.queue.enqueue(reviewJob({ headSha: sha(1) }));
    const other = await h.queue.enqueue(reviewJob({ pullNumber: 8, headSha: sha(1) }));
    const newer = await h.queue.enqueue(reviewJob({ headSha: sha(2) }));
    expect(newer).toMatchObject({ status: "queued", superseded: { jobId: older.jobId, state: "queued" } });
    expect(other).toMatchObject({ status: "queued", superseded: null });

    const body = new FakeBody();
    await h.startWorker({ review: body });
    await waitFor(() => body.finished().length === 2);
    await sleep(200);
    const pr7 = body.runs.filter((r) => r.job.pullNumber === 7);
    expect(pr7.map((r) => r.job.headSha)).toEqual([sha(2)]);
    expect(pr7[0]!.job.previousSha).toBe(sha(1));
  });

  test("a newer head aborts the running job through its signal, and the newer one runs", async () => {
    const h = await open();
    const reasons: unknown[] = [];
    const body = new FakeBody(async (job, run) => {
      if (job.headSha === sha(1)) {
        await untilAborted(run.signal).catch((reason: unknown) => {
          reasons.push(reason);
        });
        return "superseded";
      }
      return "reviewed";
    });
    await h.startWorker({ review: body });
    const older = await h.queue.enqueue(reviewJob({ headSha: sha(1) }));
    await waitFor(() => body.runs.length === 1, 5_000, "the first job to start");
    const newer = await h.queue.enqueue(reviewJob({ headSha: sha(2), previousSha: sha(1) }));
    expect(newer).toMatchObject({ status: "queued", superseded: { jobId: older.jobId, state: "running" } });

    await waitFor(() => body.finished().length === 2, 5_000, "both jobs to finish");
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(JobSupersededError);
    expect(reasons[0]).toMatchObject({ newSha: sha(2), byJobId: newer.status === "queued" ? newer.jobId : "" });
    expect(body.runs.map((r) => [r.job.headSha, r.outcome])).toEqual([
      [sha(1), "superseded"],
      [sha(2), "reviewed"],
    ]);
  });

  test("an automatic event for a head that is already pending is a duplicate; an explicit re-run is not", async () => {
    const h = await open();
    const first = await h.queue.enqueue(reviewJob({ headSha: sha(3) }));
    const automatic = await h.queue.enqueue(reviewJob({ headSha: sha(3), onlyIfUnreviewed: true, trigger: "check_suite.requested" }));
    expect(automatic).toEqual({ status: "duplicate", reason: "head", jobId: first.jobId });

    const rerun = await h.queue.enqueue(reviewJob({ headSha: sha(3), checkRunId: 42, trigger: "check_run.rerequested" }));
    expect(rerun).toMatchObject({ status: "queued", superseded: { jobId: first.jobId, state: "queued" } });
    const body = new FakeBody();
    await h.startWorker({ review: body });
    await waitFor(() => body.finished().length === 1);
    expect(body.runs[0]!.job).toMatchObject({ checkRunId: 42, trigger: "check_run.rerequested" });
  });

  test("while a head is being reviewed, another event for it is a duplicate, but an explicit re-run takes over", async () => {
    const h = await open();
    const body = new FakeBody(async (job, run) => {
      if (job.checkRunId === undefined) {
        await untilAborted(run.signal).catch(() => undefined);
        return "superseded";
      }
      return "reviewed";
    });
    await h.startWorker({ review: body });
    const running = await h.queue.enqueue(reviewJob({ headSha: sha(4) }));
    await waitFor(() => body.runs.length === 1, 5_000, "the first job to start");

    const reopened = await h.queue.enqueue(reviewJob({ headSha: sha(4), trigger: "pull_request.reopened" }));
    expect(reopened).toEqual({ status: "duplicate", reason: "head", jobId: running.jobId });
    const rerun = await h.queue.enqueue(reviewJob({ headSha: sha(4), checkRunId: 5, trigger: "check_run.rerequested" }));
    expect(rerun).toMatchObject({ status: "queued", superseded: { jobId: running.jobId, state: "running" } });
    await waitFor(() => body.finished().length === 2, 5_000, "both jobs to finish");
    expect(body.runs.map((r) => r.outcome)).toEqual(["superseded", "reviewed"]);
  });

  test("a transient failure is retried with backoff; the retry keeps the check run and is not reported final", async () => {
    const h = await open();
    const body = new FakeBody(async (_job, run) => {
      if (run.attempt === 1) {
        await run.saveCheckRunId(77);
        throw httpError(502, "Bad Gateway");
      }
      return "reviewed";
    });
    await h.startWorker({ review: body });
    await h.queue.enqueue(reviewJob({ onlyIfUnreviewed: true, trigger: "check_suite.requested" }));

    await waitFor(() => body.finished().length === 1, 5_000, "the retry to succeed");
    expect(body.runs).toHaveLength(2);
    expect(body.runs[0]).toMatchObject({ willRetry: true });
    expect(body.runs[1]!.run.attempt).toBe(2);
    // The retry completes the run the first attempt created, and must not skip itself as "already reviewed".
    expect(body.runs[1]!.job).toMatchObject({ checkRunId: 77, onlyIfUnreviewed: false });
  });

  test("a permanent failure is not retried and is reported final; the last transient attempt is final too", async () => {
    const h = await open({ attempts: 2 });
    const body = new FakeBody(async (job) => {
      throw job.pullNumber === 1 ? httpError(404, "Not Found") : httpError(503, "Unavailable");
    });
    await h.startWorker({ review: body });
    await h.queue.enqueue(reviewJob({ pullNumber: 1 }));
    await h.queue.enqueue(reviewJob({ pullNumber: 2 }));

    await waitFor(async () => (await h.queue.depth()).failed === 2, 5_000, "both jobs to fail");
    const pr1 = body.runs.filter((r) => r.job.pullNumber === 1);
    const pr2 = body.runs.filter((r) => r.job.pullNumber === 2);
    expect(pr1.map((r) => r.willRetry)).toEqual([false]);
    expect(pr2.map((r) => r.willRetry)).toEqual([true, false]);
  });

  test("an installation never runs more jobs at once than its limit; other installations are not held up", async () => {
    const h = await open({ concurrency: 4, installationConcurrency: 1 });
    const body = new FakeBody(async () => {
      await sleep(100);
      return "reviewed";
    });
    await h.startWorker({ review: body });
    for (const pullNumber of [1, 2, 3]) await h.queue.enqueue(reviewJob({ installationId: 11, pullNumber }));
    await h.queue.enqueue(reviewJob({ installationId: 22, pullNumber: 4 }));

    await waitFor(() => body.finished().length === 4, 8_000, "all jobs");
    expect(body.maxByInstallation.get(11)).toBe(1);
    expect(body.maxActive).toBe(2);
  });

  test("graceful shutdown lets a running job finish and takes no new job", async () => {
    const h = await open();
    const body = new FakeBody(async () => {
      await sleep(300);
      return "reviewed";
    });
    const worker = await h.startWorker({ review: body });
    await h.queue.enqueue(reviewJob({ pullNumber: 1 }));
    await waitFor(() => body.runs.length === 1);

    const closing = worker.close(5_000);
    await h.queue.enqueue(reviewJob({ pullNumber: 2 }));
    await closing;
    expect(body.runs.map((r) => [r.job.pullNumber, r.outcome])).toEqual([[1, "reviewed"]]);
    expect(worker.running).toBe(0);
  });

  test("at the shutdown deadline a running job is aborted, and whether it runs again is reported honestly", async () => {
    const h = await open();
    const seen: { run: ReviewJobRun; willRetry: boolean }[] = [];
    const body = new FakeBody(async (_job, run) => {
      try {
        return await untilAborted(run.signal);
      } catch (reason) {
        seen.push({ run, willRetry: run.willRetry(reason) });
        throw reason;
      }
    });
    const worker = await h.startWorker({ review: body });
    await h.queue.enqueue(reviewJob());
    await waitFor(() => body.runs.length === 1);
    const started = Date.now();
    await worker.close(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(seen).toHaveLength(1);
    // Redis hands the job back to another worker, the journal to the next start; in memory there is nobody, so the failure is final.
    expect(seen[0]!.willRetry).toBe(h.name !== "in-process");
  });
}

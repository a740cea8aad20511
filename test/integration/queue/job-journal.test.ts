import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import Database from "better-sqlite3";
import { InProcessQueue } from "../../../src/queue/in-process-queue.js";
import { JobJournal, JournalError } from "../../../src/queue/job-journal.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import { queueBehaviour } from "./queue-behaviour.js";
import { FAST, FakeBody, journaledHarness, reviewJob, sha, silent, sleep, untilAborted, waitFor } from "./queue-harness.js";

/**
 * The embedded default: the in-process queue on its SQLite journal. The same
 * behaviour as the other queues, and what the journal adds — jobs survive the
 * process. A "crash" here is the journal closed with jobs still running, then
 * a new queue opened on the same file, as a restarted process would.
 */

describe("InProcessQueue on the journal", () => {
  queueBehaviour(journaledHarness);
});

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "longview-journal-test-"));
  file = join(dir, "jobs.sqlite");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function queueOn(journal: JobJournal, maxCrashes = 2): InProcessQueue {
  return new InProcessQueue({ kinds: jobKinds, settings: { ...FAST, concurrency: 2 }, log: silent, store: journal, random: () => 0.5, maxCrashes });
}

/** The process dies: nothing is cleaned up, the file is simply left as it was. */
function crash(journal: JobJournal): void {
  journal.close();
}

describe("surviving the process", () => {
  test("after a crash the running and the queued jobs run again, each once, with what they had saved", async () => {
    const first = JobJournal.open(file);
    const q1 = queueOn(first);
    const body1 = new FakeBody(async (job, run) => {
      await run.saveCheckRunId(900 + job.pullNumber);
      return untilAborted(run.signal);
    });
    q1.startWorker({ review: body1 });
    await q1.enqueue(reviewJob({ pullNumber: 1 }));
    await q1.enqueue(reviewJob({ pullNumber: 2 }));
    await waitFor(() => body1.active === 2, 5_000, "both jobs running");
    await q1.enqueue(reviewJob({ pullNumber: 3 }));
    await sleep(50);
    crash(first);

    const second = JobJournal.open(file);
    const q2 = queueOn(second);
    const body2 = new FakeBody();
    const worker = q2.startWorker({ review: body2 });
    await waitFor(() => body2.finished().length === 3, 5_000, "the three jobs to finish after the restart");
    expect(body2.runs.map((r) => [r.job.pullNumber, r.job.checkRunId ?? null]).sort()).toEqual([
      [1, 901],
      [2, 902],
      [3, null],
    ]);
    await worker.close(1_000);
    await q2.close();
    expect(JobJournal.open(file).load().entries).toEqual([]);
  });

  test("a job found running after every one of its crashes is abandoned as failed, not run into another crash", async () => {
    const job = reviewJob({ pullNumber: 4, checkRunId: 44 });
    for (let crashes = 0; crashes < 3; crashes++) {
      const journal = JobJournal.open(file);
      const queue = queueOn(journal, 2);
      const body = new FakeBody(async (_j, run) => untilAborted(run.signal));
      queue.startWorker({ review: body });
      if (crashes === 0) await queue.enqueue(job);
      await waitFor(() => body.active === 1, 5_000, `attempt ${crashes + 1} running`);
      crash(journal);
    }
    const journal = JobJournal.open(file);
    const queue = queueOn(journal, 2);
    const body = new FakeBody();
    const worker = queue.startWorker({ review: body });
    await waitFor(() => body.abandonedJobs.length === 1, 5_000, "the job to be abandoned");
    expect(body.runs).toEqual([]);
    expect(body.abandonedJobs[0]).toMatchObject({ job: { pullNumber: 4, checkRunId: 44 }, reason: "the process died 3 times while running it" });
    expect(await queue.depth()).toMatchObject({ waiting: 0, active: 0, failed: 1 });
    await worker.close(1_000);
    await queue.close();
  });

  test("at shutdown, jobs still running at the deadline and queued ones stay in the journal and resume at the next start", async () => {
    const journal = JobJournal.open(file);
    const queue = new InProcessQueue({ kinds: jobKinds, settings: { ...FAST, concurrency: 1 }, log: silent, store: journal });
    const body = new FakeBody(async (_j, run) => untilAborted(run.signal));
    const worker = queue.startWorker({ review: body });
    await queue.enqueue(reviewJob({ pullNumber: 5 }));
    await queue.enqueue(reviewJob({ pullNumber: 6 }));
    await waitFor(() => body.active === 1);
    await worker.close(50);
    await queue.close();
    expect(body.runs[0]?.willRetry).toBe(true);
    expect(await queue.depth()).toMatchObject({ failed: 0 });

    const next = queueOn(JobJournal.open(file));
    const after = new FakeBody();
    const nextWorker = next.startWorker({ review: after });
    await waitFor(() => after.finished().length === 2);
    expect(after.runs.map((r) => [r.job.pullNumber, r.run.attempt]).sort()).toEqual([
      [5, 2],
      [6, 1],
    ]);
    await nextWorker.close(1_000);
    await next.close();
  });

  test("a replayed event is still recognised after a restart", async () => {
    const journal = JobJournal.open(file);
    const queue = queueOn(journal);
    const body = new FakeBody();
    const worker = queue.startWorker({ review: body });
    expect((await queue.enqueue(reviewJob({ replayKey: "pull_request:abc" }))).status).toBe("queued");
    await waitFor(() => body.finished().length === 1);
    await worker.close(1_000);
    await queue.close();

    const next = queueOn(JobJournal.open(file));
    expect(await next.enqueue(reviewJob({ replayKey: "pull_request:abc" }))).toEqual({ status: "duplicate", reason: "delivery", jobId: null });
    await next.close();
  });

  test("a newer head journaled after an older one that was running: only the newer one resumes", async () => {
    const journal = JobJournal.open(file);
    const queue = queueOn(journal);
    const body = new FakeBody(async (_j, run) => untilAborted(run.signal));
    queue.startWorker({ review: body });
    await queue.enqueue(reviewJob({ headSha: sha(1) }));
    await waitFor(() => body.active === 1);
    // The older job is told to stop; the process dies before it has.
    const stopping = new Promise<void>((resolve) => body.runs[0]!.run.signal.addEventListener("abort", () => resolve()));
    await queue.enqueue(reviewJob({ headSha: sha(2), trigger: "pull_request.synchronize" }));
    await stopping;
    crash(journal);

    const next = queueOn(JobJournal.open(file));
    const after = new FakeBody();
    const worker = next.startWorker({ review: after });
    await waitFor(() => after.finished().length >= 1);
    await sleep(100);
    expect(after.runs.map((r) => r.job.headSha)).toEqual([sha(2)]);
    await worker.close(1_000);
    await next.close();
  });
});

describe("the journal file", () => {
  test("one process at a time: a second one fails at start-up with a clear error", () => {
    const journal = JobJournal.open(file);
    expect(() => JobJournal.open(file)).toThrow(JournalError);
    expect(() => JobJournal.open(file)).toThrow(/cannot be used: database is locked/);
    journal.close();
    JobJournal.open(file).close();
  });

  test("an entry that no longer parses is dropped with a log line; the others resume", async () => {
    const journal = JobJournal.open(file);
    const queue = queueOn(journal);
    await queue.enqueue(reviewJob({ pullNumber: 8 }));
    crash(journal);
    const db = new Database(file);
    db.prepare(
      "INSERT INTO jobs (job_id, key, payload, state, attempts, crashes, run_after, seq) VALUES ('bad', 'k', '{\"kind\":\"review\"}', 'queued', 0, 0, NULL, 99)",
    ).run();
    db.close();

    const next = JobJournal.open(file);
    expect(next.load().unreadable).toEqual([{ jobId: "bad", problem: expect.stringContaining("installationId") }]);
    const resumed = queueOn(next);
    const body = new FakeBody();
    const worker = resumed.startWorker({ review: body });
    await waitFor(() => body.finished().length === 1);
    expect(body.runs[0]!.job.pullNumber).toBe(8);
    await worker.close(1_000);
    await resumed.close();
  });

  test("an entry its kind no longer accepts (or of a kind this release lacks) is dropped at start-up; the others resume", async () => {
    const journal = JobJournal.open(file);
    const queue = queueOn(journal);
    await queue.enqueue(reviewJob({ pullNumber: 9 }));
    crash(journal);
    const db = new Database(file);
    const insert = db.prepare("INSERT INTO jobs (job_id, key, payload, state, attempts, crashes, run_after, seq) VALUES (?, 'k', ?, 'queued', 0, 0, NULL, ?)");
    insert.run("no-head", JSON.stringify({ kind: "review", installationId: 1 }), 98);
    insert.run("newer-kind", JSON.stringify({ kind: "pong", installationId: 1 }), 99);
    db.close();

    const resumed = queueOn(JobJournal.open(file));
    const body = new FakeBody();
    const worker = resumed.startWorker({ review: body });
    await waitFor(() => body.finished().length === 1);
    expect(body.runs.map((r) => r.job.pullNumber)).toEqual([9]);
    await worker.close(1_000);
    await resumed.close();
    const after = JobJournal.open(file);
    expect(after.load().entries).toEqual([]);
    after.close();
  });
});

import { afterEach, describe, expect, test } from "@jest/globals";
import { JobRegistry, UnknownJobKindError } from "../../../src/queue/job-registry.js";
import { longviewKinds } from "../../../src/queue/kinds/index.js";
import { describeWithRedis } from "../../helpers/redis.js";
import { pingKind, type PingJob, type PingJobHandler, type PingJobRun } from "./fixtures/ping-kind.js";
import { FakeBody, httpError, inProcessHarness, journaledHarness, redisHarness, reviewJob, sleep, waitFor, type QueueHarness } from "./queue-harness.js";

/**
 * Adding a kind of job is one new file (fixtures/ping-kind.ts, a kind the
 * application does not have) and its entry in the registry: both queue
 * implementations then carry it — validation, de-duplication, retries, what
 * an attempt saves for the next — without a line of theirs changed.
 */

const kinds = new JobRegistry([...longviewKinds, pingKind]);

let pings = 0;
function ping(overrides: Partial<PingJob> = {}): PingJob {
  return { kind: "ping", installationId: 1, event: `event-${++pings}`, message: "hello", ...overrides };
}

class PingBody implements PingJobHandler {
  readonly runs: { job: PingJob; run: PingJobRun }[] = [];
  readonly answered: PingJob[] = [];

  constructor(private readonly behaviour: (job: PingJob, run: PingJobRun) => Promise<void> = async () => undefined) {}

  async run(job: PingJob, run: PingJobRun): Promise<string> {
    this.runs.push({ job, run });
    await this.behaviour(job, run);
    this.answered.push(job);
    return "ponged";
  }
}

function jobKindBehaviour(make: (registry: JobRegistry) => Promise<QueueHarness>): void {
  let harness: QueueHarness | null = null;
  const open = async () => (harness = await make(kinds));
  afterEach(async () => {
    await harness?.cleanup();
    harness = null;
  });

  test("a job of the new kind runs with its own handler, beside the reviews", async () => {
    const h = await open();
    const pings = new PingBody();
    const reviews = new FakeBody();
    await h.startWorker({ review: reviews, ping: pings });
    const job = ping();
    expect(await h.queue.enqueue(job)).toMatchObject({ status: "queued", jobId: expect.stringMatching(/^ping-event-\d+-[0-9a-f]{8}$/), superseded: null });
    await h.queue.enqueue(reviewJob());

    await waitFor(() => pings.answered.length === 1 && reviews.finished().length === 1, 5_000, "both jobs");
    expect(pings.runs[0]!.job).toEqual(job);
    expect(reviews.runs.map((r) => r.outcome)).toEqual(["reviewed"]);
  });

  test("its replay key de-duplicates it; without a pending slot it never supersedes", async () => {
    const h = await open();
    const first = ping({ event: "push-1" });
    expect(await h.queue.enqueue(first)).toMatchObject({ status: "queued" });
    expect(await h.queue.enqueue({ ...first, message: "again" })).toEqual({ status: "duplicate", reason: "delivery", jobId: null });
    expect(await h.queue.enqueue(ping({ event: "push-2" }))).toMatchObject({ status: "queued", superseded: null });

    const pings = new PingBody();
    await h.startWorker({ ping: pings });
    await waitFor(() => pings.answered.length === 2);
    await sleep(100);
    expect(pings.answered.map((j) => j.event).sort()).toEqual(["push-1", "push-2"]);
  });

  test("what an attempt saves through the kind's hook is what its retry is given", async () => {
    const h = await open();
    const pings = new PingBody(async (job, run) => {
      if (run.attempt === 1) {
        await run.saveEchoes(2);
        throw httpError(502, "Bad Gateway");
      }
    });
    await h.startWorker({ ping: pings });
    await h.queue.enqueue(ping());

    await waitFor(() => pings.answered.length === 1, 5_000, "the retry");
    expect(pings.runs.map((r) => [r.run.attempt, r.job.echoes])).toEqual([
      [1, undefined],
      [2, 2],
    ]);
  });

  test("the kind's schema guards the queue: an invalid job, or a kind nobody registered, is refused", async () => {
    const h = await open();
    await expect(h.queue.enqueue({ ...ping(), message: "" })).rejects.toThrow(/message/);
    await expect(h.queue.enqueue({ kind: "pong", installationId: 1 })).rejects.toThrow(UnknownJobKindError);
    expect(await h.queue.depth()).toMatchObject({ waiting: 0, delayed: 0 });
  });

  test("a worker without a handler for the kind fails its jobs, and goes on with the others", async () => {
    const h = await open();
    const reviews = new FakeBody();
    await h.startWorker({ review: reviews });
    await h.queue.enqueue(ping());
    await h.queue.enqueue(reviewJob());

    await waitFor(async () => (await h.queue.depth()).failed === 1 && reviews.finished().length === 1, 5_000, "the ping to fail");
    expect(reviews.runs).toHaveLength(1);
  });
}

describe("a new kind of job on the in-process queue", () => {
  jobKindBehaviour((registry) => inProcessHarness({}, registry));
});

describe("a new kind of job on the journaled in-process queue", () => {
  jobKindBehaviour((registry) => journaledHarness({}, registry));
});

describeWithRedis("a new kind of job on BullMQ", () => {
  jobKindBehaviour((registry) => redisHarness({}, undefined, undefined, registry));
});

describe("the registry", () => {
  test("a worker given a handler for a kind its queue does not know refuses to start", async () => {
    const h = await inProcessHarness();
    try {
      await expect(h.startWorker({ ping: new PingBody() })).rejects.toThrow(/does not know: ping/);
    } finally {
      await h.cleanup();
    }
  });

  test("a kind is registered once", () => {
    expect(() => new JobRegistry([...longviewKinds, pingKind, pingKind])).toThrow(/"ping" is registered twice/);
  });
});

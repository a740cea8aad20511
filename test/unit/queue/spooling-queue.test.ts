import { describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { memoryStore } from "../../../src/queue/job-store.js";
import type { Job } from "../../../src/queue/job-kind.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import { ReviewJobSchema, type ReviewJob } from "../../../src/queue/kinds/review.js";
import type { EnqueueResult, JobQueue, QueueHealth } from "../../../src/queue/queue.js";
import { SpoolingQueue } from "../../../src/queue/spooling-queue.js";

const log = pino({ level: "silent" });

/** Redis, as the spool sees it: up or down, slow or not. */
class FakeRedisQueue implements JobQueue {
  readonly kind = "redis" as const;
  up = true;
  delayMs = 0;
  readonly taken: ReviewJob[] = [];
  async enqueue(job: Job): Promise<EnqueueResult> {
    await new Promise((r) => setTimeout(r, this.delayMs));
    if (!this.up) throw new Error("connect ECONNREFUSED 127.0.0.1:6379");
    this.taken.push(ReviewJobSchema.parse(job));
    return { status: "queued", jobId: `r-${this.taken.length}`, superseded: null };
  }
  async depth() {
    return { waiting: this.taken.length, active: 0, delayed: 0, failed: 0 };
  }
  async health(): Promise<QueueHealth> {
    return this.up ? { ok: true, queue: "redis", redis: "up" } : { ok: false, queue: "redis", redis: "down", error: "connect ECONNREFUSED" };
  }
  async close() {}
}

function job(n: number): ReviewJob {
  return {
    kind: "review",
    installationId: 1,
    owner: "acme",
    repo: "w",
    pullNumber: n,
    headSha: "a".repeat(40),
    deliveryId: `d-${n}`,
    trigger: "pull_request.opened",
  };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe("the spool in front of Redis", () => {
  test("while Redis is down jobs are accepted and kept in order; once it is back they reach it in the order they came", async () => {
    const redis = new FakeRedisQueue();
    const queue = new SpoolingQueue(redis, memoryStoreWithJobs(), { kinds: jobKinds, log, retryMs: 20 });
    redis.up = false;
    for (const n of [1, 2, 3]) expect(await queue.enqueue(job(n))).toMatchObject({ status: "queued" });
    expect(await queue.health()).toMatchObject({ ok: true, redis: "down", error: expect.stringContaining("3 job(s) spooled") });
    redis.up = true;
    // Spooled jobs go first: a new job waits behind them.
    await queue.enqueue(job(4));
    await until(() => redis.taken.length === 4);
    expect(redis.taken.map((j) => j.pullNumber)).toEqual([1, 2, 3, 4]);
    await queue.close();
  });

  test("a Redis too slow for a webhook's time is treated as down", async () => {
    const redis = new FakeRedisQueue();
    redis.delayMs = 200;
    const queue = new SpoolingQueue(redis, memoryStoreWithJobs(), { kinds: jobKinds, log, enqueueTimeoutMs: 50, retryMs: 20 });
    const started = Date.now();
    expect(await queue.enqueue(job(1))).toMatchObject({ status: "queued" });
    expect(Date.now() - started).toBeLessThan(150);
    await queue.close();
  });

  test("an invalid job is refused, never spooled", async () => {
    const redis = new FakeRedisQueue();
    redis.up = false;
    const queue = new SpoolingQueue(redis, memoryStoreWithJobs(), { kinds: jobKinds, log });
    await expect(queue.enqueue({ ...job(1), headSha: "main" })).rejects.toThrow();
    expect((await queue.depth()).waiting).toBe(0);
    await queue.close();
  });

  test("jobs spooled by an earlier process are forwarded at start-up", async () => {
    const store = memoryStoreWithJobs();
    const before = new SpoolingQueue(Object.assign(new FakeRedisQueue(), { up: false }), store, { kinds: jobKinds, log, retryMs: 10_000 });
    await before.enqueue(job(7));
    await before.close();
    const redis = new FakeRedisQueue();
    const after = new SpoolingQueue(redis, store, { kinds: jobKinds, log });
    await until(() => redis.taken.length === 1);
    expect(redis.taken[0]!.pullNumber).toBe(7);
    await after.close();
  });
  test("a spooled job its kind no longer accepts (spooled by another release) is dropped, and holds up nothing behind it", async () => {
    const store = memoryStoreWithJobs();
    store.add({
      jobId: "old",
      key: "spool",
      job: { kind: "review", installationId: 1, headSha: "main" },
      state: "queued",
      attempts: 0,
      crashes: 0,
      runAfter: null,
    });
    store.add({ jobId: "new", key: "spool", job: job(8), state: "queued", attempts: 0, crashes: 0, runAfter: null });
    const redis = new FakeRedisQueue();
    const queue = new SpoolingQueue(redis, store, { kinds: jobKinds, log, retryMs: 20 });
    try {
      await until(() => redis.taken.length === 1);
      expect(redis.taken[0]!.pullNumber).toBe(8);
      await until(() => store.load().entries.length === 0);
    } finally {
      await queue.close();
    }
  });
});

/** The memory store keeps no jobs; the spool's tests need one that does (the journal does the same on disk). */
function memoryStoreWithJobs() {
  const base = memoryStore();
  const jobs = new Map<string, Parameters<typeof base.add>[0]>();
  return {
    ...base,
    durable: true,
    close: () => undefined,
    load: () => ({ entries: [...jobs.values()], unreadable: [] }),
    add: (entry: Parameters<typeof base.add>[0]) => void jobs.set(entry.jobId, entry),
    remove: (jobId: string) => void jobs.delete(jobId),
  };
}

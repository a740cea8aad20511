import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { pino } from "pino";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InProcessQueue } from "../../../src/queue/in-process-queue.js";
import type { JobHandlers } from "../../../src/queue/job-kind.js";
import { JobJournal } from "../../../src/queue/job-journal.js";
import type { JobRegistry } from "../../../src/queue/job-registry.js";
import { jobKinds } from "../../../src/queue/kinds/index.js";
import type { ReviewJob, ReviewJobHandler, ReviewJobRun, ReviewOutcome } from "../../../src/queue/kinds/review.js";
import type { JobQueue, JobWorker, QueueSettings } from "../../../src/queue/queue.js";
import { RedisJobQueue } from "../../../src/queue/redis-queue.js";
import { RedisJobWorker } from "../../../src/queue/redis-worker.js";

/** Both queue implementations behind one shape, so one behavioural suite runs against each (by default with the application's kinds of job). */

export { REDIS_URL } from "../../helpers/redis-url.js";
import { REDIS_URL } from "../../helpers/redis-url.js";
export const silent = pino({ level: "silent" });

export interface QueueHarness {
  readonly name: "in-process" | "journaled" | "redis";
  readonly queue: JobQueue;
  startWorker(handlers: JobHandlers): Promise<JobWorker>;
  cleanup(): Promise<void>;
}

export const FAST: QueueSettings = { concurrency: 4, installationConcurrency: 4, attempts: 3, backoffMs: 50 };

export async function inProcessHarness(settings: Partial<QueueSettings> = {}, kinds: JobRegistry = jobKinds): Promise<QueueHarness> {
  return embeddedHarness("in-process", settings, null, kinds);
}

/** The in-process queue on a SQLite journal in a fresh temporary directory (the production default). */
export async function journaledHarness(settings: Partial<QueueSettings> = {}, kinds: JobRegistry = jobKinds): Promise<QueueHarness> {
  return embeddedHarness("journaled", settings, mkdtempSync(join(tmpdir(), "longview-journal-")), kinds);
}

function embeddedHarness(name: "in-process" | "journaled", settings: Partial<QueueSettings>, dir: string | null, kinds: JobRegistry): QueueHarness {
  const store = dir === null ? {} : { store: JobJournal.open(join(dir, "jobs.sqlite")) };
  const queue = new InProcessQueue({ kinds, settings: { ...FAST, ...settings }, log: silent, random: () => 0.5, ...store });
  const workers: JobWorker[] = [];
  return {
    name,
    queue,
    startWorker: async (handlers) => {
      const worker = queue.startWorker(handlers);
      workers.push(worker);
      return worker;
    },
    cleanup: async () => {
      await Promise.all(workers.map((w) => w.close(0)));
      await queue.close();
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function testPrefix(): string {
  return `lvtest-${randomUUID().slice(0, 8)}`;
}

export async function redisHarness(
  settings: Partial<QueueSettings> = {},
  prefix = testPrefix(),
  maxStalls = 2,
  kinds: JobRegistry = jobKinds,
): Promise<QueueHarness> {
  const all = { ...FAST, ...settings };
  const queue = await RedisJobQueue.connect({ kinds, redisUrl: REDIS_URL, prefix, settings: all, deliveryTtlSeconds: 600, log: silent });
  const workers: RedisJobWorker[] = [];
  return {
    name: "redis",
    queue,
    startWorker: async (handlers) => {
      const worker = await RedisJobWorker.start({
        kinds,
        handlers,
        redisUrl: REDIS_URL,
        prefix,
        settings: all,
        lockMs: 1_000,
        stalledIntervalMs: 500,
        maxStalls,
        slotRetryMs: 100,
        log: silent,
      });
      workers.push(worker);
      return worker;
    },
    cleanup: async () => {
      await Promise.all(workers.map((w) => w.close(0)));
      await queue.close();
      await deleteKeys(prefix);
    },
  };
}

/** Removes every key a test run created (nothing to do, and no endless reconnecting, where no Redis answers). */
export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
  } catch {
    redis.disconnect();
    return;
  }
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    await redis.quit();
  }
}

let deliveries = 0;
export function reviewJob(overrides: Partial<ReviewJob> = {}): ReviewJob {
  return {
    kind: "review",
    installationId: 1,
    owner: "acme",
    repo: "widgets",
    pullNumber: 7,
    headSha: sha(1),
    deliveryId: `delivery-${++deliveries}-${randomUUID().slice(0, 6)}`,
    trigger: "pull_request.opened",
    ...overrides,
  };
}

export function sha(n: number): string {
  return n.toString(16).padStart(40, "0");
}

export interface RecordedRun {
  readonly job: ReviewJob;
  readonly run: ReviewJobRun;
  outcome?: ReviewOutcome;
  error?: unknown;
  willRetry?: boolean;
}

/** A fake review body: records every attempt and runs a scripted behaviour. */
export class FakeBody implements ReviewJobHandler {
  readonly runs: RecordedRun[] = [];
  readonly abandonedJobs: { job: ReviewJob; reason: string }[] = [];
  active = 0;
  maxActive = 0;
  private readonly activeByInstallation = new Map<number, number>();
  readonly maxByInstallation = new Map<number, number>();

  constructor(private readonly behaviour: (job: ReviewJob, run: ReviewJobRun) => Promise<ReviewOutcome> = async () => "reviewed") {}

  async run(job: ReviewJob, run: ReviewJobRun): Promise<ReviewOutcome> {
    const record: RecordedRun = { job, run };
    this.runs.push(record);
    this.enter(job.installationId);
    try {
      record.outcome = await this.behaviour(job, run);
      return record.outcome;
    } catch (error) {
      record.error = error;
      record.willRetry = run.willRetry(error);
      throw error;
    } finally {
      this.leave(job.installationId);
    }
  }

  async abandoned(job: ReviewJob, reason: string): Promise<void> {
    this.abandonedJobs.push({ job, reason });
  }

  finished(): RecordedRun[] {
    return this.runs.filter((r) => r.outcome !== undefined);
  }

  private enter(installationId: number): void {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    const n = (this.activeByInstallation.get(installationId) ?? 0) + 1;
    this.activeByInstallation.set(installationId, n);
    this.maxByInstallation.set(installationId, Math.max(this.maxByInstallation.get(installationId) ?? 0, n));
  }

  private leave(installationId: number): void {
    this.active--;
    this.activeByInstallation.set(installationId, (this.activeByInstallation.get(installationId) ?? 1) - 1);
  }
}

export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = "condition"): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves when the signal fires; the fake "long review" of several tests. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

export function httpError(status: number, message = `HTTP ${status}`): Error {
  return Object.assign(new Error(message), { status });
}

import type { Logger } from "pino";
import { ConfigError, type Env } from "../config/env.js";
import { InProcessQueue } from "./in-process-queue.js";
import type { JobHandlers } from "./job-kind.js";
import { JobJournal, JournalError } from "./job-journal.js";
import { memoryStore, type JobStore } from "./job-store.js";
import { jobKinds } from "./kinds/index.js";
import type { QueueObserver, QueueSettings } from "./queue.js";
import type { RedisJobQueue } from "./redis-queue.js";
import type { RedisJobWorker } from "./redis-worker.js";
import { SpoolingQueue } from "./spooling-queue.js";

/**
 * The queue the environment asks for: BullMQ on Redis when REDIS_URL is set,
 * else in-process on its journal. With Redis, a process that takes webhooks
 * (`spool: true`) puts a local spool in front, so an outage of Redis loses no
 * delivery; workers do not need one (their jobs stay in Redis). Either way it
 * takes the application's kinds of job (`jobKinds`).
 */
export async function createJobQueue(
  env: Env,
  log: Logger,
  observer?: QueueObserver,
  options: { spool?: boolean } = {},
): Promise<InProcessQueue | RedisJobQueue | SpoolingQueue> {
  const settings = queueSettings(env);
  const queueLog = log.child({ component: "queue" });
  if (!env.REDIS_URL) {
    return new InProcessQueue({
      kinds: jobKinds,
      settings,
      log: queueLog,
      store: openStore(env, queueLog),
      replayTtlMs: env.LONGVIEW_DEDUPE_TTL_SECONDS * 1000,
      maxCrashes: env.LONGVIEW_JOB_MAX_STALLS,
      ...(observer ? { observer } : {}),
    });
  }
  // BullMQ and ioredis (some 15 MiB) load only for a Redis queue: an in-process server never needs them.
  const { RedisJobQueue } = await import("./redis-queue.js");
  const redis = await RedisJobQueue.connect({
    kinds: jobKinds,
    redisUrl: env.REDIS_URL,
    prefix: env.LONGVIEW_QUEUE_PREFIX,
    settings,
    deliveryTtlSeconds: env.LONGVIEW_DEDUPE_TTL_SECONDS,
    log: queueLog,
    // A webhook server starts even while Redis is down: its spool takes the work meanwhile.
    ...(options.spool ? { readyTimeoutMs: 5_000 } : {}),
    ...(observer ? { observer } : {}),
  });
  if (!options.spool || env.LONGVIEW_JOURNAL === "off") return redis;
  return new SpoolingQueue(redis, openStore(env, queueLog), { kinds: jobKinds, log: queueLog.child({ component: "spool" }) });
}

/** A BullMQ worker on the environment's Redis, running each job with the handler of its kind. */
export async function startRedisWorker(
  env: Env & { REDIS_URL: string },
  log: Logger,
  handlers: JobHandlers,
  observer?: QueueObserver,
): Promise<RedisJobWorker> {
  const { RedisJobWorker } = await import("./redis-worker.js");
  return RedisJobWorker.start({
    kinds: jobKinds,
    handlers,
    redisUrl: env.REDIS_URL,
    prefix: env.LONGVIEW_QUEUE_PREFIX,
    settings: queueSettings(env),
    lockMs: env.LONGVIEW_JOB_LOCK_MS,
    stalledIntervalMs: env.LONGVIEW_STALLED_INTERVAL_MS,
    maxStalls: env.LONGVIEW_JOB_MAX_STALLS,
    log: log.child({ component: "worker" }),
    ...(observer ? { observer } : {}),
  });
}

/**
 * The local job file the environment names (the in-process queue's journal,
 * or the spool in front of Redis); a file that cannot be used stops the start
 * with a clear message, not a half-working queue.
 */
function openStore(env: Env, log: Logger): JobStore {
  if (env.LONGVIEW_JOURNAL === "off") {
    log.warn("LONGVIEW_JOURNAL=off: jobs not yet handed to a worker are lost if this process stops");
    return memoryStore();
  }
  try {
    const journal = JobJournal.open(env.LONGVIEW_JOURNAL);
    log.info({ journal: env.LONGVIEW_JOURNAL }, "job journal opened");
    return journal;
  } catch (error) {
    if (!(error instanceof JournalError)) throw error;
    throw new ConfigError([
      `LONGVIEW_JOURNAL: ${error.message}. Is another Longview process using it? Give each process its own file, use REDIS_URL to share work, or set LONGVIEW_JOURNAL=off.`,
    ]);
  }
}

export function queueSettings(env: Env): QueueSettings {
  return {
    concurrency: env.LONGVIEW_QUEUE_CONCURRENCY,
    installationConcurrency: env.LONGVIEW_INSTALLATION_CONCURRENCY,
    attempts: env.LONGVIEW_JOB_ATTEMPTS,
    backoffMs: env.LONGVIEW_JOB_BACKOFF_MS,
  };
}

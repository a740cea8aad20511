import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { Probot } from "probot";
import { ConfigError, type Env } from "./config/env.js";
import { createProbotClass } from "./github-app.js";
import { LongviewMetrics } from "./ops/metrics.js";
import { priceTable } from "./config/model-prices.js";
import { opsRoutes } from "./ops/ops-routes.js";
import type { ProcessGuard } from "./ops/process-guard.js";
import { createJobQueue, startRedisWorker } from "./queue/create-queue.js";
import type { ReviewJobHandler } from "./queue/kinds/review.js";
import { compose } from "./compose.js";
import type { GitHub } from "./github/client.js";

/**
 * A worker process (`npm run worker`): consumes jobs from Redis — reviews
 * and `/agent` commands — and nothing else, no webhooks. Several run side by side, on one machine or
 * many. Serves `/healthz` and `/metrics` on LONGVIEW_WORKER_PORT.
 */

export interface RunningWorker {
  /** Port of `/healthz` and `/metrics`. */
  readonly port: number;
  /** Stops taking jobs, lets running ones finish until LONGVIEW_SHUTDOWN_TIMEOUT_MS, hands the rest back. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** Replaces the review job body (tests). Default: the real review. */
  readonly jobHandler?: (probot: Probot) => ReviewJobHandler;
  /** The process's fault guard, counted in `/metrics`. */
  readonly processGuard?: ProcessGuard;
}

export async function startWorker(env: Env, log: Logger, options: WorkerOptions = {}): Promise<RunningWorker> {
  const redisUrl = env.REDIS_URL;
  if (!redisUrl) {
    throw new ConfigError(["REDIS_URL: required by `npm run worker` (without Redis, `npm start` runs the reviews itself)"]);
  }
  const ProbotWithConfig = createProbotClass(env, log, "worker");
  const probot = new ProbotWithConfig();
  const metrics = new LongviewMetrics({
    prices: priceTable(env.LONGVIEW_MODEL_PRICES),
    log,
    processMetrics: true,
    ...(options.processGuard ? { processFaults: options.processGuard.counts } : {}),
  });
  // For the depth gauge, and for the reviews commands ask for (`/agent review`, a fix commit's review).
  const queue = await createJobQueue(env, log, metrics);
  metrics.watchQueue(() => queue.depth());

  const longview = compose(env, log, {
    usage: metrics,
    compute: "threads",
    rateLimit: (id, resource, remaining) => metrics.rateLimit(id, resource, remaining),
  });
  const handlers = longview.jobHandlers(async (id) => (await probot.auth(id)) as GitHub, queue);
  longview.learnIdentity(async () => (await probot.auth()) as GitHub);
  const byKind = { ...handlers, ...(options.jobHandler ? { review: options.jobHandler(probot) } : {}) };
  const worker = await startRedisWorker({ ...env, REDIS_URL: redisUrl }, log, byKind, metrics);
  const ops = opsRoutes({ queueKind: "redis", health: () => worker.health(), metrics, log });
  const http = createServer((req, res) => {
    ops(req, res).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
      (err: unknown) => {
        log.error({ err }, "ops request failed");
        res.writeHead(500).end();
      },
    );
  });
  const port = await listen(http, env.LONGVIEW_WORKER_PORT, env.HOST);
  log.info({ port, prefix: env.LONGVIEW_QUEUE_PREFIX }, "Longview worker is running");

  return {
    port,
    stop: async () => {
      await worker.close(env.LONGVIEW_SHUTDOWN_TIMEOUT_MS);
      await longview.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await queue.close();
    },
  };
}

function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

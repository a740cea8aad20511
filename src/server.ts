import type { Logger } from "pino";
import { Server, type Probot } from "probot";
import { createApp } from "./app.js";
import { createCommandDeps } from "./commands/run-command.js";
import type { Env } from "./config/env.js";
import { createProbotClass } from "./github-app.js";
import { LongviewMetrics } from "./ops/metrics.js";
import { priceTable } from "./ops/model-prices.js";
import { opsRoutes } from "./ops/ops-routes.js";
import { observeRateLimit } from "./ops/rate-limit-hook.js";
import { createReviewQueue } from "./queue/create-queue.js";
import { InProcessQueue } from "./queue/in-process-queue.js";
import type { JobHandler, ReviewWorker } from "./queue/queue.js";
import { createReviewDeps } from "./queue/review-deps.js";
import { createReviewJobHandler } from "./queue/review-job-handler.js";

/**
 * The GitHub App server: Probot's webhook endpoint (signature verification
 * included) with Longview loaded, whose handlers only enqueue; `/healthz`
 * and `/metrics`. Without REDIS_URL the reviews run in this process too
 * (in-process queue); with Redis they run in `npm run worker` processes.
 * `main.ts` runs it; end-to-end tests start the same server against the
 * GitHub simulator.
 */

export interface RunningServer {
  readonly port: number;
  /** Stops taking webhooks, lets running reviews finish (LONGVIEW_SHUTDOWN_TIMEOUT_MS), closes the queue. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Replaces the review job body (benchmarks, tests). Default: the real review. */
  readonly jobHandler?: (probot: Probot) => JobHandler;
}

export async function startServer(env: Env, log: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const ProbotWithConfig = createProbotClass(env, log, "webhooks");
  const metrics = new LongviewMetrics({ prices: priceTable(env.LONGVIEW_MODEL_PRICES), log, processMetrics: true });
  const queue = await createReviewQueue(env, log, metrics);
  metrics.watchQueue(() => queue.depth());

  const server = new Server({ Probot: ProbotWithConfig, host: env.HOST, port: env.PORT, log, enableStaticFiles: false });
  // The server builds its own Probot instance; the in-process worker authenticates through that same one.
  const loaded: { probot?: Probot } = {};
  await server.load(async (app, appOptions) => {
    loaded.probot = app;
    appOptions.addHandler(opsRoutes({ queueKind: queue.kind, health: () => queue.health(), metrics, log }));
    await createApp({ queue, commands: createCommandDeps(env, log) })(app, appOptions);
  });
  const probot = loaded.probot;
  if (!probot) throw new Error("Probot did not load the app");

  let worker: ReviewWorker | null = null;
  let mode = "webhooks only (reviews run in `npm run worker` processes)";
  if (queue instanceof InProcessQueue) {
    const handler = options.jobHandler?.(probot) ?? reviewJobHandler(probot, env, log, metrics);
    worker = queue.startWorker(handler);
    mode = "in-process queue";
  }
  await server.start();
  log.info({ port: server.port, queue: queue.kind, mode }, "Longview is listening");

  return {
    port: server.port,
    stop: async () => {
      await server.stop();
      await worker?.close(env.LONGVIEW_SHUTDOWN_TIMEOUT_MS);
      await queue.close();
    },
  };
}

/** The real job body, for any process that runs reviews (this server in-process, or `npm run worker`). */
export function reviewJobHandler(probot: Probot, env: Env, log: Logger, metrics: LongviewMetrics): JobHandler {
  const deps = createReviewDeps(env, log, (model, usage, calls) => metrics.modelUsage(model, usage, calls));
  log.info({ model: deps.reviewer?.model ?? null, mode: deps.reviewer ? "model" : "offline" }, "review worker ready");
  return createReviewJobHandler({
    auth: (installationId) => probot.auth(installationId),
    deps,
    onClient: (gh, installationId) => observeRateLimit(gh, installationId, (id, resource, remaining) => metrics.rateLimit(id, resource, remaining)),
  });
}

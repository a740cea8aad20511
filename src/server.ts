import type { Logger } from "pino";
import { Server, type Probot } from "probot";
import { createApp } from "./app.js";
import { compose } from "./compose.js";
import type { Env } from "./config/env.js";
import { priceTable } from "./config/model-prices.js";
import { createProbotClass } from "./github-app.js";
import type { GitHub } from "./github/client.js";
import { intakeSettings, withWebhookIntake } from "./intake/probot-intake.js";
import { LongviewMetrics } from "./ops/metrics.js";
import { opsRoutes } from "./ops/ops-routes.js";
import type { ProcessGuard } from "./ops/process-guard.js";
import { createJobQueue } from "./queue/create-queue.js";
import { InProcessQueue } from "./queue/in-process-queue.js";
import type { ReviewJobHandler } from "./queue/kinds/review.js";
import type { JobWorker } from "./queue/queue.js";

/**
 * The GitHub App server: Probot's server with Longview's webhook intake
 * (bounded read, signature, then Probot's event routing — intake/) and
 * Longview loaded, whose handlers only enqueue; `/healthz` and `/metrics`. Without REDIS_URL the jobs (reviews and `/agent`
 * commands) run in this process too (in-process queue); with Redis they run
 * in `npm run worker` processes.
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
  readonly jobHandler?: (probot: Probot) => ReviewJobHandler;
  /** The process's fault guard, counted in `/metrics`. */
  readonly processGuard?: ProcessGuard;
}

export async function startServer(env: Env, log: Logger, options: ServerOptions = {}): Promise<RunningServer> {
  const ProbotWithConfig = withWebhookIntake(createProbotClass(env, log, "webhooks"), intakeSettings(env), log);
  const metrics = new LongviewMetrics({
    prices: priceTable(env.LONGVIEW_MODEL_PRICES),
    log,
    processMetrics: true,
    ...(options.processGuard ? { processFaults: options.processGuard.counts } : {}),
  });
  const longview = compose(env, log, {
    usage: metrics,
    compute: "threads",
    rateLimit: (id, resource, remaining) => metrics.rateLimit(id, resource, remaining),
  });
  const queue = await createJobQueue(env, log, metrics, { spool: true });
  metrics.watchQueue(() => queue.depth());

  const server = new Server({ Probot: ProbotWithConfig, host: env.HOST, port: env.PORT, log, enableStaticFiles: false });
  // The server builds its own Probot instance; the in-process worker authenticates through that same one.
  const loaded: { probot?: Probot } = {};
  await server.load(async (app, appOptions) => {
    loaded.probot = app;
    appOptions.addHandler(opsRoutes({ queueKind: queue.kind, health: () => queue.health(), metrics, log }));
    await createApp({ queue, github: longview.github })(app, appOptions);
  });
  const probot = loaded.probot;
  if (!probot) throw new Error("Probot did not load the app");

  let worker: JobWorker | null = null;
  let mode = "webhooks only (reviews run in `npm run worker` processes)";
  if (queue instanceof InProcessQueue) {
    const handlers = longview.jobHandlers(async (id) => (await probot.auth(id)) as GitHub, queue);
    longview.learnIdentity(async () => (await probot.auth()) as GitHub);
    worker = queue.startWorker({ ...handlers, ...(options.jobHandler ? { review: options.jobHandler(probot) } : {}) });
    mode = "in-process queue";
  }
  await server.start();
  log.info({ port: server.port, queue: queue.kind, mode }, "Longview is listening");

  return {
    port: server.port,
    stop: async () => {
      await server.stop();
      await worker?.close(env.LONGVIEW_SHUTDOWN_TIMEOUT_MS);
      await longview.close();
      await queue.close();
    },
  };
}

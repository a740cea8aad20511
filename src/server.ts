import type { Logger } from "pino";
import { Server, type Probot } from "probot";
import { createApp } from "./app.js";
import { createCommandJobHandler } from "./commands/command-job-handler.js";
import { createCommandDeps } from "./commands/run-command.js";
import type { Env } from "./config/env.js";
import { createProbotClass } from "./github-app.js";
import { intakeSettings, withWebhookIntake } from "./intake/probot-intake.js";
import type { GitHub } from "./github/client.js";
import type { UsageSink } from "./ops/meter-reviewer.js";
import { LongviewMetrics } from "./ops/metrics.js";
import { priceTable } from "./ops/model-prices.js";
import { opsRoutes } from "./ops/ops-routes.js";
import type { ProcessGuard } from "./ops/process-guard.js";
import { observeRateLimit } from "./ops/rate-limit-hook.js";
import { createJobQueue } from "./queue/create-queue.js";
import { InProcessQueue } from "./queue/in-process-queue.js";
import type { LongviewJobHandlers } from "./queue/kinds/index.js";
import type { ReviewJobHandler } from "./queue/kinds/review.js";
import type { JobWorker, ReviewIntake } from "./queue/queue.js";
import { createReviewDeps } from "./queue/review-deps.js";
import { createReviewJobHandler } from "./queue/review-job-handler.js";
import { Semaphore } from "./queue/semaphore.js";

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
  const metrics = new LongviewMetrics({ prices: priceTable(env.LONGVIEW_MODEL_PRICES), log, processMetrics: true, ...(options.processGuard ? { processFaults: options.processGuard.counts } : {}) });
  const queue = await createJobQueue(env, log, metrics, { spool: true });
  metrics.watchQueue(() => queue.depth());

  const server = new Server({ Probot: ProbotWithConfig, host: env.HOST, port: env.PORT, log, enableStaticFiles: false });
  // The server builds its own Probot instance; the in-process worker authenticates through that same one.
  const loaded: { probot?: Probot } = {};
  await server.load(async (app, appOptions) => {
    loaded.probot = app;
    appOptions.addHandler(opsRoutes({ queueKind: queue.kind, health: () => queue.health(), metrics, log }));
    await createApp({ queue })(app, appOptions);
  });
  const probot = loaded.probot;
  if (!probot) throw new Error("Probot did not load the app");

  let worker: JobWorker | null = null;
  let handlers: JobHandlers | null = null;
  let mode = "webhooks only (reviews run in `npm run worker` processes)";
  if (queue instanceof InProcessQueue) {
    handlers = jobHandlers(probot, env, log, metrics, queue);
    worker = queue.startWorker({ ...handlers.byKind, ...(options.jobHandler ? { review: options.jobHandler(probot) } : {}) });
    mode = "in-process queue";
  }
  await server.start();
  log.info({ port: server.port, queue: queue.kind, mode }, "Longview is listening");

  return {
    port: server.port,
    stop: async () => {
      await server.stop();
      await worker?.close(env.LONGVIEW_SHUTDOWN_TIMEOUT_MS);
      await handlers?.close();
      await queue.close();
    },
  };
}

export interface JobHandlers {
  readonly byKind: LongviewJobHandlers;
  /** Stops the worker threads of the reviews (after the jobs finished). */
  close(): Promise<void>;
}

/**
 * The real job bodies, for any process that runs jobs (this server
 * in-process, or `npm run worker`). Reviews and fixes share one cap on model
 * calls in flight and one usage meter; `queue` takes the reviews commands ask for.
 */
export function jobHandlers(probot: Probot, env: Env, log: Logger, metrics: LongviewMetrics, queue: ReviewIntake): JobHandlers {
  const usage: UsageSink = (model, tokens, calls) => metrics.modelUsage(model, tokens, calls);
  const modelSlots = new Semaphore(env.LONGVIEW_MODEL_CONCURRENCY);
  const deps = createReviewDeps(env, log, usage, modelSlots);
  const commandDeps = createCommandDeps(env, log, { modelSlots, usage });
  log.info({ model: deps.reviewer?.model ?? null, mode: deps.reviewer ? "model" : "offline" }, "review worker ready");
  const auth = (installationId: number): Promise<GitHub> => probot.auth(installationId);
  const onClient = (gh: GitHub, installationId: number) =>
    observeRateLimit(gh, installationId, (id, resource, remaining) => metrics.rateLimit(id, resource, remaining));
  return {
    byKind: {
      review: createReviewJobHandler({ auth, deps, onClient }),
      command: createCommandJobHandler({ auth, deps: commandDeps, queue, onClient }),
    },
    close: () => deps.close(),
  };
}

import type { Logger } from "pino";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TokenUsage } from "../model/index.js";
import type { EnqueueResult, FinishedAs, QueueDepth, QueueObserver } from "../queue/queue.js";
import { estimateCostUsd, type ModelPriceTable } from "../config/model-prices.js";
import type { ProcessFaultKind } from "./process-guard.js";

/**
 * Longview's Prometheus metrics (`GET /metrics`), one registry per process.
 * With Redis, every app instance and worker reports the same shared queue
 * depth (aggregate with `max`), and its own job, token and rate-limit
 * counters (aggregate with `sum`).
 */

export interface MetricsOptions {
  readonly prices: ModelPriceTable;
  readonly log: Logger;
  /** Node.js process metrics (CPU, memory, event loop lag). */
  readonly processMetrics?: boolean;
  /** Faults the process guard caught and survived (`longview_process_faults_total`). */
  readonly processFaults?: () => Readonly<Record<ProcessFaultKind, number>>;
}

export class LongviewMetrics implements QueueObserver {
  readonly registry = new Registry();
  private depthSource: (() => Promise<QueueDepth>) | null = null;
  private depthQuery: Promise<QueueDepth | null> | null = null;
  private readonly unpriced = new Set<string>();

  private readonly enqueuedTotal: Counter<"result">;
  private readonly supersededTotal: Counter<"state">;
  private readonly finishedTotal: Counter<"outcome">;
  private readonly duration: Histogram<"outcome">;
  private readonly tokens: Counter<"model" | "kind">;
  private readonly modelCalls: Counter<"model">;
  private readonly cost: Counter<"model">;
  private readonly rateLimitRemaining: Gauge<"installation" | "resource">;

  constructor(private readonly options: MetricsOptions) {
    const registers = [this.registry];
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "longview_" });

    // Both are asked when Prometheus scrapes (in parallel), so they share one depth query and are never stale.
    const depthGauge: Gauge<"state"> = new Gauge({
      name: "longview_queue_jobs",
      help: "Review jobs in the queue by state (waiting, active, delayed, failed).",
      labelNames: ["state"],
      registers,
      collect: async () => {
        const depth = await this.scrapeDepth();
        if (depth) for (const [state, n] of Object.entries(depth)) depthGauge.set({ state }, n);
      },
    });
    const up: Gauge = new Gauge({
      name: "longview_queue_up",
      help: "Whether the queue answered the depth query of this scrape (1) or not (0).",
      registers,
      collect: async () => {
        if (this.depthSource) up.set((await this.scrapeDepth()) ? 1 : 0);
      },
    });

    this.enqueuedTotal = new Counter({
      name: "longview_jobs_enqueued_total",
      help: "Enqueue requests by result (queued, duplicate_delivery, duplicate_head).",
      labelNames: ["result"],
      registers,
    });
    this.supersededTotal = new Counter({
      name: "longview_jobs_superseded_total",
      help: "Jobs replaced by a newer head, by the state they were in.",
      labelNames: ["state"],
      registers,
    });
    this.finishedTotal = new Counter({
      name: "longview_jobs_finished_total",
      help: "Job attempts by outcome (reviewed, skipped, superseded, failed, retrying, handed_back).",
      labelNames: ["outcome"],
      registers,
    });
    this.duration = new Histogram({
      name: "longview_job_duration_seconds",
      help: "Duration of job attempts by outcome.",
      labelNames: ["outcome"],
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600],
      registers,
    });
    this.tokens = new Counter({
      name: "longview_model_tokens_total",
      help: "Model tokens by kind (input, output, reasoning; reasoning is part of output).",
      labelNames: ["model", "kind"],
      registers,
    });
    this.modelCalls = new Counter({
      name: "longview_model_calls_total",
      help: "Model API calls (retries and repairs included).",
      labelNames: ["model"],
      registers,
    });
    this.cost = new Counter({
      name: "longview_model_cost_usd_total",
      help: "Estimated model cost in USD (LONGVIEW_MODEL_PRICES).",
      labelNames: ["model"],
      registers,
    });
    const processFaults = options.processFaults;
    if (processFaults) {
      const faults: Counter<"kind"> = new Counter({
        name: "longview_process_faults_total",
        help: "Unhandled rejections and uncaught exceptions the process caught, logged and survived (each is a bug to report).",
        labelNames: ["kind"],
        registers,
        collect: () => {
          faults.reset();
          for (const [kind, n] of Object.entries(processFaults())) faults.inc({ kind }, n);
        },
      });
    }
    this.rateLimitRemaining = new Gauge({
      name: "longview_github_rate_limit_remaining",
      help: "x-ratelimit-remaining of the latest GitHub response, per installation and resource.",
      labelNames: ["installation", "resource"],
      registers,
    });
  }

  /** Where `longview_queue_jobs` comes from. */
  watchQueue(depth: () => Promise<QueueDepth>): void {
    this.depthSource = depth;
  }

  /** One depth query per scrape, shared by the gauges that need it; null when the queue did not answer. */
  private scrapeDepth(): Promise<QueueDepth | null> {
    const source = this.depthSource;
    if (!source) return Promise.resolve(null);
    this.depthQuery ??= source()
      .catch((err: unknown) => {
        this.options.log.warn({ err }, "queue depth unavailable for /metrics");
        return null;
      })
      .finally(() => {
        this.depthQuery = null;
      });
    return this.depthQuery;
  }

  enqueued(result: EnqueueResult): void {
    this.enqueuedTotal.inc({ result: result.status === "queued" ? "queued" : `duplicate_${result.reason}` });
    if (result.status === "queued" && result.superseded) this.supersededTotal.inc({ state: result.superseded.state });
  }

  jobFinished(outcome: FinishedAs, durationSeconds: number): void {
    this.finishedTotal.inc({ outcome });
    this.duration.observe({ outcome }, durationSeconds);
  }

  modelUsage(model: string, usage: TokenUsage, calls: number): void {
    this.tokens.inc({ model, kind: "input" }, usage.inputTokens);
    this.tokens.inc({ model, kind: "output" }, usage.outputTokens);
    this.tokens.inc({ model, kind: "reasoning" }, usage.reasoningTokens);
    this.modelCalls.inc({ model }, calls);
    const usd = estimateCostUsd(this.options.prices, model, usage);
    if (usd !== null) this.cost.inc({ model }, usd);
    else if (!this.unpriced.has(model)) {
      this.unpriced.add(model);
      this.options.log.warn({ model }, "no price for this model: cost is not estimated (set LONGVIEW_MODEL_PRICES)");
    }
  }

  rateLimit(installationId: number, resource: string, remaining: number): void {
    this.rateLimitRemaining.set({ installation: String(installationId), resource }, remaining);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { QueueHealth } from "../queue/queue.js";
import type { LongviewMetrics } from "./metrics.js";

/**
 * `GET /healthz` (200 when the queue — and Redis, if used — answers, else
 * 503; JSON either way) and `GET /metrics` (Prometheus text). A Probot
 * server handler (`addHandler`) and a plain node:http one (worker
 * processes) at once: it answers its two paths and returns false otherwise.
 */

export interface OpsRoutesInput {
  readonly queueKind: QueueHealth["queue"];
  /** Expected not to throw; if it does, the check reports unavailable. */
  readonly health: () => Promise<QueueHealth>;
  readonly metrics: LongviewMetrics;
  readonly log: Logger;
}

export type OpsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

export function opsRoutes(input: OpsRoutesInput): OpsHandler {
  return async (req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    if (path === "/healthz") {
      const health = await input
        .health()
        .catch((error: unknown): QueueHealth => ({ ok: false, queue: input.queueKind, error: error instanceof Error ? error.message : String(error) }));
      send(res, health.ok ? 200 : 503, "application/json; charset=utf-8", JSON.stringify({ status: health.ok ? "ok" : "unavailable", ...health }));
      return true;
    }
    if (path === "/metrics") {
      try {
        send(res, 200, input.metrics.contentType, await input.metrics.render());
      } catch (err) {
        input.log.error({ err }, "metrics could not be rendered");
        send(res, 500, "text/plain; charset=utf-8", "metrics unavailable\n");
      }
      return true;
    }
    return false;
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}

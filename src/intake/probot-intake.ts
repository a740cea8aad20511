import type { Logger } from "pino";
import type { Probot } from "probot";
import { ConfigError, type Env } from "../config/env.js";
import { ByteBudget } from "./byte-budget.js";
import type { BodyLimits } from "./read-body.js";
import { webhookIntake } from "./webhook-intake.js";

export interface IntakeSettings {
  readonly secret: string;
  readonly limits: BodyLimits;
  /** Bytes of bodies held at once across all deliveries being read. */
  readonly bufferBytes: number;
}

/** The intake's limits from the environment (README, "Environment"). */
export function intakeSettings(env: Env): IntakeSettings {
  // createProbotClass refuses to start without it already; this keeps the type honest.
  if (!env.WEBHOOK_SECRET) throw new ConfigError(["WEBHOOK_SECRET: required; webhooks are verified with it"]);
  return {
    secret: env.WEBHOOK_SECRET,
    limits: {
      maxBytes: env.LONGVIEW_WEBHOOK_MAX_BYTES,
      readTimeoutMs: env.LONGVIEW_WEBHOOK_READ_TIMEOUT_MS,
      idleTimeoutMs: env.LONGVIEW_WEBHOOK_IDLE_TIMEOUT_MS,
    },
    bufferBytes: env.LONGVIEW_WEBHOOK_BUFFER_BYTES,
  };
}

/**
 * A Probot class whose webhook endpoint is Longview's intake. Probot's
 * Server mounts whatever `getNodeMiddleware()` returns at the webhook path,
 * ahead of every other handler; Probot's own (from @octokit/webhooks) reads
 * the whole body before it checks anything and answers "202 still
 * processing" after 9 s. Longview's reads within limits, verifies, then
 * hands the delivery to `probot.receive` — Probot's event routing, context,
 * logging and error handler, as before.
 */
export function withWebhookIntake(Base: typeof Probot, settings: IntakeSettings, log: Logger): typeof Probot {
  const budget = new ByteBudget(settings.bufferBytes);
  return class LongviewProbot extends Base {
    override async getNodeMiddleware(): ReturnType<Probot["getNodeMiddleware"]> {
      await this.ready();
      return webhookIntake({
        path: this.webhookPath,
        secret: settings.secret,
        limits: settings.limits,
        budget,
        log: log.child({ name: "webhooks" }),
        // Probot routes on the event name at run time; a name no handler listens to reaches none.
        receive: (delivery) => this.receive(delivery as Parameters<Probot["receive"]>[0]),
      });
    }
  };
}

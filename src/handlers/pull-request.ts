import type { Context } from "probot";
import type { Logger } from "pino";
import { PullRequestEventSchema } from "../github/schemas.js";
import { parseWebhookPayload } from "../github/webhook-payload.js";
import type { JobIntake } from "../queue/queue.js";
import { payloadReplayKey } from "./replay-key.js";

export const REVIEW_ACTIONS = ["opened", "reopened", "ready_for_review", "synchronize"] as const;

/**
 * `pull_request` opened / reopened / ready_for_review / synchronize → one
 * review job for the head. Validates and enqueues, nothing else: GitHub
 * waits 10 s for the answer and workers do the review.
 */
export function handlePullRequest(queue: JobIntake) {
  return async (context: Context<"pull_request">): Promise<void> => {
    const event = parseWebhookPayload(PullRequestEventSchema, context);
    const log: Logger = context.log.child({
      deliveryId: context.id,
      repo: event.repository.full_name,
      pr: event.pull_request.number,
      action: event.action,
    });
    // Bots' events (Longview's own commits included) would start review loops.
    if (context.isBot || event.sender.type === "Bot") {
      log.debug({ sender: event.sender.login }, "event from a bot ignored");
      return;
    }
    const installationId = event.installation?.id;
    if (installationId === undefined) {
      log.warn("event without an installation: nothing can review it");
      return;
    }
    const result = await queue.enqueue({
      kind: "review",
      installationId,
      owner: event.repository.owner.login,
      repo: event.repository.name,
      pullNumber: event.pull_request.number,
      headSha: event.pull_request.head.sha,
      ...(event.action === "synchronize" && event.before ? { previousSha: event.before } : {}),
      // A head is reviewed once; only `ready_for_review` asks again for a head whose draft was skipped.
      ...(event.action === "ready_for_review" ? {} : { onlyIfUnreviewed: true }),
      deliveryId: context.id,
      replayKey: payloadReplayKey(context.name, context.payload),
      trigger: `pull_request.${event.action}`,
    });
    log.info({ ...result }, result.status === "queued" ? "review queued" : "review already pending");
  };
}

import type { Context } from "probot";
import type { Logger } from "pino";
import { PullRequestEventSchema } from "../github/schemas.js";
import { reviewPullRequest, type ReviewDeps } from "../review/review-pull-request.js";

export const REVIEW_ACTIONS = ["opened", "reopened", "ready_for_review", "synchronize"] as const;

/** `pull_request` opened / reopened / ready_for_review / synchronize → one review of the head. */
export function handlePullRequest(deps: ReviewDeps) {
  return async (context: Context<"pull_request">): Promise<void> => {
    const event = PullRequestEventSchema.parse(context.payload);
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
    const started = performance.now();
    const outcome = await reviewPullRequest(
      context.octokit,
      {
        ref: { owner: event.repository.owner.login, repo: event.repository.name, pullNumber: event.pull_request.number },
        ...(event.action === "synchronize" && event.before ? { previousSha: event.before } : {}),
      },
      deps,
      log,
    );
    const durationMs = Math.round(performance.now() - started);
    if (outcome.kind === "skipped") log.info({ reason: outcome.reason, durationMs }, "review skipped");
    else log.info({ durationMs }, "review done");
  };
}

import type { Context } from "probot";
import type { Logger } from "pino";
import { CheckRunEventSchema, CheckSuiteEventSchema } from "../github/schemas.js";
import { parseWebhookPayload } from "../github/webhook-payload.js";
import type { ReviewJob } from "../queue/kinds/review.js";
import type { AppDeps } from "./app-deps.js";
import type { JobIntake } from "../queue/queue.js";
import { payloadReplayKey } from "./replay-key.js";

/**
 * Check events → review jobs, one per pull request on the head. The events
 * list their pull requests except for forks; only then does the handler ask
 * GitHub (one listing of open pull requests) before it enqueues.
 */

/** "Re-run" on Longview's check run → review that head again, completing the same run. */
export function handleCheckRunRerequested({ queue, github }: AppDeps) {
  return async (context: Context<"check_run.rerequested">): Promise<void> => {
    const event = parseWebhookPayload(CheckRunEventSchema, context);
    const target = eventTarget(context, event);
    if (!target) return;
    const { repo, log, installationId } = target;
    const numbers = await github(context.octokit).pullRequestsAt(repo, event.check_run.head_sha, event.check_run.pull_requests);
    if (numbers.length === 0) {
      log.info({ sha: event.check_run.head_sha }, "re-run requested for a commit without an open pull request");
      return;
    }
    // A new run per pull request; GitHub's re-run already reset the old one, which the first review completes.
    for (const [i, pullNumber] of numbers.entries()) {
      await enqueue(queue, log.child({ pr: pullNumber }), {
        kind: "review",
        installationId,
        ...repo,
        pullNumber,
        headSha: event.check_run.head_sha,
        ...(i === 0 ? { checkRunId: event.check_run.id } : {}),
        deliveryId: context.id,
        replayKey: payloadReplayKey(context.name, context.payload),
        trigger: "check_run.rerequested",
      });
    }
  };
}

/** New check suite (a push) or "Re-run all checks" → review the pull requests on that head. */
export function handleCheckSuite({ queue, github }: AppDeps) {
  return async (context: Context<"check_suite.requested" | "check_suite.rerequested">): Promise<void> => {
    const event = parseWebhookPayload(CheckSuiteEventSchema, context);
    const target = eventTarget(context, event);
    if (!target) return;
    const { repo, log, installationId } = target;
    const numbers = await github(context.octokit).pullRequestsAt(repo, event.check_suite.head_sha, event.check_suite.pull_requests);
    for (const pullNumber of numbers) {
      await enqueue(queue, log.child({ pr: pullNumber }), {
        kind: "review",
        installationId,
        ...repo,
        pullNumber,
        headSha: event.check_suite.head_sha,
        // `requested` arrives with every push, alongside `pull_request.synchronize`: review once.
        ...(event.action === "requested" ? { onlyIfUnreviewed: true } : {}),
        deliveryId: context.id,
        replayKey: payloadReplayKey(context.name, context.payload),
        trigger: `check_suite.${event.action}`,
      });
    }
  };
}

async function enqueue(queue: JobIntake, log: Logger, job: ReviewJob): Promise<void> {
  const result = await queue.enqueue(job);
  log.info({ ...result }, result.status === "queued" ? "review queued" : "review already pending");
}

/** The repository, a correlated logger and the installation to act as; null (logged) when there is no installation. */
function eventTarget(
  context: { log: Logger; id: string },
  event: { repository: { owner: { login: string }; name: string; full_name: string }; installation?: { id: number } | undefined },
): { repo: { owner: string; repo: string }; log: Logger; installationId: number } | null {
  const { repository } = event;
  const log = context.log.child({ deliveryId: context.id, repo: repository.full_name });
  const installationId = event.installation?.id;
  if (installationId === undefined) {
    log.warn("event without an installation: nothing can review it");
    return null;
  }
  return { repo: { owner: repository.owner.login, repo: repository.name }, log, installationId };
}

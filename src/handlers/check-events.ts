import type { Context } from "probot";
import type { Logger } from "pino";
import { CheckRunEventSchema, CheckSuiteEventSchema, WorkflowRunEventSchema } from "../github/schemas.js";
import { FIX_TRAILER, trailerValues } from "../fix/commit-message.js";
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

/**
 * CI finished something on a commit (a check suite of any app, a GitHub
 * Actions workflow run): when the commit is one of Longview's fixes (its
 * trailer), a look at its checks for the CI loop after the fix
 * (commands/follow-ci.ts). Everything else is ignored without a GitHub call.
 */
export function handleCiCompleted({ queue, github }: AppDeps) {
  return async (context: Context<"check_suite.completed" | "workflow_run.completed">): Promise<void> => {
    const ci = ciEvent(context);
    if (!ci.message || trailerValues(ci.message, FIX_TRAILER).length === 0) return;
    const target = eventTarget(context, ci.event);
    if (!target) return;
    const { repo, log, installationId } = target;
    const host = github(context.octokit);
    // Longview's own check suite completes when its review of the fix does: that is not CI. (A workflow run is always Actions'.)
    if (ci.app !== undefined && `${ci.app}[bot]` === (await host.botLogin())) return;
    const numbers = await host.pullRequestsAt(repo, ci.sha, ci.prs);
    for (const pullNumber of numbers) {
      const result = await queue.enqueue({
        kind: "ci",
        installationId,
        ...repo,
        pullNumber,
        phase: "watch",
        sha: ci.sha,
        why: "event",
        deliveryId: context.id,
        replayKey: payloadReplayKey(context.name, context.payload),
      });
      log.child({ pr: pullNumber }).info({ ...result, sha: ci.sha }, "CI finished on a Longview fix commit: its follow-up looks");
    }
  };
}

/** What the CI loop reads of either event: the commit, its pull requests and message, and whose suite it was (a workflow run is always GitHub Actions'). */
function ciEvent(context: Context<"check_suite.completed" | "workflow_run.completed">) {
  if (context.name === "workflow_run") {
    const { workflow_run: run, ...event } = parseWebhookPayload(WorkflowRunEventSchema, context);
    return { event, sha: run.head_sha, prs: run.pull_requests, message: run.head_commit?.message, app: undefined };
  }
  const { check_suite: suite, ...event } = parseWebhookPayload(CheckSuiteEventSchema, context);
  return { event, sha: suite.head_sha, prs: suite.pull_requests, message: suite.head_commit?.message, app: suite.app?.slug };
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

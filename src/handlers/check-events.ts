import type { Context } from "probot";
import type { Logger } from "pino";
import { findPullRequestsForSha } from "../github/find-pull-requests.js";
import { CheckRunEventSchema, CheckSuiteEventSchema } from "../github/schemas.js";
import { reviewPullRequest, type ReviewDeps } from "../review/review-pull-request.js";

/** "Re-run" on Longview's check run → review that head again, completing the same run. */
export function handleCheckRunRerequested(deps: ReviewDeps) {
  return async (context: Context<"check_run.rerequested">): Promise<void> => {
    const event = CheckRunEventSchema.parse(context.payload);
    const repo = { owner: event.repository.owner.login, repo: event.repository.name };
    const log = childLog(context.log, context.id, event.repository.full_name);
    const numbers = await findPullRequestsForSha(context.octokit, repo, event.check_run.head_sha, event.check_run.pull_requests);
    if (numbers.length === 0) {
      log.info({ sha: event.check_run.head_sha }, "re-run requested for a commit without an open pull request");
      return;
    }
    // A new run per pull request; GitHub's re-run already reset the old one, which the first review completes.
    for (const [i, pullNumber] of numbers.entries()) {
      await reviewPullRequest(
        context.octokit,
        { ref: { ...repo, pullNumber }, ...(i === 0 ? { checkRunId: event.check_run.id } : {}) },
        deps,
        log.child({ pr: pullNumber }),
      );
    }
  };
}

/** New check suite (a push) or "Re-run all checks" → review the pull requests on that head. */
export function handleCheckSuite(deps: ReviewDeps) {
  return async (context: Context<"check_suite.requested" | "check_suite.rerequested">): Promise<void> => {
    const event = CheckSuiteEventSchema.parse(context.payload);
    const repo = { owner: event.repository.owner.login, repo: event.repository.name };
    const log = childLog(context.log, context.id, event.repository.full_name);
    const numbers = await findPullRequestsForSha(context.octokit, repo, event.check_suite.head_sha, event.check_suite.pull_requests);
    for (const pullNumber of numbers) {
      await reviewPullRequest(
        context.octokit,
        // `requested` arrives with every push, alongside `pull_request.synchronize`: review once.
        { ref: { ...repo, pullNumber }, onlyIfUnreviewed: event.action === "requested" },
        deps,
        log.child({ pr: pullNumber }),
      );
    }
  };
}

function childLog(log: Logger, deliveryId: string, repo: string): Logger {
  return log.child({ deliveryId, repo });
}

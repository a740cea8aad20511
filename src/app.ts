import type { ApplicationFunction } from "probot";
import { handleFixAllAction, handleIssueCommentCommand, handleReviewCommentCommand } from "./commands/handlers.js";
import { handleCheckRunRerequested, handleCheckSuite, handleCiCompleted } from "./handlers/check-events.js";
import { REVIEW_ACTIONS, handlePullRequest } from "./handlers/pull-request.js";
import type { AppDeps } from "./handlers/app-deps.js";

export type { AppDeps } from "./handlers/app-deps.js";

/** Longview as a Probot app: a table of event → handler. The work lives in the handlers. */
export function createApp(deps: AppDeps): ApplicationFunction {
  return (app) => {
    app.on(
      REVIEW_ACTIONS.map((action) => `pull_request.${action}` as const),
      handlePullRequest(deps.queue),
    );
    app.on("check_run.rerequested", handleCheckRunRerequested(deps));
    app.on(["check_suite.requested", "check_suite.rerequested"], handleCheckSuite(deps));
    app.on(["check_suite.completed", "workflow_run.completed"], handleCiCompleted(deps));
    app.on("issue_comment.created", handleIssueCommentCommand(deps));
    app.on("pull_request_review_comment.created", handleReviewCommentCommand(deps));
    app.on("check_run.requested_action", handleFixAllAction(deps));
  };
}

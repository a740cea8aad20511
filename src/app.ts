import type { ApplicationFunction } from "probot";
import { handleCheckRunRerequested, handleCheckSuite } from "./handlers/check-events.js";
import { REVIEW_ACTIONS, handlePullRequest } from "./handlers/pull-request.js";
import type { ReviewDeps } from "./review/review-pull-request.js";

/** Longview as a Probot app: a table of event → handler. The work lives in the handlers. */
export function createApp(deps: ReviewDeps): ApplicationFunction {
  return (app) => {
    app.on(
      REVIEW_ACTIONS.map((action) => `pull_request.${action}` as const),
      handlePullRequest(deps),
    );
    app.on("check_run.rerequested", handleCheckRunRerequested(deps));
    app.on(["check_suite.requested", "check_suite.rerequested"], handleCheckSuite(deps));
  };
}

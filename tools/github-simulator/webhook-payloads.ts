import { describeProblem } from "./openapi-validator.js";
import { pullFacts } from "./pull-facts.js";
import { renderPullRequest } from "./render/pull-request.js";
import { renderRepository } from "./render/repository.js";
import { renderUser } from "./render/user.js";
import { nodeId } from "./render/urls.js";
import type { PullRecord, UserRecord } from "./state.js";
import type { World } from "./world.js";

export type PullRequestAction = "opened" | "synchronize" | "reopened" | "ready_for_review" | "edited" | "closed";

/**
 * The `pull_request` webhook payload GitHub would deliver, checked against the
 * `x-webhooks` schemas of GitHub's OpenAPI description (mismatches are
 * recorded as violations: they are simulator bugs).
 */
export async function pullRequestPayload(
  world: World,
  pull: PullRecord,
  action: PullRequestAction,
  sender: UserRecord,
  push?: { readonly before: string; readonly after: string },
): Promise<Record<string, unknown>> {
  const payload: Record<string, unknown> = {
    action,
    number: pull.number,
    ...(push ? { before: push.before, after: push.after } : {}),
    pull_request: renderPullRequest(world.urls, pull, await pullFacts(world, pull)),
    repository: renderRepository(world.urls, pull.repo),
    sender: renderUser(world.urls, sender),
    ...(pull.repo.installationId !== null ? { installation: { id: pull.repo.installationId, node_id: nodeId("Installation", pull.repo.installationId) } } : {}),
  };
  checkWebhook(world, `pull-request-${action.replace(/_/g, "-")}`, payload);
  return payload;
}

function checkWebhook(world: World, name: string, payload: unknown): void {
  const problems = world.validator?.validateWebhook(name, payload);
  if (problems && problems.length > 0) {
    world.violations.push({ kind: "webhook", method: "POST", route: name, problems: problems.map(describeProblem) });
  }
}

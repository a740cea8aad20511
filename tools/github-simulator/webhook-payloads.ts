import { headFacts } from "./head-facts.js";
import { describeProblem } from "./openapi-validator.js";
import { pullFacts } from "./pull-facts.js";
import { renderJob, renderWorkflow, renderWorkflowRun } from "./render/actions.js";
import { renderCheckRun } from "./render/check-run.js";
import { renderCheckSuite } from "./render/check-suite.js";
import { renderPullRequest } from "./render/pull-request.js";
import { renderRepository } from "./render/repository.js";
import { renderUser } from "./render/user.js";
import { nodeId } from "./render/urls.js";
import type { CheckRunRecord, CheckSuiteRecord, PullRecord, RepoRecord, UserRecord, WorkflowJobRecord, WorkflowRunRecord } from "./state.js";
import type { World } from "./world.js";

/**
 * Webhook payloads GitHub would deliver, each checked against the `x-webhooks`
 * schemas of GitHub's OpenAPI description (mismatches are recorded as
 * violations: they are simulator bugs).
 */

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

/** `installation`, `repository` and `sender`, as every webhook about a repository carries them. */
function envelope(world: World, repo: RepoRecord, sender: UserRecord): Record<string, unknown> {
  return {
    repository: renderRepository(world.urls, repo),
    sender: renderUser(world.urls, sender),
    ...(repo.installationId !== null ? { installation: { id: repo.installationId, node_id: nodeId("Installation", repo.installationId) } } : {}),
  };
}

/** `check_run` (created/completed) about any app's run: GitHub sends these to every app with checks permission on the repository. */
export async function checkRunPayload(
  world: World,
  run: CheckRunRecord,
  action: "created" | "completed",
  sender: UserRecord,
): Promise<Record<string, unknown>> {
  const facts = await headFacts(world, run.repo, run.headSha);
  const suite = world.state.checkSuite(run.repo, run.checkSuiteId);
  const checkRun = renderCheckRun(world.urls, run, facts.pulls, facts.baseShas);
  const payload: Record<string, unknown> = {
    action,
    check_run: { ...checkRun, check_suite: suite ? renderCheckSuite(world.urls, suite, world.state.suiteRuns(suite), facts) : { id: run.checkSuiteId } },
    ...envelope(world, run.repo, sender),
  };
  checkWebhook(world, `check-run-${action}`, payload);
  return payload;
}

/** `check_suite.completed`: all runs of the suite have completed. */
export async function checkSuitePayload(world: World, suite: CheckSuiteRecord, sender: UserRecord): Promise<Record<string, unknown>> {
  const facts = await headFacts(world, suite.repo, suite.headSha);
  const { repository: _repository, ...checkSuite } = renderCheckSuite(world.urls, suite, world.state.suiteRuns(suite), facts);
  const payload: Record<string, unknown> = { action: "completed", check_suite: checkSuite, ...envelope(world, suite.repo, sender) };
  checkWebhook(world, "check-suite-completed", payload);
  return payload;
}

export type WorkflowRunAction = "requested" | "in_progress" | "completed";

export async function workflowRunPayload(world: World, run: WorkflowRunRecord, action: WorkflowRunAction): Promise<Record<string, unknown>> {
  const facts = await headFacts(world, run.repo, run.headSha);
  const payload: Record<string, unknown> = {
    action,
    workflow: renderWorkflow(world.urls, run.workflow),
    workflow_run: renderWorkflowRun(world.urls, run, facts),
    ...envelope(world, run.repo, run.actor),
  };
  checkWebhook(world, `workflow-run-${action.replace(/_/g, "-")}`, payload);
  return payload;
}

export type WorkflowJobAction = "queued" | "in_progress" | "completed";

export function workflowJobPayload(world: World, job: WorkflowJobRecord, run: WorkflowRunRecord, action: WorkflowJobAction): Record<string, unknown> {
  const payload: Record<string, unknown> = { action, workflow_job: renderJob(world.urls, job, run), ...envelope(world, run.repo, run.actor) };
  checkWebhook(world, `workflow-job-${action.replace(/_/g, "-")}`, payload);
  return payload;
}

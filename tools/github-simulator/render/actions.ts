import type { HeadFacts } from "../head-facts.js";
import type { WorkflowJobRecord, WorkflowRecord, WorkflowRunRecord } from "../state.js";
import { renderPullsMinimal } from "./check-run.js";
import { renderSimpleCommit } from "./check-suite.js";
import { renderRepository } from "./repository.js";
import { renderUser } from "./user.js";
import { encodePath, isoTime, nodeId, type Urls } from "./urls.js";

/** GitHub Actions' JSON: `workflow`, `workflow-run` and `job`. */

export function renderWorkflow(urls: Urls, workflow: WorkflowRecord): Record<string, unknown> {
  const file = workflow.path.split("/").pop() ?? workflow.path;
  return {
    id: workflow.id,
    node_id: nodeId("Workflow", workflow.id),
    name: workflow.name,
    path: workflow.path,
    state: "active",
    created_at: isoTime(workflow.createdAt),
    updated_at: isoTime(workflow.createdAt),
    url: urls.api(`/repos/${workflow.repo.fullName}/actions/workflows/${workflow.id}`),
    html_url: urls.html(`/${workflow.repo.fullName}/blob/${workflow.repo.defaultBranch}/${encodePath(workflow.path)}`),
    badge_url: urls.html(`/${workflow.repo.fullName}/workflows/${encodeURIComponent(file)}/badge.svg`),
  };
}

export function renderWorkflowRun(urls: Urls, run: WorkflowRunRecord, facts: HeadFacts): Record<string, unknown> {
  const repoPath = `/repos/${run.repo.fullName}`;
  const self = urls.api(`${repoPath}/actions/runs/${run.id}`);
  const repository = renderRepository(urls, run.repo);
  return {
    id: run.id,
    name: run.workflow.name,
    node_id: nodeId("WorkflowRun", run.id),
    check_suite_id: run.checkSuiteId,
    check_suite_node_id: nodeId("CheckSuite", run.checkSuiteId),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.workflow.path,
    run_number: run.runNumber,
    run_attempt: 1,
    referenced_workflows: [],
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflow.id,
    url: self,
    html_url: urls.html(`/${run.repo.fullName}/actions/runs/${run.id}`),
    pull_requests: renderPullsMinimal(urls, facts.pulls, facts.baseShas),
    created_at: isoTime(run.createdAt),
    updated_at: isoTime(run.updatedAt),
    actor: renderUser(urls, run.actor),
    triggering_actor: renderUser(urls, run.actor),
    run_started_at: isoTime(run.runStartedAt),
    jobs_url: `${self}/jobs`,
    logs_url: `${self}/logs`,
    check_suite_url: urls.api(`${repoPath}/check-suites/${run.checkSuiteId}`),
    artifacts_url: `${self}/artifacts`,
    cancel_url: `${self}/cancel`,
    rerun_url: `${self}/rerun`,
    previous_attempt_url: null,
    workflow_url: urls.api(`${repoPath}/actions/workflows/${run.workflow.id}`),
    head_commit: facts.commit ? renderSimpleCommit(facts.commit) : null,
    repository,
    head_repository: repository,
    display_title: run.displayTitle,
  };
}

export function renderJob(urls: Urls, job: WorkflowJobRecord, run: WorkflowRunRecord): Record<string, unknown> {
  const repoPath = `/repos/${job.repo.fullName}`;
  const assigned = job.status !== "queued";
  return {
    id: job.id,
    run_id: run.id,
    run_url: urls.api(`${repoPath}/actions/runs/${run.id}`),
    run_attempt: 1,
    node_id: nodeId("CheckRun", job.id),
    head_sha: run.headSha,
    url: urls.api(`${repoPath}/actions/jobs/${job.id}`),
    html_url: urls.html(`/${job.repo.fullName}/actions/runs/${run.id}/job/${job.id}`),
    status: job.status,
    conclusion: job.conclusion,
    created_at: isoTime(job.createdAt),
    started_at: isoTime(job.startedAt),
    completed_at: job.completedAt ? isoTime(job.completedAt) : null,
    name: job.name,
    steps: renderSteps(job),
    check_run_url: urls.api(`${repoPath}/check-runs/${job.id}`),
    labels: ["ubuntu-latest"],
    // A queued job has no runner yet.
    runner_id: assigned ? 1 : null,
    runner_name: assigned ? "GitHub Actions 1" : null,
    runner_group_id: assigned ? 0 : null,
    runner_group_name: assigned ? "GitHub Actions" : null,
    workflow_name: run.workflow.name,
    head_branch: run.headBranch,
  };
}

/** Three steps, as a one-command job shows them: set up, the command (which carries the job's outcome), complete. */
function renderSteps(job: WorkflowJobRecord): Record<string, unknown>[] {
  if (job.status === "queued") return [];
  const started = isoTime(job.startedAt);
  const completed = job.completedAt ? isoTime(job.completedAt) : null;
  const done = { status: "completed", conclusion: "success", started_at: started, completed_at: started };
  const main =
    job.status === "completed"
      ? { status: "completed", conclusion: stepConclusion(job.conclusion), started_at: started, completed_at: completed }
      : { status: "in_progress", conclusion: null, started_at: started, completed_at: null };
  const last =
    job.status === "completed"
      ? { status: "completed", conclusion: "success", started_at: completed, completed_at: completed }
      : { status: "queued", conclusion: null, started_at: null, completed_at: null };
  return [
    { name: "Set up job", number: 1, ...done },
    { name: `Run ${job.name}`, number: 2, ...main },
    { name: "Complete job", number: 3, ...last },
  ];
}

/** Steps know fewer conclusions than jobs: a timed-out job's step was cancelled, a neutral one succeeded. */
function stepConclusion(conclusion: string | null): string | null {
  switch (conclusion) {
    case "timed_out":
      return "cancelled";
    case "neutral":
      return "success";
    case "action_required":
      return "failure";
    default:
      return conclusion;
  }
}

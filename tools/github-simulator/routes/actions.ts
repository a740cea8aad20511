import { notFound } from "../errors.js";
import { headFacts } from "../head-facts.js";
import { paginate } from "../paginate.js";
import { renderJob, renderWorkflowRun } from "../render/actions.js";
import { readableRepo } from "../repo-access.js";
import type { Route } from "../router.js";
import type { WorkflowRunRecord } from "../state.js";
import type { World } from "../world.js";

/**
 * GitHub Actions, read side: workflow runs, their jobs and job logs. Runs and
 * jobs are made by the scripted CI (`sim.ci`), never by a client.
 */
export function actionsRoutes(world: World): Route[] {
  const runJson = async (run: WorkflowRunRecord, excludePulls: boolean) => {
    const facts = await headFacts(world, run.repo, run.headSha);
    return renderWorkflowRun(world.urls, run, excludePulls ? { ...facts, pulls: [] } : facts);
  };
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/actions/runs",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        let runs = world.state.workflowRuns.filter((r) => r.repo === repo);
        const headSha = query.get("head_sha");
        const branch = query.get("branch");
        const event = query.get("event");
        const status = query.get("status");
        const suiteId = query.get("check_suite_id");
        const actor = query.get("actor");
        if (headSha !== null) runs = runs.filter((r) => r.headSha === headSha);
        if (branch !== null) runs = runs.filter((r) => r.headBranch === branch);
        if (event !== null) runs = runs.filter((r) => r.event === event);
        // `status` takes a status or a conclusion ("failure"), as on GitHub.
        if (status !== null) runs = runs.filter((r) => r.status === status || r.conclusion === status);
        if (suiteId !== null) runs = runs.filter((r) => r.checkSuiteId === Number(suiteId));
        if (actor !== null) runs = runs.filter((r) => r.actor.login.toLowerCase() === actor.toLowerCase());
        runs = runs.sort((a, b) => b.id - a.id);
        const page = paginate(runs, query, world.urls.api(`/repos/${repo.fullName}/actions/runs`));
        const exclude = query.get("exclude_pull_requests") === "true";
        return {
          status: 200,
          headers: page.headers,
          json: { total_count: runs.length, workflow_runs: await Promise.all(page.items.map((r) => runJson(r, exclude))) },
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/actions/runs/{run_id}",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const run = world.state.workflowRun(repo, Number(params["run_id"]));
        if (!run) throw notFound();
        return { status: 200, json: await runJson(run, query.get("exclude_pull_requests") === "true") };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const run = world.state.workflowRun(repo, Number(params["run_id"]));
        if (!run) throw notFound();
        // One attempt per run here, so `filter=latest` and `filter=all` list the same jobs.
        const jobs = world.state.workflowJobs.filter((j) => j.repo === repo && j.runId === run.id);
        const page = paginate(jobs, query, world.urls.api(`/repos/${repo.fullName}/actions/runs/${run.id}/jobs`));
        return { status: 200, headers: page.headers, json: { total_count: jobs.length, jobs: page.items.map((j) => renderJob(world.urls, j, run)) } };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/actions/jobs/{job_id}",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const job = world.state.workflowJob(repo, Number(params["job_id"]));
        const run = job ? world.state.workflowRun(repo, job.runId) : null;
        if (!job || !run) throw notFound();
        return { status: 200, json: renderJob(world.urls, job, run) };
      },
    },
    {
      // GitHub answers with a redirect to a short-lived download URL on its log storage.
      method: "GET",
      template: "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const job = world.state.workflowJob(repo, Number(params["job_id"]));
        // Logs exist once the job has finished; before that there is nothing to download.
        if (!job || job.log === null) throw notFound();
        return { status: 302, headers: { location: world.urls.html(`/_actions-logs/${repo.fullName}/jobs/${job.id}`) } };
      },
    },
    {
      // Not an API route: where the redirect above leads. Same origin, so the client keeps its token.
      method: "GET",
      template: "/_actions-logs/{owner}/{repo}/jobs/{job_id}",
      auth: "installation",
      inOpenApi: false,
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const job = world.state.workflowJob(repo, Number(params["job_id"]));
        if (!job || job.log === null) throw notFound();
        return { status: 200, raw: job.log, contentType: "text/plain; charset=utf-8" };
      },
    },
  ];
}

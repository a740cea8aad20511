import { z } from "zod";
import { GitHubApiError, notFound, unprocessableMessage, validationFailed } from "../errors.js";
import { paginate } from "../paginate.js";
import { headFacts } from "../head-facts.js";
import { renderAnnotation, renderCheckRun } from "../render/check-run.js";
import { latestPerName, renderCheckSuite } from "../render/check-suite.js";
import { readableRepo, writableRepo } from "../repo-access.js";
import type { Route } from "../router.js";
import type { CheckRunRecord, CheckStatus, CheckSuiteRecord } from "../state.js";
import type { World } from "../world.js";
import { parseBody } from "./body.js";

/**
 * Check runs with GitHub's limits: at most 50 annotations and 3 actions per
 * request, summary and text at most 65,535 bytes, a conclusion whenever the
 * run is completed. Annotations accumulate across updates.
 */

const MAX_ANNOTATIONS = 50;
const MAX_ACTIONS = 3;
const MAX_OUTPUT_BYTES = 65_535;

const Annotation = z.object({
  path: z.string(),
  start_line: z.number().int(),
  end_line: z.number().int(),
  start_column: z.number().int().optional(),
  end_column: z.number().int().optional(),
  annotation_level: z.enum(["notice", "warning", "failure"]),
  message: z.string(),
  title: z.string().optional(),
  raw_details: z.string().optional(),
});

const Output = z.object({
  title: z.string().optional(),
  summary: z.string().optional(),
  text: z.string().optional(),
  annotations: z.array(Annotation).optional(),
});

const Action = z.object({ label: z.string(), description: z.string(), identifier: z.string() });

const Conclusion = z.enum(["action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"]);

const CheckFields = {
  name: z.string().optional(),
  details_url: z.string().optional(),
  external_id: z.string().optional(),
  status: z.enum(["queued", "in_progress", "completed", "waiting", "requested", "pending"]).optional(),
  started_at: z.string().optional(),
  conclusion: Conclusion.optional(),
  completed_at: z.string().optional(),
  output: Output.optional(),
  actions: z.array(Action).optional(),
};

const CreateCheck = z.object({ ...CheckFields, name: z.string(), head_sha: z.string() });
const UpdateCheck = z.object(CheckFields);
type CheckInput = z.infer<typeof UpdateCheck>;

export function checkRoutes(world: World): Route[] {
  return [
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/check-runs",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const input = parseBody(CreateCheck, body);
        checkLimits(input, null);
        if ((await repo.git.objectType(input.head_sha)) !== "commit") throw unprocessableMessage(`No commit found for SHA: ${input.head_sha}`);
        const now = world.state.now();
        const headBranch = world.state.pulls.find((p) => p.headRepo === repo && p.headSha === input.head_sha)?.headRef ?? null;
        const suite = world.state.suiteFor(repo, world.app, input.head_sha, headBranch);
        suite.updatedAt = now;
        const run: CheckRunRecord = {
          id: world.state.nextId("check"),
          repo,
          headSha: input.head_sha,
          name: input.name,
          status: "queued",
          conclusion: null,
          startedAt: input.started_at ? new Date(input.started_at) : now,
          completedAt: null,
          detailsUrl: null,
          externalId: null,
          output: { title: null, summary: null, text: null },
          annotations: [],
          actions: [],
          checkSuiteId: suite.id,
          app: world.app,
        };
        apply(world, run, input);
        world.state.checkRuns.push(run);
        return { status: 201, json: await render(world, run) };
      },
    },
    {
      method: "PATCH",
      template: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const run = world.state.checkRun(repo, Number(params["check_run_id"]));
        if (!run) throw notFound();
        // Only the app that created a run may change it (CI's runs are read-only to Longview).
        if (run.app.id !== world.app.id) {
          throw new GitHubApiError(403, { message: `Invalid app_id \`${world.app.id}\` - check run can only be modified by the GitHub App that created it.` });
        }
        const input = parseBody(UpdateCheck, body);
        checkLimits(input, run);
        apply(world, run, input);
        return { status: 200, json: await render(world, run) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/check-runs/{check_run_id}",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const run = world.state.checkRun(repo, Number(params["check_run_id"]));
        if (!run) throw notFound();
        return { status: 200, json: await render(world, run) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/commits/{ref}/check-runs",
      auth: "installation",
      greedy: ["ref"],
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const ref = params["ref"] ?? "";
        const sha = await repo.git.resolveCommit(ref);
        if (!sha) throw unprocessableMessage(`No commit found for SHA: ${ref}`);
        const runs = filterRuns(
          world.state.checkRuns.filter((r) => r.repo === repo && r.headSha === sha),
          query,
        );
        const page = paginate(runs, query, world.urls.api(`/repos/${repo.fullName}/commits/${encodeURIComponent(ref)}/check-runs`));
        return {
          status: 200,
          headers: page.headers,
          json: { total_count: runs.length, check_runs: await Promise.all(page.items.map((r) => render(world, r))) },
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const run = world.state.checkRun(repo, Number(params["check_run_id"]));
        if (!run) throw notFound();
        const page = paginate(run.annotations, query, world.urls.api(`/repos/${repo.fullName}/check-runs/${run.id}/annotations`));
        return { status: 200, headers: page.headers, json: page.items.map((a) => renderAnnotation(world.urls, repo, run.headSha, a)) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/commits/{ref}/check-suites",
      auth: "installation",
      greedy: ["ref"],
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const ref = params["ref"] ?? "";
        const sha = await repo.git.resolveCommit(ref);
        if (!sha) throw unprocessableMessage(`No commit found for SHA: ${ref}`);
        let suites = world.state.checkSuites.filter((s) => s.repo === repo && s.headSha === sha);
        const appId = query.get("app_id");
        const name = query.get("check_name");
        if (appId !== null) suites = suites.filter((s) => s.app.id === Number(appId));
        if (name !== null) suites = suites.filter((s) => world.state.suiteRuns(s).some((r) => r.name === name));
        const page = paginate(suites, query, world.urls.api(`/repos/${repo.fullName}/commits/${encodeURIComponent(ref)}/check-suites`));
        return {
          status: 200,
          headers: page.headers,
          json: { total_count: suites.length, check_suites: await Promise.all(page.items.map((s) => renderSuite(world, s))) },
        };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/check-suites/{check_suite_id}",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const suite = world.state.checkSuite(repo, Number(params["check_suite_id"]));
        if (!suite) throw notFound();
        return { status: 200, json: await renderSuite(world, suite) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/check-suites/{check_suite_id}/check-runs",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const suite = world.state.checkSuite(repo, Number(params["check_suite_id"]));
        if (!suite) throw notFound();
        const runs = filterRuns(world.state.suiteRuns(suite), query);
        const page = paginate(runs, query, world.urls.api(`/repos/${repo.fullName}/check-suites/${suite.id}/check-runs`));
        return {
          status: 200,
          headers: page.headers,
          json: { total_count: runs.length, check_runs: await Promise.all(page.items.map((r) => render(world, r))) },
        };
      },
    },
  ];
}

/** GitHub's request limits, checked even when OpenAPI validation (which knows some of them) is off. */
function checkLimits(input: CheckInput, existing: CheckRunRecord | null): void {
  const annotations = input.output?.annotations?.length ?? 0;
  if (annotations > MAX_ANNOTATIONS) throw tooMany(MAX_ANNOTATIONS, annotations);
  const actions = input.actions?.length ?? 0;
  if (actions > MAX_ACTIONS) throw tooMany(MAX_ACTIONS, actions);
  for (const field of ["summary", "text"] as const) {
    const value = input.output?.[field];
    if (value !== undefined && Buffer.byteLength(value, "utf8") > MAX_OUTPUT_BYTES) {
      throw validationFailed([{ resource: "CheckRun", code: "custom", field, message: `${field} exceeds a maximum bytesize of ${MAX_OUTPUT_BYTES}` }]);
    }
  }
  const completing = input.status === "completed" || input.completed_at !== undefined;
  if (completing && input.conclusion === undefined && existing?.conclusion == null) {
    throw new GitHubApiError(422, { message: `Invalid request.\n\n"conclusion" wasn't supplied.` });
  }
  if (input.conclusion === "stale") throw new GitHubApiError(422, { message: "Invalid request.\n\nOnly GitHub can set a conclusion of stale." });
}

function tooMany(limit: number, supplied: number): GitHubApiError {
  return new GitHubApiError(422, { message: `Invalid request.\n\nNo more than ${limit} items are allowed; ${supplied} were supplied.` });
}

function apply(world: World, run: CheckRunRecord, input: CheckInput): void {
  if (input.name !== undefined) run.name = input.name;
  if (input.details_url !== undefined) run.detailsUrl = input.details_url;
  if (input.external_id !== undefined) run.externalId = input.external_id;
  if (input.started_at !== undefined) run.startedAt = new Date(input.started_at);
  if (input.status !== undefined) run.status = input.status as CheckStatus;
  if (input.conclusion !== undefined) {
    // Giving a conclusion completes the run, whatever status says.
    run.conclusion = input.conclusion;
    run.status = "completed";
  }
  if (run.status === "completed") run.completedAt = input.completed_at ? new Date(input.completed_at) : (run.completedAt ?? world.state.now());
  if (input.output) {
    run.output = {
      title: input.output.title ?? run.output.title,
      summary: input.output.summary ?? run.output.summary,
      text: input.output.text ?? run.output.text,
    };
    run.annotations.push(...(input.output.annotations ?? []));
  }
  if (input.actions !== undefined) run.actions = input.actions;
}

/** The `check_name`, `status`, `app_id` and `filter` (default `latest`) query parameters of the check-run listings. */
function filterRuns(all: readonly CheckRunRecord[], query: URLSearchParams): CheckRunRecord[] {
  let runs = [...all];
  const name = query.get("check_name");
  const status = query.get("status");
  const appId = query.get("app_id");
  if (name !== null) runs = runs.filter((r) => r.name === name);
  if (status !== null) runs = runs.filter((r) => r.status === status);
  if (appId !== null) runs = runs.filter((r) => r.app.id === Number(appId));
  return (query.get("filter") ?? "latest") === "latest" ? latestPerName(runs) : runs.sort((a, b) => b.id - a.id);
}

export async function render(world: World, run: CheckRunRecord): Promise<Record<string, unknown>> {
  const facts = await headFacts(world, run.repo, run.headSha);
  return renderCheckRun(world.urls, run, facts.pulls, facts.baseShas);
}

export async function renderSuite(world: World, suite: CheckSuiteRecord): Promise<Record<string, unknown>> {
  return renderCheckSuite(world.urls, suite, world.state.suiteRuns(suite), await headFacts(world, suite.repo, suite.headSha));
}

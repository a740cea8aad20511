import { randomBytes, randomUUID } from "node:crypto";
import type { CiCommit, CiCompletion, CiDefinition, CiHandle, CiResult, CiRunFilter, CiRunView, SimCi } from "./ci-types.js";
import { repoNamed } from "./repo-lookup.js";
import type {
  CheckAnnotation,
  CheckRunRecord,
  CheckSuiteRecord,
  IntegrationRecord,
  PullRecord,
  RepoRecord,
  UserRecord,
  WorkflowJobRecord,
  WorkflowRecord,
  WorkflowRunRecord,
} from "./state.js";
import type { RepoName } from "./types.js";
import { checkRunPayload, checkSuitePayload, workflowJobPayload, workflowRunPayload } from "./webhook-payloads.js";
import type { World } from "./world.js";

/**
 * A repository's own CI, scripted by tests: each new commit gets, from the CI
 * app, a check suite and a check run and (for GitHub Actions) a workflow run
 * with one job, `queued`, then `in_progress`, then `completed` with the
 * scripted result, each step with the webhooks GitHub sends for it.
 */

/** GitHub Actions' app on github.com (id 15368). */
const ACTIONS_APP_ID = 15368;

interface Definition {
  readonly repo: RepoRecord;
  readonly name: string;
  readonly workflow: string;
  readonly workflowPath: string;
  readonly command: string;
  readonly app: IntegrationRecord;
  readonly actions: boolean;
  readonly branches: readonly string[] | null;
  readonly pullRequests: boolean;
  readonly queuedMs: number;
  readonly completion: CiCompletion;
  readonly result: (commit: CiCommit) => CiResult | Promise<CiResult>;
}

interface Run {
  readonly definition: Definition;
  readonly commit: CiCommit;
  readonly sender: UserRecord;
  readonly suite: CheckSuiteRecord;
  readonly checkRun: CheckRunRecord;
  readonly workflowRun: WorkflowRunRecord | null;
  readonly job: WorkflowJobRecord | null;
  readonly completion: CiCompletion;
  readonly fixedResult: CiResult | null;
  phase: "queued" | "in_progress" | "completing" | "completed";
}

interface Trigger {
  readonly repo: RepoRecord;
  readonly sha: string;
  readonly branch: string | null;
  readonly before: string | null;
  readonly event: "push" | "pull_request";
  readonly sender: UserRecord;
}

export class ScriptedCi implements SimCi {
  readonly errors: unknown[] = [];
  readonly #world: World;
  readonly #definitions: Definition[] = [];
  readonly #runs: Run[] = [];
  readonly #apps = new Map<string, IntegrationRecord>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #steps = new Set<Promise<void>>();
  #closed = false;

  constructor(world: World) {
    this.#world = world;
    world.events.onBranchMoved(async (move) => {
      const trigger = { repo: move.repo, sha: move.after, branch: move.branch, before: move.before, event: "push" as const, sender: move.sender };
      for (const definition of this.#definitionsOf(move.repo)) {
        if (definition.branches && !definition.branches.includes(move.branch)) continue;
        if (this.#hasRun(definition, move.after)) continue;
        await this.#start(definition, trigger, definition.completion, null);
      }
    });
    world.events.onPullOpened(async (pull: PullRecord) => {
      // GitHub runs a fork's pull request in the base repository; here the head must be in the base repository's git.
      const trigger = { repo: pull.repo, sha: pull.headSha, branch: pull.headRef, before: null, event: "pull_request" as const, sender: pull.user };
      for (const definition of this.#definitionsOf(pull.repo)) {
        if (!definition.pullRequests || this.#hasRun(definition, pull.headSha)) continue;
        await this.#start(definition, trigger, definition.completion, null);
      }
    });
  }

  define(repoName: RepoName, input: CiDefinition = {}): CiHandle {
    const definition = this.#resolve(repoNamed(this.#world.state, repoName), input);
    this.#definitions.push(definition);
    return {
      name: definition.name,
      remove: () => {
        const index = this.#definitions.indexOf(definition);
        if (index >= 0) this.#definitions.splice(index, 1);
      },
    };
  }

  onCommit(repoName: RepoName, result: NonNullable<CiDefinition["result"]>, options: Omit<CiDefinition, "result"> = {}): CiHandle {
    return this.define(repoName, { ...options, result });
  }

  async run(repoName: RepoName, ref: string, options: { result?: CiResult; completion?: CiCompletion } = {}): Promise<CiRunView[]> {
    const repo = repoNamed(this.#world.state, repoName);
    const trigger = await this.#triggerFor(repo, ref);
    const started: Run[] = [];
    for (const definition of this.#definitionsOf(repo)) {
      started.push(await this.#start(definition, trigger, options.completion ?? definition.completion, options.result ?? null));
    }
    return started.map((run) => this.#view(run));
  }

  async report(repoName: RepoName, ref: string, result: CiResult, options: Omit<CiDefinition, "result" | "completion" | "queuedMs"> = {}): Promise<CiRunView> {
    const repo = repoNamed(this.#world.state, repoName);
    const definition = this.#resolve(repo, { ...options, completion: "manual" });
    const run = await this.#create(definition, await this.#triggerFor(repo, ref), "manual", result);
    this.#markInProgress(run);
    await this.#finish(run, result, { webhooks: false });
    return this.#view(run);
  }

  async complete(repoName: RepoName, filter: CiRunFilter = {}, result?: CiResult): Promise<CiRunView[]> {
    const repo = repoNamed(this.#world.state, repoName);
    const chosen = this.#runs.filter(
      (run) =>
        run.suite.repo === repo &&
        (run.phase === "queued" || run.phase === "in_progress") &&
        (filter.sha === undefined || run.commit.sha === filter.sha) &&
        (filter.name === undefined || run.definition.name === filter.name) &&
        (filter.checkRunId === undefined ? run.completion !== "never" : run.checkRun.id === filter.checkRunId),
    );
    for (const run of chosen) {
      if (run.phase === "queued") await this.#toInProgress(run);
      await this.#finish(run, result ?? null, { webhooks: true });
    }
    return chosen.map((run) => this.#view(run));
  }

  runs(repoName: RepoName, sha?: string): CiRunView[] {
    const repo = repoNamed(this.#world.state, repoName);
    return this.#runs.filter((run) => run.suite.repo === repo && (sha === undefined || run.commit.sha === sha)).map((run) => this.#view(run));
  }

  async settle(): Promise<void> {
    while (this.#timers.size > 0 || this.#steps.size > 0) {
      if (this.#steps.size > 0) await Promise.all([...this.#steps]);
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await this.#world.events.settle();
  }

  /** Stops every scheduled step (the simulator is closing). */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #definitionsOf(repo: RepoRecord): Definition[] {
    return this.#definitions.filter((d) => d.repo === repo);
  }

  #hasRun(definition: Definition, sha: string): boolean {
    return this.#runs.some((run) => run.definition === definition && run.commit.sha === sha);
  }

  #resolve(repo: RepoRecord, input: CiDefinition): Definition {
    const actions = input.app === undefined || input.app === "github-actions";
    return {
      repo,
      name: input.name ?? "test",
      workflow: input.workflow ?? "CI",
      workflowPath: input.workflowPath ?? ".github/workflows/ci.yml",
      command: input.command ?? "npm test",
      app: this.#app(input.app ?? "github-actions"),
      actions,
      branches: input.branches ?? null,
      pullRequests: input.pullRequests ?? true,
      queuedMs: input.queuedMs ?? 0,
      completion: input.completion ?? 0,
      result: input.result ?? (() => ({ conclusion: "success" })),
    };
  }

  #app(spec: NonNullable<CiDefinition["app"]>): IntegrationRecord {
    const slug = spec === "github-actions" ? "github-actions" : spec.slug;
    const known = this.#apps.get(slug);
    if (known) return known;
    const state = this.#world.state;
    const actions = spec === "github-actions";
    const app: IntegrationRecord = {
      id: actions ? ACTIONS_APP_ID : state.nextId("app"),
      slug,
      name: actions ? "GitHub Actions" : (spec.name ?? slug),
      clientId: `Iv1.${randomBytes(8).toString("hex")}`,
      owner: state.user(actions ? "github" : `${slug}-org`, "Organization"),
      bot: state.user(`${slug}[bot]`, "Bot"),
      createdAt: state.now(),
      permissions: { actions: "write", checks: "write", contents: "read", metadata: "read", pull_requests: "read" },
      events: ["check_run", "check_suite", "pull_request", "push"],
    };
    this.#apps.set(slug, app);
    return app;
  }

  async #triggerFor(repo: RepoRecord, ref: string): Promise<Trigger> {
    const sha = await repo.git.resolveCommit(ref);
    if (!sha) throw new Error(`simulator: no commit ${ref} in ${repo.fullName}`);
    const branch = (await repo.git.branchTip(ref)) === sha ? ref : (this.#world.state.pulls.find((p) => p.repo === repo && p.headSha === sha)?.headRef ?? null);
    return { repo, sha, branch, before: null, event: "push", sender: repo.owner };
  }

  async #start(definition: Definition, trigger: Trigger, completion: CiCompletion, fixedResult: CiResult | null): Promise<Run> {
    const run = await this.#create(definition, trigger, completion, fixedResult);
    const world = this.#world;
    // GitHub's order: the workflow run is requested, its check run created, its job queued.
    if (run.workflowRun) this.#emit("workflow_run", await workflowRunPayload(world, run.workflowRun, "requested"));
    this.#emit("check_run", await checkRunPayload(world, run.checkRun, "created", run.sender));
    if (run.job && run.workflowRun) this.#emit("workflow_job", workflowJobPayload(world, run.job, run.workflowRun, "queued"));
    this.#schedule(definition.queuedMs, () => this.#toInProgress(run));
    return run;
  }

  async #create(definition: Definition, trigger: Trigger, completion: CiCompletion, fixedResult: CiResult | null): Promise<Run> {
    const { state } = this.#world;
    const details = await trigger.repo.git.readCommit(trigger.sha);
    const message = details?.message.replace(/\n$/, "") ?? "";
    const now = state.now();
    const repo = trigger.repo;
    const suite = definition.actions
      ? state.newSuite(repo, definition.app, trigger.sha, trigger.branch, trigger.before)
      : state.suiteFor(repo, definition.app, trigger.sha, trigger.branch, trigger.before);
    suite.updatedAt = now;
    const checkRunId = state.nextId("check");
    let workflowRun: WorkflowRunRecord | null = null;
    let job: WorkflowJobRecord | null = null;
    if (definition.actions) {
      const workflow = this.#workflow(repo, definition);
      const runNumber = state.workflowRuns.filter((r) => r.workflow === workflow).length + 1;
      workflowRun = {
        id: state.nextId("run"),
        repo,
        workflow,
        runNumber,
        checkSuiteId: suite.id,
        headSha: trigger.sha,
        headBranch: trigger.branch,
        event: trigger.event,
        actor: trigger.sender,
        displayTitle: message.split("\n")[0] ?? "",
        status: "queued",
        conclusion: null,
        createdAt: now,
        updatedAt: now,
        runStartedAt: now,
      };
      state.workflowRuns.push(workflowRun);
      // Jobs are check runs: same id.
      job = {
        id: checkRunId,
        runId: workflowRun.id,
        repo,
        name: definition.name,
        status: "queued",
        conclusion: null,
        createdAt: now,
        startedAt: now,
        completedAt: null,
        log: null,
      };
      state.workflowJobs.push(job);
    }
    const checkRun: CheckRunRecord = {
      id: checkRunId,
      repo,
      headSha: trigger.sha,
      name: definition.name,
      status: "queued",
      conclusion: null,
      startedAt: now,
      completedAt: null,
      detailsUrl: workflowRun
        ? this.#world.urls.html(`/${repo.fullName}/actions/runs/${workflowRun.id}/job/${checkRunId}`)
        : this.#world.urls.html(`/ci/${definition.app.slug}/${repo.fullName}/builds/${checkRunId}`),
      externalId: randomUUID(),
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
      checkSuiteId: suite.id,
      app: definition.app,
    };
    state.checkRuns.push(checkRun);
    const commit = ciCommit(repo, trigger, message, details?.parents ?? []);
    const run: Run = { definition, commit, sender: trigger.sender, suite, checkRun, workflowRun, job, completion, fixedResult, phase: "queued" };
    this.#runs.push(run);
    return run;
  }

  #workflow(repo: RepoRecord, definition: Definition): WorkflowRecord {
    const { state } = this.#world;
    const existing = state.workflows.find((w) => w.repo === repo && w.path === definition.workflowPath);
    if (existing) return existing;
    const workflow: WorkflowRecord = { id: state.nextId("workflow"), repo, name: definition.workflow, path: definition.workflowPath, createdAt: state.now() };
    state.workflows.push(workflow);
    return workflow;
  }

  #markInProgress(run: Run): void {
    const now = this.#world.state.now();
    run.phase = "in_progress";
    run.checkRun.status = "in_progress";
    run.checkRun.startedAt = now;
    run.suite.updatedAt = now;
    if (run.workflowRun) {
      run.workflowRun.status = "in_progress";
      run.workflowRun.updatedAt = now;
      run.workflowRun.runStartedAt = now;
    }
    if (run.job) {
      run.job.status = "in_progress";
      run.job.startedAt = now;
    }
  }

  async #toInProgress(run: Run): Promise<void> {
    if (run.phase !== "queued") return;
    this.#markInProgress(run);
    if (run.workflowRun) this.#emit("workflow_run", await workflowRunPayload(this.#world, run.workflowRun, "in_progress"));
    if (run.job && run.workflowRun) this.#emit("workflow_job", workflowJobPayload(this.#world, run.job, run.workflowRun, "in_progress"));
    if (typeof run.completion === "number") this.#schedule(run.completion, () => this.#finish(run, null, { webhooks: true }));
  }

  async #finish(run: Run, given: CiResult | null, options: { readonly webhooks: boolean }): Promise<void> {
    if (run.phase !== "in_progress") return;
    run.phase = "completing";
    let result: CiResult;
    try {
      result = given ?? run.fixedResult ?? (await run.definition.result(run.commit));
    } catch (error) {
      this.errors.push(error);
      run.phase = "in_progress";
      return;
    }
    const now = this.#world.state.now();
    const failed = !["success", "neutral", "skipped"].includes(result.conclusion);
    const annotations: CheckAnnotation[] = [...(result.annotations ?? [])];
    // A failing Actions job carries the runner's own annotation, as on GitHub.
    if (run.workflowRun && failed) {
      annotations.push({ path: ".github", start_line: 1, end_line: 1, annotation_level: "failure", message: "Process completed with exit code 1." });
    }
    Object.assign(run.checkRun, {
      status: "completed",
      conclusion: result.conclusion,
      completedAt: now,
      output: { title: result.title ?? null, summary: result.summary ?? null, text: result.text ?? null },
    });
    run.checkRun.annotations.push(...annotations);
    run.suite.updatedAt = now;
    if (run.job) {
      run.job.status = "completed";
      run.job.conclusion = result.conclusion;
      run.job.completedAt = now;
      run.job.log = jobLog(run, result, now);
    }
    if (run.workflowRun) {
      run.workflowRun.status = "completed";
      run.workflowRun.conclusion = result.conclusion;
      run.workflowRun.updatedAt = now;
    }
    run.phase = "completed";
    if (!options.webhooks) return;
    const world = this.#world;
    if (run.job && run.workflowRun) this.#emit("workflow_job", workflowJobPayload(world, run.job, run.workflowRun, "completed"));
    this.#emit("check_run", await checkRunPayload(world, run.checkRun, "completed", run.sender));
    if (world.state.suiteRuns(run.suite).every((r) => r.status === "completed")) {
      this.#emit("check_suite", await checkSuitePayload(world, run.suite, run.sender));
    }
    if (run.workflowRun) this.#emit("workflow_run", await workflowRunPayload(world, run.workflowRun, "completed"));
  }

  #emit(name: string, payload: Record<string, unknown>): void {
    this.#world.events.emit({ name, id: randomUUID(), payload });
  }

  #schedule(ms: number, step: () => Promise<void>): void {
    if (this.#closed) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      const pending = step()
        .catch((error: unknown) => {
          this.errors.push(error);
        })
        .finally(() => this.#steps.delete(pending));
      this.#steps.add(pending);
    }, ms);
    this.#timers.add(timer);
  }

  #view(run: Run): CiRunView {
    return {
      name: run.definition.name,
      workflow: run.workflowRun ? run.definition.workflow : null,
      app: run.definition.app.slug,
      headSha: run.commit.sha,
      headBranch: run.commit.branch,
      event: run.commit.event,
      status: run.phase === "completed" ? "completed" : run.phase === "queued" ? "queued" : "in_progress",
      conclusion: run.checkRun.conclusion,
      checkSuiteId: run.suite.id,
      checkRunId: run.checkRun.id,
      workflowRunId: run.workflowRun?.id ?? null,
      jobId: run.job?.id ?? null,
      log: run.job?.log ?? null,
    };
  }
}

function ciCommit(repo: RepoRecord, trigger: Trigger, message: string, parents: readonly string[]): CiCommit {
  return {
    repo: repo.fullName as RepoName,
    sha: trigger.sha,
    branch: trigger.branch,
    parents,
    message,
    event: trigger.event,
    fileAt: async (path) => {
      const file = await repo.git.fileAt(trigger.sha, path);
      return file ? file.content.toString("utf8") : null;
    },
  };
}

/** A job log as GitHub serves it: every line prefixed with a timestamp in 100 ns precision. */
function jobLog(run: Run, result: CiResult, at: Date): string {
  const stamp = at.toISOString().replace(/Z$/, "0000Z");
  const { definition, commit } = run;
  const lines = [
    "Requested labels: ubuntu-latest",
    `Job defined at: ${commit.repo}/${definition.workflowPath}@${commit.branch ? `refs/heads/${commit.branch}` : commit.sha}`,
    `##[group]Run ${definition.command}`,
    definition.command,
    "##[endgroup]",
    ...(result.log ?? "")
      .replace(/\n$/, "")
      .split("\n")
      .filter((line, i, all) => all.length > 1 || line !== ""),
    ...(["success", "neutral", "skipped"].includes(result.conclusion) ? [] : ["##[error]Process completed with exit code 1."]),
    "Cleaning up orphan processes",
  ];
  return lines.map((line) => `${stamp} ${line}`).join("\n") + "\n";
}

import type { CheckAnnotation } from "./state.js";
import type { RepoName } from "./types.js";

/** The test-facing API of the scripted CI (`sim.ci`). See README.md, "CI". */

export type CiConclusion = "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required";

/** What a CI run reports when it completes. */
export interface CiResult {
  readonly conclusion: CiConclusion;
  /** The check run's `output`. */
  readonly title?: string;
  readonly summary?: string;
  readonly text?: string;
  readonly annotations?: readonly CheckAnnotation[];
  /** The job's output; served as the job log, one timestamped line per line (GitHub Actions only). */
  readonly log?: string;
}

/** The commit a CI run is for, handed to the result function. */
export interface CiCommit {
  readonly repo: RepoName;
  readonly sha: string;
  /** The pushed branch (or the pull request's head branch); null when the commit is on no known branch. */
  readonly branch: string | null;
  readonly parents: readonly string[];
  readonly message: string;
  /** What started the run. */
  readonly event: "push" | "pull_request";
  /** A file's content at this commit, or null when absent. */
  fileAt(path: string): Promise<string | null>;
}

/**
 * When a run completes, once it is in progress: after this many milliseconds; `"manual"` when
 * `sim.ci.complete(repo)` says so; `"never"` only when `complete` names the run (a CI that never reports).
 */
export type CiCompletion = number | "manual" | "never";

export interface CiDefinition {
  /** The job's name, which is also its check run's name. Default "test". */
  readonly name?: string;
  /** The workflow's name (default "CI") and file (default ".github/workflows/ci.yml"). */
  readonly workflow?: string;
  readonly workflowPath?: string;
  /** The command the job's log shows it running. Default "npm test". */
  readonly command?: string;
  /**
   * Who reports: GitHub Actions (default: a workflow run with one job, its own check suite and a check run)
   * or another CI app by slug (a check suite per commit and a check run, no workflow run).
   */
  readonly app?: "github-actions" | { readonly slug: string; readonly name?: string };
  /** Branches whose pushes start a run; default every branch. */
  readonly branches?: readonly string[];
  /** Whether opening a pull request runs its head commit when no run of this definition has (default true). */
  readonly pullRequests?: boolean;
  /** Milliseconds a run stays `queued` before `in_progress` (default 0: the next turn of the event loop). */
  readonly queuedMs?: number;
  /** Default 0: completes right after it starts. */
  readonly completion?: CiCompletion;
  /** The result for a commit (default: success). Called when the run completes. */
  readonly result?: (commit: CiCommit) => CiResult | Promise<CiResult>;
}

export interface CiHandle {
  readonly name: string;
  /** Later commits no longer start this definition's runs. */
  remove(): void;
}

/** One CI run as tests see it. */
export interface CiRunView {
  readonly name: string;
  readonly workflow: string | null;
  /** The reporting app's slug ("github-actions" or the one defined). */
  readonly app: string;
  readonly headSha: string;
  readonly headBranch: string | null;
  readonly event: "push" | "pull_request";
  readonly status: "queued" | "in_progress" | "completed";
  readonly conclusion: string | null;
  readonly checkSuiteId: number;
  readonly checkRunId: number;
  /** Null for a CI app other than GitHub Actions. */
  readonly workflowRunId: number | null;
  readonly jobId: number | null;
  /** The job log; null until completed or when not GitHub Actions. */
  readonly log: string | null;
}

export interface CiRunFilter {
  readonly sha?: string;
  readonly name?: string;
  /** Names one run; the only way to complete a `completion: "never"` run. */
  readonly checkRunId?: number;
}

export interface SimCi {
  /** Every later commit pushed to `repo` (and every pull request opened on it) starts a run of this definition. */
  define(repo: RepoName, definition?: CiDefinition): CiHandle;
  /** `define` with a result function: `sim.ci.onCommit(repo, (c) => ({ conclusion: "failure", log: "…" }))`. */
  onCommit(repo: RepoName, result: NonNullable<CiDefinition["result"]>, options?: Omit<CiDefinition, "result">): CiHandle;
  /** Starts the defined runs now for an existing commit (a ref or sha), as a push would; returns them queued. */
  run(repo: RepoName, ref: string, options?: { readonly result?: CiResult; readonly completion?: CiCompletion }): Promise<CiRunView[]>;
  /**
   * Records a run that already finished on an existing commit, without webhooks: history from before the
   * test (e.g. the pull request's parent commit already failing).
   */
  report(repo: RepoName, ref: string, result: CiResult, options?: Omit<CiDefinition, "result" | "completion" | "queuedMs">): Promise<CiRunView>;
  /**
   * Completes the runs of `repo` still going that match `filter` (`"never"` runs only when named by `checkRunId`),
   * with `result` or their definition's result. Returns the runs completed.
   */
  complete(repo: RepoName, filter?: CiRunFilter, result?: CiResult): Promise<CiRunView[]>;
  /** The CI runs of a repository (optionally of one commit), oldest first. */
  runs(repo: RepoName, sha?: string): CiRunView[];
  /** Waits until every timed step scheduled so far has run and its webhooks have been handled. */
  settle(): Promise<void>;
  /** Errors thrown by result functions (such a run stays in progress). */
  readonly errors: readonly unknown[];
}

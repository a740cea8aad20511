import type { CommitObject } from "../git-repo.js";
import type { HeadFacts } from "../head-facts.js";
import type { CheckRunRecord, CheckSuiteRecord } from "../state.js";
import { renderPullsMinimal } from "./check-run.js";
import { renderRepository } from "./repository.js";
import { renderApp } from "./user.js";
import { isoTime, nodeId, type Urls } from "./urls.js";

/** A suite's state, derived from its runs: GitHub reports the most severe conclusion once every run has completed. */
export interface SuiteState {
  readonly status: "queued" | "in_progress" | "completed";
  readonly conclusion: string | null;
}

// Most severe first; success outranks neutral and skipped, which alone keep their own name.
const SEVERITY = ["action_required", "timed_out", "cancelled", "failure", "stale", "startup_failure", "success", "neutral", "skipped"];

export function suiteState(runs: readonly CheckRunRecord[]): SuiteState {
  if (runs.length === 0) return { status: "queued", conclusion: null };
  if (runs.some((r) => r.status !== "completed")) return { status: runs.some((r) => r.status === "in_progress") ? "in_progress" : "queued", conclusion: null };
  const conclusions = new Set(runs.map((r) => r.conclusion ?? "neutral"));
  return { status: "completed", conclusion: SEVERITY.find((c) => conclusions.has(c)) ?? "neutral" };
}

/** GitHub's `check-suite` (REST) — also the `check_suite` of webhooks, which has the same fields. */
export function renderCheckSuite(urls: Urls, suite: CheckSuiteRecord, runs: readonly CheckRunRecord[], facts: HeadFacts): Record<string, unknown> {
  const { status, conclusion } = suiteState(runs);
  const self = urls.api(`/repos/${suite.repo.fullName}/check-suites/${suite.id}`);
  return {
    id: suite.id,
    node_id: nodeId("CheckSuite", suite.id),
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status,
    conclusion,
    url: self,
    before: suite.before,
    after: suite.headSha,
    pull_requests: renderPullsMinimal(urls, facts.pulls, facts.baseShas),
    app: renderApp(urls, suite.app),
    repository: renderRepository(urls, suite.repo),
    created_at: isoTime(suite.createdAt),
    updated_at: isoTime(suite.updatedAt),
    head_commit: facts.commit ? renderSimpleCommit(facts.commit) : null,
    latest_check_runs_count: latestPerName(runs).length,
    check_runs_url: `${self}/check-runs`,
    rerequestable: true,
    runs_rerequestable: true,
  };
}

/** GitHub's `simple-commit` (a suite's or workflow run's `head_commit`). */
export function renderSimpleCommit(commit: CommitObject): Record<string, unknown> {
  return {
    id: commit.sha,
    tree_id: commit.tree,
    message: commit.message.replace(/\n$/, ""),
    timestamp: isoTime(commit.committer.date),
    author: { name: commit.author.name, email: commit.author.email },
    committer: { name: commit.committer.name, email: commit.committer.email },
  };
}

/** The newest run of each name: what GitHub's `filter=latest` (the default) lists. */
export function latestPerName(runs: readonly CheckRunRecord[]): CheckRunRecord[] {
  const latest = new Map<string, CheckRunRecord>();
  for (const run of runs) {
    const seen = latest.get(run.name);
    if (!seen || run.id > seen.id) latest.set(run.name, run);
  }
  return [...latest.values()].sort((a, b) => b.id - a.id);
}

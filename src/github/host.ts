import type { Logger } from "pino";
import type { LoadedRepoConfig } from "../config/repo-config.js";
import type { ChangeSet } from "../domain/change-set.js";
import type { RepositoryLimits, RepositorySnapshot } from "../domain/repository.js";
import type { PlacedFinding } from "../domain/finding.js";
import type { AppIdentity } from "./app-identity.js";
import { checkFailureDetails, commitChecks, type CheckFailureDetails, type CommitCheck, type CommitChecks } from "./ci-checks.js";
import { CheckRun, cancelSupersededRuns, listRuns, type CheckRunHandle } from "./check-run.js";
import type { GitHub, PullRef } from "./client.js";
import { acknowledge, reply, type AnswerOptions, type CommandSource } from "./command-replies.js";
import { CommitFiles, type CommitSnapshot } from "./commit-files.js";
import { changesSince, type Increment } from "./compare.js";
import { fetchChangeSet, type FetchOptions } from "./fetch-change-set.js";
import { readJobStart, type JobStart, type JobStartOptions } from "./job-start-query.js";
import { findPullRequestsForSha } from "./find-pull-requests.js";
import { commitFiles, settleCommit, type FixCommit, type FixCommitInput, type SettledCommit } from "./git-commit.js";
import type { ReviewComment } from "./git-schemas.js";
import type { FindingThread, LongviewState } from "./longview-state.js";
import { repositoryAccess, type AccessLevel } from "./permission.js";
import { longviewComments, pullCommits, type PullCommit } from "./pull-commits.js";
import { postReview, type PostReviewInput, type PostedReview } from "./post-review.js";
import { readRepoConfig, readTextFile } from "./read-repo-config.js";
import { gitHubRepositorySnapshot, type GitHubSnapshotOptions } from "./repository-snapshot.js";
import { markFixed, readLongviewState, readReviewComment } from "./review-state.js";
import { PullRequestSchema, type CheckRunSummary, type PullRequest } from "./schemas.js";

/**
 * The one front door to GitHub: every operation the product needs, for one
 * installation. The review, the fix and the commands receive a
 * `GitHubHost`, never an Octokit; responses are validated here and failures
 * arrive as `GitHubError` (errors.ts). Tests give them an in-memory host or
 * this one over a mocked Octokit; production builds it from Probot's
 * installation client (`createGitHubHost`).
 */

type Repo = Pick<PullRef, "owner" | "repo">;

export interface CheckRunOpening {
  readonly name: string;
  readonly headSha: string;
  /** Longview's id for the review (the pull request number): an unfinished run with it is continued, not duplicated. */
  readonly externalId: string;
  readonly log: Logger;
  /** The head's runs if already listed (saves a request). */
  readonly existing?: readonly CheckRunSummary[];
}

export interface GitHubHost {
  /** Longview's login (`slug[bot]`): only its comments carry trusted state. */
  botLogin(): Promise<string>;

  // The pull request and the repository.
  pullRequest(ref: PullRef): Promise<PullRequest>;
  /**
   * What a review reads first, in one request where GitHub can answer it (GraphQL): the pull request, the
   * configuration and what settles the later reads. Null, or absent (a host without it), when the separate
   * reads below must be made; never throws for a failed query.
   */
  jobStart?(ref: PullRef, options: JobStartOptions): Promise<JobStart | null>;
  /** Open pull requests whose head is `sha` (`listed`: the ones an event names, when it names any). */
  pullRequestsAt(repo: Repo, sha: string, listed: readonly { number: number }[]): Promise<number[]>;
  changeSet(ref: PullRef, pr: PullRequest, options: FetchOptions): Promise<ChangeSet>;
  /** The pull request's commits with their git identities, oldest first (at most `MAX_PULL_COMMITS`). */
  pullCommits(ref: PullRef): Promise<PullCommit[]>;
  /** What changed from `from` to `to`, when `to` descends from it; null otherwise. */
  changesSince(ref: PullRef, from: string, to: string): Promise<Increment | null>;
  /** `.github/longview.yml` from the default branch; problems reported, never thrown. */
  repoConfig(repo: Repo, log: Logger): Promise<LoadedRepoConfig>;
  /** A text file at a commit, or null when there is none. */
  textFile(repo: Repo, path: string, at: string): Promise<string | null>;
  /** The files of a commit (Git Data API), for reading and for a commit on top of it. */
  commit(repo: Repo, sha: string): Promise<CommitSnapshot>;
  /** The whole repository at `sha`, read lazily within `limits`: one per job (it caches what it reads). */
  repository(repo: Repo, sha: string, limits: RepositoryLimits, options?: Omit<GitHubSnapshotOptions, "limits">): RepositorySnapshot;

  // What Longview said, and says.
  state(ref: PullRef, log: Logger): Promise<LongviewState>;
  reviewComment(repo: Repo, commentId: number): Promise<ReviewComment>;
  postReview<F extends PlacedFinding>(input: PostReviewInput<F>): Promise<PostedReview>;
  markFixed(ref: PullRef, thread: FindingThread, body: string, log: Logger): Promise<void>;
  /** The bodies of Longview's own comments on the pull request (conversation and review threads), oldest first. */
  longviewComments(ref: PullRef): Promise<string[]>;

  // Check runs.
  checkRuns(repo: Repo, sha: string, name: string): Promise<CheckRunSummary[]>;
  openCheckRun(repo: Repo, input: CheckRunOpening): Promise<CheckRunHandle>;
  attachCheckRun(repo: Repo, id: number, name: string, log: Logger): CheckRunHandle;
  /** Completes Longview's unfinished runs on an older head; returns how many. */
  cancelSupersededRuns(
    repo: Repo,
    input: { oldSha: string; newSha: string; name: string; complete: (run: CheckRunHandle) => Promise<void>; log: Logger },
  ): Promise<number>;

  // CI: other apps' check runs (GitHub Actions and other CIs), read for a fix loop.
  /** Every other app's latest check run on `sha`, bounded and redacted; Longview's own runs are left out. */
  commitChecks(repo: Repo, sha: string): Promise<CommitChecks>;
  /** A check run's output, annotations (at most `MAX_CHECK_ANNOTATIONS`) and, for GitHub Actions, the job log's redacted tail. */
  checkFailureDetails(repo: Repo, check: Pick<CommitCheck, "id" | "app">): Promise<CheckFailureDetails>;

  // Fixes.
  commitFiles(input: FixCommitInput, log: Logger): Promise<FixCommit>;
  /** Where a commit made earlier stands on its branch; moves the branch when the update never happened. */
  settleCommit(repo: Repo, branch: string, sha: string, parentSha: string, log: Logger): Promise<SettledCommit>;

  // Commands.
  access(repo: Repo, username: string): Promise<AccessLevel>;
  acknowledge(ref: PullRef, source: CommandSource): Promise<void>;
  answer(ref: PullRef, source: CommandSource, body: string, options: Omit<AnswerOptions, "botLogin">): Promise<void>;
}

export function createGitHubHost(gh: GitHub, identity: AppIdentity): GitHubHost {
  const botLogin = () => identity.botLogin(gh);
  return {
    botLogin,
    pullRequest: async (ref) => {
      const { data } = await gh.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber });
      return PullRequestSchema.parse(data);
    },
    jobStart: (ref, options) => readJobStart(gh, ref, options),
    pullRequestsAt: (repo, sha, listed) => findPullRequestsForSha(gh, repo, sha, listed),
    changeSet: (ref, pr, options) => fetchChangeSet(gh, ref, pr, options),
    pullCommits: (ref) => pullCommits(gh, ref),
    changesSince: (ref, from, to) => changesSince(gh, ref, from, to),
    repoConfig: (repo, log) => readRepoConfig(gh, repo, log),
    textFile: (repo, path, at) => readTextFile(gh, repo, path, at),
    commit: (repo, sha) => CommitFiles.read(gh, repo, sha),
    repository: (repo, sha, limits, options) => gitHubRepositorySnapshot(gh, repo, sha, { ...options, limits }),
    state: async (ref, log) => readLongviewState(gh, ref, await botLogin(), log),
    reviewComment: (repo, id) => readReviewComment(gh, repo, id),
    postReview: (input) => postReview(gh, input),
    markFixed: (ref, thread, body, log) => markFixed(gh, ref, thread, body, log),
    longviewComments: async (ref) => longviewComments(gh, ref, await botLogin()),
    checkRuns: (repo, sha, name) => listRuns(gh, repo, sha, name),
    openCheckRun: (repo, input) => CheckRun.open(gh, repo, input),
    attachCheckRun: (repo, id, name, log) => CheckRun.attach(gh, repo, id, name, log),
    cancelSupersededRuns: (repo, input) => cancelSupersededRuns(gh, repo, input),
    commitChecks: async (repo, sha) => commitChecks(gh, repo, sha, (await botLogin()).replace(/\[bot\]$/, "")),
    checkFailureDetails: (repo, check) => checkFailureDetails(gh, repo, check),
    commitFiles: (input, log) => commitFiles(gh, input, log),
    settleCommit: (repo, branch, sha, parentSha, log) => settleCommit(gh, repo, branch, sha, parentSha, log),
    access: (repo, username) => repositoryAccess(gh, repo, username),
    acknowledge: (ref, source) => acknowledge(gh, ref, source),
    answer: (ref, source, body, options) => reply(gh, ref, source, body, { ...options, botLogin }),
  };
}

import type { RepositorySnapshot } from "../../src/domain/repository.js";
import { memorySnapshot } from "../../src/repo/memory-snapshot.js";
import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { parse as parseYaml } from "yaml";
import { DEFAULT_REPO_CONFIG, REPO_CONFIG_PATH, parseRepoConfig, type LoadedRepoConfig } from "../../src/config/repo-config.js";
import { buildChangeSet } from "../../src/diff/build-change-set.js";
import { computeFileDiff, looksBinary } from "../../src/diff/compute-file-diff.js";
import { applyContentRules, classifyFile, partitionFiles } from "../../src/diff/file-filter.js";
import type { ChangedFile, ChangeSet, SkippedFile } from "../../src/domain/change-set.js";
import type { PlacedFinding } from "../../src/domain/finding.js";
import type { PullRef } from "../../src/domain/pull-request.js";
import { ANNOTATIONS_PER_REQUEST, type CheckAnnotation, type CheckOutcome, type CheckRunAction, type CheckRunHandle } from "../../src/github/check-run.js";
import {
  ACTIONS_APP_SLUG,
  MAX_CHECK_ANNOTATIONS,
  MAX_SHORT_CHARS,
  boundedOutput,
  boundedText,
  type CheckAnnotation as CiAnnotation,
  type CheckFailureDetails,
  type CiPermission,
  type CommitCheck,
  type CommitChecks,
  type JobLog,
} from "../../src/github/ci-checks.js";
import { cleanJobLogText } from "../../src/github/job-log.js";
import { createRedactor } from "../../src/redact/index.js";
import { answerText, type CommandSource } from "../../src/github/command-replies.js";
import { editableText, uneditableEntry, type CommitSnapshot, type FileRead } from "../../src/github/commit-files.js";
import type { Increment } from "../../src/github/compare.js";
import { GitHubError, type GitHubErrorKind } from "../../src/github/errors.js";
import { BranchMovedError, type FixCommit, type SettledCommit } from "../../src/github/git-commit.js";
import type { GitTreeEntry, ReviewComment } from "../../src/github/git-schemas.js";
import type { GitHubHost } from "../../src/github/host.js";
import { longviewState, type Reactor, type ReviewSummary } from "../../src/github/longview-state.js";
import { parseAnswerMarker } from "../../src/github/markers.js";
import type { AccessLevel } from "../../src/github/permission.js";
import type { PostReviewInput, PostedReview } from "../../src/github/post-review.js";
import type { GitIdentity, PullCommit } from "../../src/github/pull-commits.js";
import type { ThreadState } from "../../src/github/review-threads.js";
import { PullRequestSchema, type CheckRunSummary, type PullRequest } from "../../src/github/schemas.js";

/**
 * GitHub in memory, behind the same `GitHubHost` the review, the fix and
 * the commands use: repositories of commits and branches, pull requests
 * whose head is their branch's tip, and everything Longview writes kept as
 * GitHub keeps it — reviews and review comments (Longview's state is read
 * back from them with production's `longviewState`), conversation
 * comments, reactions, check runs and commits that move branches. Tests
 * arrange a world, run the code, and assert on what GitHub now holds
 * (`fake.reviews`, `fake.checkRun(sha)`, `fake.branchHead(…)`, `fake.answers`).
 * `fail(operation, …)` makes an operation fail with a typed `GitHubError`.
 *
 * What it does not model: HTTP (retries, rate-limit waits, pagination, the
 * 422 bisection — github/'s own tests cover those with nock), size budgets
 * of a fetched change set, and Probot's `_extends` in repository config.
 * test/integration/github/host-contract*.test.ts run the same scenarios
 * against it and against `createGitHubHost` (over the simulator, and over nock for refused comments).
 */

export const FAKE_BOT = "longview[bot]";

type Repo = Pick<PullRef, "owner" | "repo">;
type FileContent = string | Buffer;

export interface FakeFile {
  readonly content: FileContent;
  /** Git file mode (100644, 100755, 120000 for a symbolic link). */
  readonly mode?: string;
}

/** Files of a commit by path: text, or `{ content, mode }`; `null` deletes a file inherited from the parent. */
export type FilesInput = Readonly<Record<string, FileContent | FakeFile | null>>;

interface StoredFile {
  readonly bytes: Buffer;
  readonly mode: string;
}

interface StoredCommit {
  readonly sha: string;
  readonly treeSha: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly files: ReadonlyMap<string, StoredFile>;
  readonly author: GitIdentity;
  readonly committer: GitIdentity;
}

/** Who wrote and who committed a commit (both default to a developer). */
export interface CommitPeople {
  readonly author?: GitIdentity;
  readonly committer?: GitIdentity;
}

/** A person pushing from their machine. */
export const DEVELOPER: GitIdentity = { name: "Simulated Developer", email: "developer@example.com" };
/** GitHub's identity as committer of the commits an app makes through the API (and of the web page's rebases). */
export const GITHUB_COMMITTER: GitIdentity = { name: "GitHub", email: "noreply@github.com" };

interface StoredRepo {
  readonly commits: Map<string, StoredCommit>;
  readonly branches: Map<string, string>;
  readonly defaultBranch: string;
  config: unknown;
  readonly access: Map<string, AccessLevel>;
}

export interface FakePullRequestInput {
  readonly number?: number;
  /** The head branch (in `headRepo`, default the pull request's repository). */
  readonly head: string;
  readonly headRepo?: Repo;
  readonly base?: string;
  readonly title?: string;
  readonly body?: string;
  readonly author?: string;
  readonly state?: "open" | "closed";
  readonly merged?: boolean;
  readonly draft?: boolean;
  readonly maintainerCanModify?: boolean;
  /** The change set to review, as given; otherwise it is computed from the base and head commits. */
  readonly changeSet?: ChangeSet;
}

interface StoredPull {
  readonly repo: Repo;
  readonly number: number;
  readonly input: FakePullRequestInput;
  readonly baseSha: string;
  state: "open" | "closed";
}

/** A review as GitHub shows it (`GET …/reviews`), with the comments it was submitted with. */
export interface FakeReview extends ReviewSummary {
  readonly id: number;
  readonly pullNumber: number;
  readonly user: { readonly login: string };
  readonly body: string;
  readonly commit_id: string;
  readonly event: "COMMENT";
  readonly commentIds: readonly number[];
}

export interface FakeReviewComment extends ReviewComment {
  readonly pullNumber: number;
}

export interface FakeIssueComment {
  readonly id: number;
  readonly pullNumber: number;
  readonly user: { readonly login: string };
  readonly body: string;
}

export interface FakeReaction {
  readonly on: "issue-comment" | "review-comment";
  readonly commentId: number;
  readonly content: string;
  readonly user: string;
}

export interface FakeCheckRun extends CheckRunSummary {
  readonly name: string;
  readonly headSha: string;
  readonly output: { title: string; summary: string; text?: string };
  readonly annotations: CheckAnnotation[];
  actions: CheckRunAction[];
  /** Every progress update, in order (`done/total`). */
  readonly progress: string[];
  /** Each status the run went through (`in_progress`, then `completed:<conclusion>`). */
  readonly history: string[];
}

export interface FakeWrittenCommit {
  readonly repo: string;
  readonly branch: string;
  readonly sha: string;
  readonly parent: string;
  readonly message: string;
  /** The files the commit changed, with their new text. */
  readonly files: ReadonlyMap<string, string>;
  readonly modes: ReadonlyMap<string, string>;
}

/** What an answer to a command looks like to people (without its hidden marker), and where it went. */
export interface FakeAnswer {
  readonly pullNumber: number;
  readonly where: "conversation" | { readonly thread: number };
  readonly body: string;
  readonly key: string | null;
}

export type FakeOperation = keyof GitHubHost | "checkRun.progress" | "checkRun.complete";

export type FakeFailure =
  | GitHubFailure
  /** Something that is not GitHub's failure (a response no schema accepts, a bug): thrown as it is. */
  | { readonly error: Error; readonly times?: number; readonly afterWrite?: undefined };

export interface GitHubFailure {
  readonly kind: Exclude<GitHubErrorKind, "other">;
  /** How many calls fail (default 1). */
  readonly times?: number;
  /** The operation is carried out, then fails: GitHub did the write but the answer was lost. */
  readonly afterWrite?: boolean;
  readonly retryAfterMs?: number;
  readonly message?: string;
}

const STATUS: Record<GitHubFailure["kind"], number> = {
  transient: 502,
  "rate-limited": 403,
  "not-found": 404,
  unauthorized: 401,
  forbidden: 403,
  validation: 422,
};

/** A GitHubError of `kind`, as github/errors.ts makes them. */
export function gitHubError(kind: GitHubFailure["kind"], message = `GitHub answered ${STATUS[kind]}`, retryAfterMs: number | null = null): GitHubError {
  return new GitHubError(message, kind, STATUS[kind], retryAfterMs, { headers: {} });
}

const key = (repo: Repo) => `${repo.owner}/${repo.repo}`.toLowerCase();
const hash = (text: string | Buffer) => createHash("sha1").update(text).digest("hex");
const blobSha = (bytes: Buffer) => hash(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes]));
const toBuffer = (content: FileContent) => (typeof content === "string" ? Buffer.from(content, "utf8") : content);

/** Another app's check run on a commit (the repository's CI), as `addCiCheck` arranges it. */
export interface FakeCiCheckInput {
  readonly name?: string;
  /** Default `github-actions`. */
  readonly app?: string;
  readonly status?: string;
  /** Default `success` once completed. */
  readonly conclusion?: string | null;
  readonly detailsUrl?: string | null;
  readonly output?: Partial<CommitCheck["output"]>;
  readonly annotations?: readonly CiAnnotation[];
  /** The Actions job's raw log; null: GitHub has none (expired, or the job has not finished). */
  readonly log?: string | null;
}

interface FakeCiCheck {
  readonly repo: string;
  readonly sha: string;
  readonly check: CommitCheck;
  readonly annotations: readonly CiAnnotation[];
  readonly log: string | null;
}

export class FakeGitHubHost implements GitHubHost {
  readonly bot: string;
  readonly reviews: FakeReview[] = [];
  readonly reviewComments: FakeReviewComment[] = [];
  readonly issueComments: FakeIssueComment[] = [];
  readonly reactions: FakeReaction[] = [];
  readonly checkRunList: FakeCheckRun[] = [];
  /** Every operation called, in order (what a test that expects no GitHub traffic asserts on). */
  readonly calls: FakeOperation[] = [];
  /** Commits Longview made (fixes), oldest first. */
  readonly commits: FakeWrittenCommit[] = [];
  private readonly repos = new Map<string, StoredRepo>();
  private readonly pulls = new Map<string, StoredPull>();
  private readonly threads = new Map<number, { resolved: boolean; outdated: boolean; resolvedBy?: string | null }>();
  private readonly failures: { operation: FakeOperation; failure: FakeFailure; left: number }[] = [];
  private readonly progressAt = new Map<number, number>();
  private readonly delays = new Map<FakeOperation, number>();
  private readonly beforeBranchMoves: ((branch: string) => void)[] = [];
  private readonly ciChecks: FakeCiCheck[] = [];
  /** Permission → reads left that GitHub refuses (403). */
  private readonly withheld = new Map<CiPermission, number>();
  private nextId = 1000;
  private clock = 0;

  constructor(options: { botLogin?: string } = {}) {
    this.bot = options.botLogin ?? FAKE_BOT;
  }

  // ── Arranging the world ────────────────────────────────────────────────

  /** A check run of the repository's CI (another app) on `sha`; returns its id (for Actions, also the job's). */
  addCiCheck(repo: Repo, sha: string, input: FakeCiCheckInput = {}): number {
    const id = this.nextId++;
    const status = input.status ?? "completed";
    const check: CommitCheck = {
      id,
      name: input.name ?? "test",
      app: input.app ?? ACTIONS_APP_SLUG,
      status,
      conclusion: input.conclusion !== undefined ? input.conclusion : status === "completed" ? "success" : null,
      detailsUrl: input.detailsUrl ?? null,
      output: { title: input.output?.title ?? null, summary: input.output?.summary ?? null, text: input.output?.text ?? null },
    };
    this.ciChecks.push({ repo: key(repo), sha, check, annotations: input.annotations ?? [], log: input.log === undefined ? "" : input.log });
    return id;
  }

  /** The installation was not granted `permission`: the next `times` reads that need it answer 403 (a typed result from the host). */
  withhold(permission: CiPermission, times = Infinity): this {
    this.withheld.set(permission, times);
    return this;
  }

  /** A repository whose default branch has one commit of `files`. */
  addRepo(repo: Repo, input: { files?: FilesInput; defaultBranch?: string; config?: string | Record<string, unknown>; sha?: string } = {}): this {
    const defaultBranch = input.defaultBranch ?? "main";
    this.repos.set(key(repo), { commits: new Map(), branches: new Map(), defaultBranch, config: null, access: new Map() });
    this.setConfig(repo, input.config ?? null);
    this.push(repo, defaultBranch, input.files ?? {}, "initial commit", input.sha);
    return this;
  }

  /** `.github/longview.yml` on the default branch (YAML text or its parsed mapping; null: none). */
  setConfig(repo: Repo, config: string | Record<string, unknown> | null): this {
    const stored = this.repoOf(repo);
    stored.config = typeof config === "string" ? (parseYaml(config) as unknown) : config;
    return this;
  }

  /** A branch at `from` (a branch or a SHA; default: the default branch). */
  addBranch(repo: Repo, branch: string, from?: string): string {
    const stored = this.repoOf(repo);
    const sha = this.resolve(stored, from ?? stored.defaultBranch);
    if (!sha) throw new Error(`fake GitHub: no ${from} in ${key(repo)}`);
    stored.branches.set(branch, sha);
    return sha;
  }

  /** A commit of `files` on top of `branch` (created from the default branch when new), which moves to it. */
  push(repo: Repo, branch: string, files: FilesInput, message = "a commit", sha?: string, people: CommitPeople = {}): string {
    const stored = this.repoOf(repo);
    const parent = stored.branches.get(branch) ?? (branch === stored.defaultBranch ? null : stored.branches.get(stored.defaultBranch)) ?? null;
    const made = this.createCommit(repo, parent, files, message, sha, people);
    stored.branches.set(branch, made);
    return made;
  }

  /** A commit object on top of `parent` that no branch points at (yet); `sha` when a test needs a known one. */
  createCommit(repo: Repo, parent: string | null, files: FilesInput, message = "a commit", sha?: string, people: CommitPeople = {}): string {
    const stored = this.repoOf(repo);
    const base = parent ? this.commitOf(stored, parent).files : new Map<string, StoredFile>();
    const next = new Map(base);
    for (const [path, file] of Object.entries(files)) {
      if (file === null) next.delete(path);
      else if (typeof file === "string" || Buffer.isBuffer(file)) next.set(path, { bytes: toBuffer(file), mode: base.get(path)?.mode ?? "100644" });
      else next.set(path, { bytes: toBuffer(file.content), mode: file.mode ?? base.get(path)?.mode ?? "100644" });
    }
    const treeSha = treeHash(next);
    const id = sha ?? hash(`commit ${treeSha} ${parent ?? ""} ${message} ${this.clock++}`);
    const author = people.author ?? DEVELOPER;
    stored.commits.set(id, { sha: id, treeSha, parents: parent ? [parent] : [], message, files: next, author, committer: people.committer ?? author });
    return id;
  }

  /** Longview's bot as git records it on the commits GitHub makes for the app. */
  get botIdentity(): GitIdentity {
    return { name: this.bot, email: `41898282+${this.bot}@users.noreply.github.com` };
  }

  /** Moves a branch (a push by someone else, or a force-push). */
  setBranch(repo: Repo, branch: string, sha: string | null): void {
    const stored = this.repoOf(repo);
    if (sha === null) stored.branches.delete(branch);
    else stored.branches.set(branch, sha);
  }

  addPullRequest(repo: Repo, input: FakePullRequestInput): PullRef {
    const stored = this.repoOf(repo);
    const number = input.number ?? this.pulls.size + 1;
    const baseSha = this.resolve(stored, input.base ?? stored.defaultBranch);
    if (!baseSha) throw new Error(`fake GitHub: no base branch ${input.base} in ${key(repo)}`);
    this.pulls.set(`${key(repo)}#${number}`, { repo, number, input, baseSha, state: input.state ?? "open" });
    return { owner: repo.owner, repo: repo.repo, pullNumber: number };
  }

  setAccess(repo: Repo, user: string, level: AccessLevel): this {
    this.repoOf(repo).access.set(user, level);
    return this;
  }

  /** A review comment by anyone (Longview's earlier findings, a person's reply); returns its id. */
  addReviewComment(
    ref: PullRef,
    comment: Omit<ReviewComment, "id" | "body" | "user"> & { id?: number; body: string; user?: string | { login: string } },
  ): number {
    const { user, ...rest } = comment;
    const id = comment.id ?? this.nextId++;
    const login = typeof user === "string" ? user : (user?.login ?? this.bot);
    this.reviewComments.push({ ...rest, id, body: comment.body, user: { login }, pullNumber: ref.pullNumber });
    if (comment.in_reply_to_id === undefined || comment.in_reply_to_id === null) this.threads.set(id, { resolved: false, outdated: false });
    return id;
  }

  /** A review by anyone (Longview's earlier reviews carry its review marker). */
  addReview(ref: PullRef, review: { body: string; commitId: string; user?: string }): number {
    const id = this.nextId++;
    this.reviews.push({
      id,
      pullNumber: ref.pullNumber,
      user: { login: review.user ?? this.bot },
      body: review.body,
      commit_id: review.commitId,
      event: "COMMENT",
      commentIds: [],
    });
    return id;
  }

  /** Someone (`resolvedBy`, a person named "reviewer" unless told) resolved (or unresolved) the thread that starts with `commentId`. */
  setThread(commentId: number, state: { resolved?: boolean; outdated?: boolean; resolvedBy?: string }): void {
    const thread = this.threads.get(commentId);
    if (!thread) throw new Error(`fake GitHub: no thread starts with comment ${commentId}`);
    const { resolvedBy, ...rest } = state;
    Object.assign(thread, rest);
    if (state.resolved !== undefined) thread.resolvedBy = state.resolved ? (resolvedBy ?? "reviewer") : null;
  }

  /** A person (or a bot, `login[bot]`) reacted to a review comment, e.g. 👎 (`-1`) on one of Longview's findings. */
  reactToReviewComment(commentId: number, user: string, content: string): void {
    if (!this.reactions.some((r) => r.on === "review-comment" && r.commentId === commentId && r.user === user && r.content === content)) {
      this.reactions.push({ on: "review-comment", commentId, content, user });
    }
  }

  /** Runs `push` once, when Longview's next fix commit is made and before its branch moves (someone pushed in between). */
  onceBeforeBranchMove(push: (branch: string) => void): this {
    this.beforeBranchMoves.push(push);
    return this;
  }

  /** `operation` answers only after `ms` (a slow GitHub: lets a test act while a review waits). */
  delay(operation: FakeOperation, ms: number): this {
    this.delays.set(operation, ms);
    return this;
  }

  /** `operation` fails with a GitHubError of `failure.kind` (or `failure.error`), `failure.times` times (default once). */
  fail(operation: FakeOperation, failure: FakeFailure): this {
    this.failures.push({ operation, failure, left: failure.times ?? 1 });
    return this;
  }

  // ── Reading what GitHub now holds ──────────────────────────────────────

  branchHead(repo: Repo, branch: string): string | null {
    return this.repoOf(repo).branches.get(branch) ?? null;
  }

  /** A file's text at a branch or commit, or null. */
  fileAt(repo: Repo, at: string, path: string): string | null {
    const stored = this.repoOf(repo);
    const sha = this.resolve(stored, at);
    return sha ? (this.commitOf(stored, sha).files.get(path)?.bytes.toString("utf8") ?? null) : null;
  }

  /** Longview's newest check run on a commit (by name, when given). */
  checkRun(sha: string, name?: string): FakeCheckRun | null {
    return this.checkRunList.filter((r) => r.headSha === sha && (name === undefined || r.name === name)).at(-1) ?? null;
  }

  checkRunsOn(sha: string): FakeCheckRun[] {
    return this.checkRunList.filter((r) => r.headSha === sha);
  }

  /** Longview's answers to commands, as people read them. */
  get answers(): FakeAnswer[] {
    const ours = (login: string) => login === this.bot;
    const inThreads = this.reviewComments
      .filter((c) => ours(c.user?.login ?? "") && c.in_reply_to_id && parseAnswerMarker(c.body) !== null)
      .map((c) => ({ id: c.id, pullNumber: c.pullNumber, where: { thread: c.in_reply_to_id! }, body: c.body }));
    const onConversation = this.issueComments
      .filter((c) => ours(c.user.login))
      .map((c) => ({ id: c.id, pullNumber: c.pullNumber, where: "conversation" as const, body: c.body }));
    return [...inThreads, ...onConversation]
      .sort((a, b) => a.id - b.id)
      .map(({ pullNumber, where, body }) => ({
        pullNumber,
        where,
        body: body.replace(/\n\n<!-- longview:answer key=[0-9a-f]{16} -->$/, ""),
        key: parseAnswerMarker(body),
      }));
  }

  /** Whether the thread that starts with `commentId` is resolved. */
  isResolved(commentId: number): boolean {
    return this.threads.get(commentId)?.resolved ?? false;
  }

  // ── GitHubHost ─────────────────────────────────────────────────────────

  botLogin = (): Promise<string> => this.guard("botLogin", () => this.bot);

  pullRequest = (ref: PullRef): Promise<PullRequest> => this.guard("pullRequest", () => this.pullJson(this.pullOf(ref)));

  pullRequestsAt = (repo: Repo, sha: string, listed: readonly { number: number }[]): Promise<number[]> =>
    this.guard("pullRequestsAt", () => {
      if (listed.length > 0) return listed.map((p) => p.number);
      return [...this.pulls.values()].filter((p) => key(p.repo) === key(repo) && p.state === "open" && this.headSha(p) === sha).map((p) => p.number);
    });

  changeSet = (ref: PullRef, _pr: PullRequest, options: Parameters<GitHubHost["changeSet"]>[2]): Promise<ChangeSet> =>
    this.guard("changeSet", () => {
      const pull = this.pullOf(ref);
      if (pull.input.changeSet) return pull.input.changeSet;
      const all = this.diff(pull, pull.baseSha, this.headSha(pull));
      const skipped: SkippedFile[] = [];
      const candidates: ChangedFile[] = [];
      for (const { file } of all) {
        const verdict = classifyFile(file.path, options.filter);
        if (verdict) skipped.push({ path: file.path, reason: verdict.reason, lines: file.additions + file.deletions, detail: verdict.detail });
        else candidates.push(file);
      }
      const { kept, skipped: filtered } = partitionFiles(candidates, options.filter);
      skipped.push(...filtered);
      const head = new Map(all.map((d) => [d.file.path, d.headText]));
      const { reviewable, skipped: generated, headContents } = applyContentRules(kept, (path) => head.get(path) ?? null, options.filter.skipGenerated);
      skipped.push(...generated);
      skipped.sort((a, b) => a.path.localeCompare(b.path));
      return buildChangeSet({ files: reviewable, skipped, headContents });
    });

  pullCommits = (ref: PullRef): Promise<PullCommit[]> =>
    this.guard("pullCommits", () => {
      const pull = this.pullOf(ref);
      const stored = this.repoOf(this.headRepo(pull));
      // The commits of the head that the base does not have, parents before children (GitHub's order).
      const ordered: PullCommit[] = [];
      const seen = new Set<string>();
      const visit = (sha: string) => {
        if (seen.has(sha) || this.descends(stored, pull.baseSha, sha)) return;
        seen.add(sha);
        const commit = this.commitOf(stored, sha);
        for (const parent of commit.parents) visit(parent);
        ordered.push({ sha, parents: commit.parents, message: commit.message, author: commit.author, committer: commit.committer });
      };
      visit(this.headSha(pull));
      return ordered.slice(0, 250);
    });

  changesSince = (ref: PullRef, from: string, to: string): Promise<Increment | null> =>
    this.guard("changesSince", () => {
      const pull = this.pullOf(ref);
      const stored = this.repoOf(this.headRepo(pull));
      if (!stored.commits.has(from) || !this.descends(stored, to, from) || from === to) return null;
      const files = this.diff(pull, from, to).map((d) => d.file);
      return { from, files: files.filter((f) => f.status !== "binary"), wholeFiles: new Set(files.filter((f) => f.status === "binary").map((f) => f.path)) };
    });

  repoConfig = (repo: Repo, _log: Logger): Promise<LoadedRepoConfig> =>
    this.guard("repoConfig", () => {
      const { config } = this.repoOf(repo);
      try {
        return parseRepoConfig(withoutCiFollowUp(config));
      } catch (error) {
        return { config: DEFAULT_REPO_CONFIG, problems: [`${REPO_CONFIG_PATH} could not be read: ${String(error)}. Using defaults.`] };
      }
    });

  /** The repository at a commit, in memory (the fake's commits hold every file); reads count against no cap. */
  repository = (repo: Repo, sha: string): RepositorySnapshot => {
    const stored = this.repoOf(repo);
    const commit = this.commitOf(stored, this.resolve(stored, sha) ?? sha);
    const texts = new Map<string, string>();
    for (const [path, file] of commit.files) texts.set(path, file.bytes.toString("utf8"));
    return memorySnapshot(texts, commit.sha);
  };

  textFile = (repo: Repo, path: string, at: string): Promise<string | null> => this.guard("textFile", () => this.fileAt(repo, at, path));

  commit = (repo: Repo, sha: string): Promise<CommitSnapshot> =>
    this.guard("commit", () => {
      const stored = this.repoOf(repo);
      const commit = stored.commits.get(sha);
      if (!commit) throw gitHubError("not-found", `No commit found for SHA: ${sha}`);
      return new FakeCommitSnapshot(commit);
    });

  state = (ref: PullRef): Promise<ReturnType<typeof longviewState>> =>
    this.guard("state", () => {
      const threads = new Map<number, ThreadState>();
      for (const [id, t] of this.threads) threads.set(id, { id: `PRRT_${id}`, resolved: t.resolved, outdated: t.outdated, resolvedBy: t.resolvedBy ?? null });
      const thumbsDown = new Map<number, Reactor[]>();
      for (const r of this.reactions) {
        if (r.on !== "review-comment" || r.content !== "-1") continue;
        const reactors = thumbsDown.get(r.commentId) ?? [];
        reactors.push({ login: r.user, type: r.user.endsWith("[bot]") ? "Bot" : "User" });
        thumbsDown.set(r.commentId, reactors);
      }
      return longviewState({
        botLogin: this.bot,
        reviews: this.reviews.filter((r) => r.pullNumber === ref.pullNumber),
        comments: this.commentsOf(ref),
        threads,
        thumbsDown,
      });
    });

  reviewComment = (_repo: Repo, commentId: number): Promise<ReviewComment> =>
    this.guard("reviewComment", () => {
      const comment = this.reviewComments.find((c) => c.id === commentId);
      if (!comment) throw gitHubError("not-found", "Not Found");
      return strip(comment);
    });

  postReview<F extends PlacedFinding>(input: PostReviewInput<F>): Promise<PostedReview> {
    return this.guard("postReview", () => {
      const { ref, commitId } = input;
      const pull = this.pullOf(ref);
      const lines = pull.input.changeSet?.lineMap ?? buildChangeSet({ files: this.diff(pull, pull.baseSha, this.headSha(pull)).map((d) => d.file) }).lineMap;
      const rerouted: PlacedFinding[] = [];
      let fileLevel = 0;
      const fileComment = (finding: F, note: string) => {
        if (!lines.hasFile(finding.path)) {
          rerouted.push({ ...finding, placement: "body", placementNote: note });
          return;
        }
        this.postComment(ref, commitId, { path: finding.path, subject_type: "file", line: null, body: input.comment({ ...finding, placement: "file" }) });
        fileLevel++;
      };
      for (const finding of input.findings.filter((f) => f.placement === "file")) fileComment(finding, "GitHub refused it as a file comment");
      // GitHub takes a line comment only on a line of the diff (a range: both ends in one hunk); the others are found and re-routed.
      const accepted: F[] = [];
      for (const finding of input.findings.filter((f) => f.placement === "inline")) {
        const ranged = finding.startLine !== null && finding.startLine < finding.line;
        const ok = ranged
          ? lines.isCommentableRange(finding.path, finding.startLine!, finding.line, finding.side)
          : lines.locate(finding.path, finding.line, finding.side) !== null;
        if (ok) accepted.push(finding);
        else fileComment(finding, "GitHub refused it as a line comment");
      }
      const commentIds = accepted.map((f) =>
        this.postComment(ref, commitId, {
          path: f.path,
          line: f.line,
          original_line: f.line,
          start_line: f.startLine !== null && f.startLine < f.line ? f.startLine : null,
          side: f.side,
          subject_type: "line",
          body: input.comment(f),
        }),
      );
      const reviewId = this.nextId++;
      this.reviews.push({
        id: reviewId,
        pullNumber: ref.pullNumber,
        user: { login: this.bot },
        body: input.body(rerouted),
        commit_id: commitId,
        event: "COMMENT",
        commentIds,
      });
      return { reviewId, inline: accepted.length, fileLevel, rerouted };
    });
  }

  longviewComments = (ref: PullRef): Promise<string[]> =>
    this.guard("longviewComments", () =>
      [...this.issueComments.filter((c) => c.pullNumber === ref.pullNumber), ...this.reviewComments.filter((c) => c.pullNumber === ref.pullNumber)]
        .filter((c) => c.user?.login === this.bot)
        // Ids are one sequence here: their order is the order of posting.
        .sort((a, b) => a.id - b.id)
        .map((c) => c.body),
    );

  markFixed = (ref: PullRef, thread: Parameters<GitHubHost["markFixed"]>[1], body: string): Promise<void> =>
    this.guard("markFixed", () => {
      this.reply(ref, thread.commentId, body);
      if (thread.threadId && !thread.resolved) this.setThread(thread.commentId, { resolved: true, resolvedBy: this.bot.replace(/\[bot\]$/, "") });
    });

  checkRuns = (_repo: Repo, sha: string, name: string): Promise<CheckRunSummary[]> =>
    this.guard("checkRuns", () => this.checkRunList.filter((r) => r.headSha === sha && r.name === name).map(summary));

  openCheckRun = (repo: Repo, input: Parameters<GitHubHost["openCheckRun"]>[1]): Promise<CheckRunHandle> =>
    this.guard("openCheckRun", () => {
      const listed = input.existing ?? this.checkRunList.filter((r) => r.headSha === input.headSha && r.name === input.name).map(summary);
      const adopted = listed.find((r) => r.status !== "completed" && r.external_id === input.externalId);
      if (adopted) return this.handle(adopted.id);
      const run: FakeCheckRun = {
        id: this.nextId++,
        name: input.name,
        headSha: input.headSha,
        external_id: input.externalId,
        status: "in_progress",
        conclusion: null,
        output: { title: "Reviewing…", summary: "Longview is reviewing this commit." },
        annotations: [],
        actions: [],
        progress: [],
        history: ["in_progress"],
      };
      this.checkRunList.push(run);
      void repo;
      return this.handle(run.id);
    });

  attachCheckRun = (_repo: Repo, id: number): CheckRunHandle => this.handle(id);

  cancelSupersededRuns = (_repo: Repo, input: Parameters<GitHubHost["cancelSupersededRuns"]>[1]): Promise<number> =>
    this.guard("cancelSupersededRuns", async () => {
      // GitHub's `filter: latest`: the newest run of that name on the old head.
      const latest = this.checkRun(input.oldSha, input.name);
      if (!latest || latest.status === "completed") return 0;
      await input.complete(this.handle(latest.id));
      return 1;
    });

  commitChecks = (repo: Repo, sha: string): Promise<CommitChecks> =>
    this.guard("commitChecks", () => {
      if (this.refused("checks: read")) return { kind: "missing-permission", permission: "checks: read" } as const;
      const redactor = createRedactor();
      const checks = this.ciChecks
        .filter((c) => c.repo === key(repo) && c.sha === sha)
        .map((c) => ({ ...c.check, output: boundedOutput(redactor, c.check.output) }));
      return { kind: "checks", checks, truncated: false } as const;
    });

  checkFailureDetails = (repo: Repo, check: Pick<CommitCheck, "id" | "app">): Promise<CheckFailureDetails> =>
    this.guard("checkFailureDetails", () => {
      if (this.refused("checks: read")) return { kind: "missing-permission", permission: "checks: read" } as const;
      const found = this.ciChecks.find((c) => c.repo === key(repo) && c.check.id === check.id);
      if (!found) throw gitHubError("not-found", `fake GitHub: no check run ${check.id}`);
      const redactor = createRedactor();
      const annotations = found.annotations.slice(0, MAX_CHECK_ANNOTATIONS).map((a) => ({
        ...a,
        title: boundedText(redactor, a.title, MAX_SHORT_CHARS),
        message: boundedText(redactor, a.message, MAX_SHORT_CHARS),
      }));
      const log: JobLog =
        found.check.app !== ACTIONS_APP_SLUG
          ? { kind: "none" }
          : this.refused("actions: read")
            ? { kind: "missing-permission", permission: "actions: read" }
            : found.log === null
              ? { kind: "gone", status: 404 }
              : { kind: "log", ...cleanJobLogText(found.log) };
      return {
        kind: "details",
        output: boundedOutput(redactor, found.check.output),
        annotations,
        annotationsTruncated: found.annotations.length > MAX_CHECK_ANNOTATIONS,
        log,
      } as const;
    });

  commitFiles = (input: Parameters<GitHubHost["commitFiles"]>[0]): Promise<FixCommit> =>
    this.guard("commitFiles", async () => {
      const stored = this.repoOf(input.repo);
      const current = stored.branches.get(input.branch) ?? null;
      if (current !== input.parentSha) throw new BranchMovedError(input.branch, input.parentSha, current);
      const base = [...stored.commits.values()].find((c) => c.treeSha === input.baseTreeSha) ?? this.commitOf(stored, input.parentSha);
      const files: Record<string, FakeFile> = {};
      for (const [path, content] of input.files) files[path] = { content, mode: input.modes.get(path) === "100755" ? "100755" : "100644" };
      // As GitHub: the app's bot is the author, GitHub the committer (it signs the commit).
      const sha = this.createCommitOn(input.repo, base, input.parentSha, files, input.message, { author: this.botIdentity, committer: GITHUB_COMMITTER });
      const commit: FixCommit = { sha, url: `https://github.com/${input.repo.owner}/${input.repo.repo}/commit/${sha}` };
      await input.beforeRefMove?.(commit);
      this.beforeBranchMoves.shift()?.(input.branch);
      // The update is a fast-forward from the parent only; anything else is refused (GitHub's 422).
      if (stored.branches.get(input.branch) !== input.parentSha)
        throw new BranchMovedError(input.branch, input.parentSha, stored.branches.get(input.branch) ?? null);
      stored.branches.set(input.branch, sha);
      this.commits.push({
        repo: key(input.repo),
        branch: input.branch,
        sha,
        parent: input.parentSha,
        message: input.message,
        files: new Map(input.files),
        modes: new Map(input.modes),
      });
      return commit;
    });

  settleCommit = (repo: Repo, branch: string, sha: string, parentSha: string): Promise<SettledCommit> =>
    this.guard("settleCommit", () => {
      const stored = this.repoOf(repo);
      const head = stored.branches.get(branch) ?? null;
      if (head === null) return { kind: "not-applied", head: null };
      if (head === sha || this.descends(stored, head, sha)) return { kind: "on-branch" };
      if (head !== parentSha || !stored.commits.has(sha)) return { kind: "not-applied", head };
      stored.branches.set(branch, sha);
      return { kind: "on-branch" };
    });

  access = (repo: Repo, username: string): Promise<AccessLevel> => this.guard("access", () => this.repoOf(repo).access.get(username) ?? "none");

  acknowledge = (_ref: PullRef, source: CommandSource): Promise<void> =>
    this.guard("acknowledge", () => {
      if (source.kind === "check-run") return;
      const on = source.kind;
      // GitHub keeps one reaction per user and content.
      if (!this.reactions.some((r) => r.on === on && r.commentId === source.commentId && r.user === this.bot && r.content === "eyes")) {
        this.reactions.push({ on, commentId: source.commentId, content: "eyes", user: this.bot });
      }
    });

  answer = (ref: PullRef, source: CommandSource, body: string, options: Parameters<GitHubHost["answer"]>[3]): Promise<void> =>
    this.guard("answer", () => {
      const answered = (source.kind === "review-comment" ? this.commentsOf(ref) : this.issueComments.filter((c) => c.pullNumber === ref.pullNumber)).some(
        (c) => c.user?.login === this.bot && parseAnswerMarker(c.body) === options.key,
      );
      if (options.lookFirst && answered) return;
      const text = answerText(body, options.key);
      if (source.kind === "review-comment") this.reply(ref, source.threadRootId, text);
      else this.issueComments.push({ id: this.nextId++, pullNumber: ref.pullNumber, user: { login: this.bot }, body: text });
    });

  // ── Inside ─────────────────────────────────────────────────────────────

  private async guard<T>(operation: FakeOperation, run: () => T | Promise<T>): Promise<T> {
    this.calls.push(operation);
    const delay = this.delays.get(operation);
    if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay));
    const pending = this.failures.find((f) => f.left > 0 && f.operation === operation);
    if (!pending) return run();
    pending.left--;
    const failure = pending.failure;
    if (failure.afterWrite) await run();
    if ("error" in failure) throw failure.error;
    throw gitHubError(failure.kind, failure.message ?? `fake GitHub: ${operation} failed (${failure.kind})`, failure.retryAfterMs ?? null);
  }

  /** Whether GitHub refuses this read for a withheld permission (using up one refusal). */
  private refused(permission: CiPermission): boolean {
    const left = this.withheld.get(permission) ?? 0;
    if (left <= 0) return false;
    this.withheld.set(permission, left - 1);
    return true;
  }

  private handle(id: number): CheckRunHandle {
    const run = () => {
      const found = this.checkRunList.find((r) => r.id === id);
      if (!found) throw gitHubError("not-found", "Not Found");
      return found;
    };
    return {
      id,
      progress: (done, total) =>
        this.guard("checkRun.progress", () => {
          const found = run();
          // As CheckRun: updates are throttled (10 s) except the last.
          const now = Date.now();
          if (done < total && now - (this.progressAt.get(id) ?? 0) < 10_000) return;
          this.progressAt.set(id, now);
          Object.assign(found, { status: "in_progress" });
          Object.assign(found.output, { title: `Reviewing… ${done}/${total} windows`, summary: `Reviewed ${done} of ${total} context windows.` });
          found.progress.push(`${done}/${total}`);
        }),
      complete: (outcome: CheckOutcome, actions: readonly CheckRunAction[] = []) =>
        this.guard("checkRun.complete", () => {
          const found = run();
          for (let i = 0; i < outcome.annotations.length; i += ANNOTATIONS_PER_REQUEST) {
            found.annotations.push(...outcome.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
          }
          Object.assign(found, { status: "completed", conclusion: outcome.conclusion });
          found.history.push(`completed:${outcome.conclusion}`);
          found.output.title = outcome.title;
          found.output.summary = outcome.summary;
          if (outcome.text) found.output.text = outcome.text;
          if (actions.length > 0) found.actions = actions.slice(0, 3).map((a) => ({ ...a }));
        }),
    };
  }

  private postComment(ref: PullRef, commitId: string, comment: Omit<ReviewComment, "id" | "user" | "html_url" | "commit_id">): number {
    const id = this.nextId++;
    const url = `https://github.com/${ref.owner}/${ref.repo}/pull/${ref.pullNumber}#discussion_r${id}`;
    this.reviewComments.push({ ...comment, id, user: { login: this.bot }, html_url: url, commit_id: commitId, pullNumber: ref.pullNumber });
    this.threads.set(id, { resolved: false, outdated: false });
    return id;
  }

  private reply(ref: PullRef, rootId: number, body: string): void {
    const root = this.reviewComments.find((c) => c.id === rootId && c.pullNumber === ref.pullNumber);
    if (!root) throw gitHubError("not-found", "Not Found");
    this.reviewComments.push({ id: this.nextId++, pullNumber: ref.pullNumber, user: { login: this.bot }, body, path: root.path, in_reply_to_id: rootId });
  }

  private commentsOf(ref: PullRef): ReviewComment[] {
    return this.reviewComments.filter((c) => c.pullNumber === ref.pullNumber).map(strip);
  }

  private repoOf(repo: Repo): StoredRepo {
    const stored = this.repos.get(key(repo));
    if (!stored) throw gitHubError("not-found", `fake GitHub: no repository ${key(repo)}`);
    return stored;
  }

  private pullOf(ref: PullRef): StoredPull {
    const pull = this.pulls.get(`${key(ref)}#${ref.pullNumber}`);
    if (!pull) throw gitHubError("not-found", "Not Found");
    return pull;
  }

  private headRepo(pull: StoredPull): Repo {
    return pull.input.headRepo ?? pull.repo;
  }

  private headSha(pull: StoredPull): string {
    const sha = this.repoOf(this.headRepo(pull)).branches.get(pull.input.head);
    if (!sha) throw gitHubError("not-found", `fake GitHub: the head branch ${pull.input.head} is gone`);
    return sha;
  }

  private pullJson(pull: StoredPull): PullRequest {
    const head = this.headRepo(pull);
    const files = pull.input.changeSet?.files ?? this.diff(pull, pull.baseSha, this.headSha(pull)).map((d) => d.file);
    return PullRequestSchema.parse({
      number: pull.number,
      title: pull.input.title ?? "A change",
      body: pull.input.body ?? "",
      state: pull.state,
      draft: pull.input.draft ?? false,
      merged: pull.input.merged ?? false,
      user: { login: pull.input.author ?? "alice", type: "User" },
      changed_files: files.length,
      additions: files.reduce((n, f) => n + f.additions, 0),
      deletions: files.reduce((n, f) => n + f.deletions, 0),
      maintainer_can_modify: pull.input.maintainerCanModify ?? false,
      head: { sha: this.headSha(pull), ref: pull.input.head, repo: { full_name: `${head.owner}/${head.repo}` } },
      base: { sha: pull.baseSha, ref: pull.input.base ?? this.repoOf(pull.repo).defaultBranch, repo: { full_name: `${pull.repo.owner}/${pull.repo.repo}` } },
    });
  }

  /** The files that differ between two commits, as GitHub's diff shows them (binary files without hunks). */
  private diff(pull: StoredPull, fromSha: string, toSha: string): { file: ChangedFile; headText: string | null }[] {
    const from = this.commitIn(pull, fromSha).files;
    const to = this.commitIn(pull, toSha).files;
    const paths = [...new Set([...from.keys(), ...to.keys()])].sort();
    const out: { file: ChangedFile; headText: string | null }[] = [];
    for (const path of paths) {
      const a = from.get(path);
      const b = to.get(path);
      if (a && b && a.bytes.equals(b.bytes) && a.mode === b.mode) continue;
      const status = !a ? "added" : !b ? "removed" : "modified";
      if ((a && looksBinary(a.bytes)) || (b && looksBinary(b.bytes))) {
        out.push({ file: { path, previousPath: null, status: "binary", hunks: [], additions: 0, deletions: 0 }, headText: null });
        continue;
      }
      const oldText = a?.bytes.toString("utf8") ?? "";
      const newText = b?.bytes.toString("utf8") ?? "";
      const file =
        oldText === newText
          ? { path, previousPath: null, status: "mode-only" as const, hunks: [], additions: 0, deletions: 0 }
          : computeFileDiff({ path, previousPath: null, status, oldText, newText });
      out.push({ file, headText: b ? newText : null });
    }
    return out;
  }

  /** A commit of the pull request: in its head repository, or (the base) in its own. */
  private commitIn(pull: StoredPull, sha: string): StoredCommit {
    return this.repoOf(this.headRepo(pull)).commits.get(sha) ?? this.commitOf(this.repoOf(pull.repo), sha);
  }

  private commitOf(stored: StoredRepo, sha: string): StoredCommit {
    const commit = stored.commits.get(sha);
    if (!commit) throw gitHubError("not-found", `No commit found for SHA: ${sha}`);
    return commit;
  }

  private createCommitOn(repo: Repo, base: StoredCommit, parent: string, files: FilesInput, message: string, people: CommitPeople): string {
    const stored = this.repoOf(repo);
    // The new tree is the base tree with the files replaced; the commit's parent is `parent`.
    const temp = `tree-${base.sha}`;
    stored.commits.set(temp, { ...base, sha: temp });
    const sha = this.createCommit(repo, temp, files, message, undefined, people);
    stored.commits.delete(temp);
    const made = stored.commits.get(sha)!;
    stored.commits.set(sha, { ...made, parents: [parent] });
    return sha;
  }

  private resolve(stored: StoredRepo, ref: string): string | null {
    return stored.branches.get(ref) ?? (stored.commits.has(ref) ? ref : null);
  }

  /** Whether `sha` has `ancestor` in its history. */
  private descends(stored: StoredRepo, sha: string, ancestor: string): boolean {
    const seen = new Set<string>();
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(stored.commits.get(next)?.parents ?? []));
    }
    return false;
  }
}

class FakeCommitSnapshot implements CommitSnapshot {
  readonly commitSha: string;
  readonly treeSha: string;

  constructor(private readonly stored: StoredCommit) {
    this.commitSha = stored.sha;
    this.treeSha = stored.treeSha;
  }

  entry(path: string): Promise<GitTreeEntry | null> {
    const file = this.stored.files.get(path);
    if (file) return Promise.resolve({ path, mode: file.mode, type: "blob", sha: blobSha(file.bytes), size: file.bytes.length });
    const isDir = [...this.stored.files.keys()].some((p) => p.startsWith(`${path}/`));
    return Promise.resolve(isDir ? { path, mode: "040000", type: "tree", sha: hash(`tree ${path}`) } : null);
  }

  async readText(path: string): Promise<FileRead> {
    const entry = await this.entry(path);
    const refused = uneditableEntry(entry);
    if (refused !== null || entry === null) return { ok: false, reason: refused ?? "it does not exist at the pull request's head" };
    return editableText(entry, this.stored.files.get(path)!.bytes);
  }
}

function treeHash(files: ReadonlyMap<string, StoredFile>): string {
  return hash([...files].map(([path, f]) => `${f.mode} ${path} ${blobSha(f.bytes)}`).join("\n"));
}

function summary(run: FakeCheckRun): CheckRunSummary {
  return { id: run.id, status: run.status, conclusion: run.conclusion, external_id: run.external_id };
}

function strip(comment: FakeReviewComment): ReviewComment {
  const { pullNumber: _pullNumber, ...rest } = comment;
  return rest;
}

/**
 * The CI loop after a fix is off in this fake unless a test's config turns it
 * on (`fix.followCi: true`): its deadline job would keep the queue busy (and
 * `idle()` waiting) for `fix.ciTimeout`, and tests of other parts would get a
 * "no CI" answer they do not expect. Invalid configs pass through untouched.
 */
function withoutCiFollowUp(config: unknown): unknown {
  if (config !== null && config !== undefined && (typeof config !== "object" || Array.isArray(config))) return config;
  const raw = (config ?? {}) as Record<string, unknown>;
  const fix = raw["fix"];
  if (fix !== undefined && (typeof fix !== "object" || fix === null || Array.isArray(fix))) return config;
  const fixObject = (fix ?? {}) as Record<string, unknown>;
  return "followCi" in fixObject ? config : { ...raw, fix: { ...fixObject, followCi: false } };
}

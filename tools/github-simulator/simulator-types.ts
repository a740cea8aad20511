import type { Logger } from "pino";
import type { SimCi } from "./ci-types.js";
import type { FaultInjector } from "./faults.js";
import type { Permission, ReactionContent } from "./state.js";
import type { CheckRunView, CheckSuiteView, IssueCommentView, ReactionView, ReviewCommentView, ReviewView, ThreadView } from "./state-views.js";
import type { CommitInput, RepoName, RequestLogEntry, SimulatorEvent, Violation, WebhookDelivery, WebhookHandler } from "./types.js";
import type { SimulatorLimits } from "./world.js";

/** The simulator's API for tests and demos. */

export interface SimulatorOptions {
  readonly host?: string;
  /** 0 (default) picks a free port; read it from `sim.port`. */
  readonly port?: number;
  readonly appId?: number;
  readonly appSlug?: string;
  readonly webhookSecret?: string;
  /** The app's RSA private key (PEM). Default: one key generated per process and shared by its simulators. */
  readonly privateKey?: string;
  /** Lifetime of installation tokens (GitHub: one hour). */
  readonly tokenTtlSeconds?: number;
  readonly limits?: Partial<SimulatorLimits>;
  /** Validate requests, responses and webhook payloads against GitHub's OpenAPI description (default true). */
  readonly validate?: boolean;
  readonly logger?: Logger;
  /** Clock for timestamps, token expiry and JWT checks. */
  readonly now?: () => Date;
  readonly onWebhook?: WebhookHandler;
}

export interface SimApp {
  readonly id: number;
  readonly slug: string;
  /** PEM (PKCS#1) private key, as GitHub hands it out. */
  readonly privateKey: string;
  readonly webhookSecret: string;
  /** Login of the app's bot user, the author of everything the app posts. */
  readonly botLogin: string;
}

export interface CreateRepoInput {
  readonly owner: string;
  readonly name: string;
  readonly defaultBranch?: string;
  readonly private?: boolean;
  /** Whether the app is installed on the owner (default true). */
  readonly installed?: boolean;
  readonly ownerType?: "User" | "Organization";
  /** Commits on the default branch, oldest first. */
  readonly commits?: readonly CommitInput[];
  /** More branches, each from a ref (default: the default branch) with its own commits. */
  readonly branches?: Readonly<Record<string, { readonly from?: string; readonly commits: readonly CommitInput[] }>>;
}

export interface SimRepo {
  readonly fullName: RepoName;
  readonly owner: string;
  readonly name: string;
  readonly id: number;
  readonly defaultBranch: string;
  readonly installationId: number | null;
  /** The bare git repository on disk. */
  readonly gitDir: string;
}

export interface CreatePullRequestInput {
  readonly repo: RepoName;
  /** Branch in `repo`, or "owner:branch" for a fork's branch. */
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body?: string | null;
  readonly draft?: boolean;
  /** Author login; defaults to the head repository's owner. */
  readonly user?: string;
  readonly maintainerCanModify?: boolean;
}

export interface CreatedPullRequest {
  readonly number: number;
  readonly headSha: string;
  /** GitHub's `pull-request` JSON. */
  readonly pullRequest: Record<string, unknown>;
  /** Ready-to-deliver `pull_request.opened` payload. */
  readonly payload: Record<string, unknown>;
  readonly event: SimulatorEvent;
}

export interface PushResult {
  readonly sha: string;
  /** `pull_request.synchronize` events for the pull requests whose head moved. */
  readonly events: readonly SimulatorEvent[];
}

export interface StateReader {
  reviews(repo: RepoName, pullNumber: number): ReviewView[];
  reviewComments(repo: RepoName, pullNumber: number): ReviewCommentView[];
  threads(repo: RepoName, pullNumber: number): ThreadView[];
  issueComments(repo: RepoName, issueNumber: number): IssueCommentView[];
  reactions(): ReactionView[];
  /** Check runs of every app (Longview's and the CI's; `app` tells them apart). */
  checkRuns(repo: RepoName, headSha?: string): CheckRunView[];
  checkSuites(repo: RepoName, headSha?: string): CheckSuiteView[];
  pullRequest(
    repo: RepoName,
    pullNumber: number,
  ): { readonly headSha: string; readonly headRef: string; readonly baseRef: string; readonly draft: boolean; readonly state: string };
  /** Commits of a branch, newest first. */
  commits(repo: RepoName, branch: string): Promise<{ readonly sha: string; readonly message: string; readonly parents: readonly string[] }[]>;
  /** A file's content at a ref, or null when absent. */
  fileAt(repo: RepoName, ref: string, path: string): Promise<string | null>;
  branchTip(repo: RepoName, branch: string): Promise<string | null>;
}

export interface Simulator {
  /** REST base URL, e.g. http://127.0.0.1:PORT/api/v3 (Octokit's `baseUrl`). */
  readonly url: string;
  readonly port: number;
  /** "127.0.0.1:PORT", for Probot's GHE_HOST (with GHE_PROTOCOL=http). */
  readonly host: string;
  readonly app: SimApp;
  readonly faults: FaultInjector;
  readonly state: StateReader;
  readonly requests: readonly RequestLogEntry[];
  readonly violations: readonly Violation[];
  /** Errors thrown by webhook handlers given to `onWebhook`. */
  readonly webhookErrors: readonly unknown[];
  /** Webhooks sent by `forwardWebhooks`, with the receiver's status. */
  readonly deliveries: readonly WebhookDelivery[];
  /** The repository's own CI (GitHub Actions or another CI app), scripted by the test. */
  readonly ci: SimCi;
  installationId(owner: string): number | null;
  /**
   * A fresh installation token for the owner's installation, as GitHub Actions hands a workflow its `GITHUB_TOKEN`;
   * `readOnly`: every write answers 403 "Resource not accessible by integration", as the token of a fork's pull request does.
   */
  installationToken(owner: string, options?: { readonly readOnly?: boolean }): string;
  createRepo(input: CreateRepoInput): Promise<SimRepo>;
  forkRepo(repo: RepoName, input: { readonly owner: string; readonly name?: string; readonly installed?: boolean }): Promise<SimRepo>;
  createBranch(repo: RepoName, branch: string, from: string): Promise<string>;
  createPullRequest(input: CreatePullRequestInput): Promise<CreatedPullRequest>;
  pushCommit(repo: RepoName, branch: string, commit: CommitInput, options?: { readonly sender?: string }): Promise<PushResult>;
  /** `git push --force`: the branch is reset to `commit` made on top of `onto` (its files are changes relative to `onto`). */
  forcePush(repo: RepoName, branch: string, onto: string, commit: CommitInput, options?: { readonly sender?: string }): Promise<PushResult>;
  setPermission(repo: RepoName, user: string, permission: Permission): void;
  /** A person reacts to a review comment in the web page (e.g. 👎 is `-1`); GitHub sends no webhook for reactions. */
  reactToReviewComment(repo: RepoName, commentId: number, user: string, content: ReactionContent): void;
  /**
   * A person resolves (or unresolves) the review thread that starts with `commentId` in the web page
   * (the `pull_request_review_thread` webhook is not emitted: Longview does not subscribe to it).
   */
  resolveThread(repo: RepoName, commentId: number, user: string, resolved?: boolean): void;
  /** Expires every installation token issued so far. */
  expireTokens(): void;
  /** Receives every webhook event the simulator emits; returns an unsubscribe function. */
  onWebhook(handler: WebhookHandler): () => void;
  /**
   * Delivers every event from now on to `url` as GitHub would (signed with the app's webhook secret,
   * one at a time in order); `events` limits it to those event names. A failed delivery lands in
   * `webhookErrors`. Returns an unsubscribe function.
   */
  forwardWebhooks(url: string, options?: { readonly events?: readonly string[] }): () => void;
  /** Waits until emitted events have been handled. */
  settleWebhooks(): Promise<void>;
  close(): Promise<void>;
}

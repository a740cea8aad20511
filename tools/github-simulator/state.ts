import type { KeyObject } from "node:crypto";
import type { GitRepository } from "./git-repo.js";
import type { DiffSide } from "./patch-lines.js";

/**
 * The simulator's in-memory world. Records are plain data; the routes and the
 * test API change them, the renderers turn them into GitHub's JSON.
 */

export type Permission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface UserRecord {
  readonly id: number;
  readonly login: string;
  readonly type: "User" | "Bot" | "Organization";
}

/** A GitHub App as other apps see it: Longview itself, GitHub Actions or another CI app. */
export interface IntegrationRecord {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
  readonly clientId: string;
  readonly owner: UserRecord;
  readonly bot: UserRecord;
  readonly createdAt: Date;
  readonly permissions: Readonly<Record<string, string>>;
  readonly events: readonly string[];
}

/** The app under test: an integration with its keys and webhook secret. */
export interface AppRecord extends IntegrationRecord {
  readonly publicKey: KeyObject;
  readonly privateKeyPem: string;
  readonly webhookSecret: string;
}

export interface InstallationRecord {
  readonly id: number;
  readonly account: UserRecord;
  readonly createdAt: Date;
}

export interface RepoRecord {
  readonly id: number;
  readonly owner: UserRecord;
  readonly name: string;
  readonly fullName: string;
  readonly defaultBranch: string;
  readonly private: boolean;
  readonly git: GitRepository;
  readonly parent: RepoRecord | null;
  /** The installation that covers this repository; null when the app is not installed on it. */
  readonly installationId: number | null;
  readonly createdAt: Date;
  pushedAt: Date;
  readonly permissions: Map<string, Permission>;
  /** Issues and pull requests share one number sequence per repository, as on GitHub. */
  nextNumber: number;
}

export interface PullRecord {
  readonly id: number;
  readonly number: number;
  readonly repo: RepoRecord;
  readonly headRepo: RepoRecord;
  readonly headRef: string;
  readonly baseRef: string;
  headSha: string;
  title: string;
  body: string | null;
  draft: boolean;
  state: "open" | "closed";
  readonly user: UserRecord;
  readonly maintainerCanModify: boolean;
  readonly createdAt: Date;
  updatedAt: Date;
}

export type ReviewState = "PENDING" | "COMMENTED" | "APPROVED" | "CHANGES_REQUESTED";

export interface ReviewRecord {
  readonly id: number;
  readonly repo: RepoRecord;
  readonly pullNumber: number;
  readonly user: UserRecord;
  readonly body: string;
  readonly state: ReviewState;
  readonly commitId: string;
  readonly submittedAt: Date | null;
}

export interface ReviewCommentRecord {
  readonly id: number;
  readonly repo: RepoRecord;
  readonly pullNumber: number;
  readonly reviewId: number;
  readonly user: UserRecord;
  body: string;
  readonly path: string;
  readonly commitId: string;
  readonly line: number | null;
  readonly side: DiffSide | null;
  readonly startLine: number | null;
  readonly startSide: DiffSide | null;
  readonly position: number | null;
  readonly diffHunk: string;
  readonly subjectType: "line" | "file";
  readonly inReplyToId: number | null;
  readonly threadId: number;
  readonly createdAt: Date;
  updatedAt: Date;
}

export interface ThreadRecord {
  readonly id: number;
  readonly repo: RepoRecord;
  readonly pullNumber: number;
  readonly rootCommentId: number;
  isResolved: boolean;
  resolvedBy: UserRecord | null;
}

export interface IssueCommentRecord {
  readonly id: number;
  readonly repo: RepoRecord;
  readonly issueNumber: number;
  readonly user: UserRecord;
  body: string;
  readonly createdAt: Date;
  updatedAt: Date;
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export interface ReactionRecord {
  readonly id: number;
  readonly subject: { readonly type: "issue_comment" | "review_comment"; readonly id: number };
  readonly user: UserRecord;
  readonly content: ReactionContent;
  readonly createdAt: Date;
}

export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly start_column?: number;
  readonly end_column?: number;
  readonly annotation_level: "notice" | "warning" | "failure";
  readonly message: string;
  readonly title?: string;
  readonly raw_details?: string;
}

export interface CheckAction {
  readonly label: string;
  readonly description: string;
  readonly identifier: string;
}

export type CheckStatus = "queued" | "in_progress" | "completed" | "waiting" | "requested" | "pending";

export interface CheckRunRecord {
  readonly id: number;
  readonly repo: RepoRecord;
  readonly headSha: string;
  name: string;
  status: CheckStatus;
  conclusion: string | null;
  startedAt: Date;
  completedAt: Date | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  readonly annotations: CheckAnnotation[];
  actions: readonly CheckAction[];
  readonly checkSuiteId: number;
  /** The app that created the run; only it may update the run. */
  readonly app: IntegrationRecord;
}

/**
 * One app's check suite for one commit. Status and conclusion are derived
 * from its check runs (see `suiteStatus`), as on GitHub.
 */
export interface CheckSuiteRecord {
  readonly id: number;
  readonly repo: RepoRecord;
  readonly app: IntegrationRecord;
  readonly headSha: string;
  readonly headBranch: string | null;
  /** The branch tip before the push that created the suite; null when unknown. */
  readonly before: string | null;
  readonly createdAt: Date;
  updatedAt: Date;
}

/** A GitHub Actions workflow file of a repository. */
export interface WorkflowRecord {
  readonly id: number;
  readonly repo: RepoRecord;
  readonly name: string;
  readonly path: string;
  readonly createdAt: Date;
}

export interface WorkflowRunRecord {
  readonly id: number;
  readonly repo: RepoRecord;
  readonly workflow: WorkflowRecord;
  readonly runNumber: number;
  readonly checkSuiteId: number;
  readonly headSha: string;
  readonly headBranch: string | null;
  readonly event: "push" | "pull_request";
  readonly actor: UserRecord;
  readonly displayTitle: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  readonly createdAt: Date;
  updatedAt: Date;
  runStartedAt: Date;
}

/** A job of a workflow run. Its id is its check run's id, as on GitHub. */
export interface WorkflowJobRecord {
  readonly id: number;
  readonly runId: number;
  readonly repo: RepoRecord;
  readonly name: string;
  status: "queued" | "in_progress" | "completed";
  conclusion: string | null;
  readonly createdAt: Date;
  startedAt: Date;
  completedAt: Date | null;
  /** The job's log as GitHub serves it (timestamped lines); null until the job completes. */
  log: string | null;
}

const ID_OFFSETS = {
  installation: 100,
  user: 1_000,
  repo: 20_000,
  pull: 300_000,
  review: 400_000,
  comment: 500_000,
  thread: 600_000,
  reaction: 700_000,
  check: 800_000,
  suite: 900_000,
  workflow: 1_100_000,
  run: 1_200_000,
  app: 1_300_000,
} as const;

export class SimState {
  readonly users = new Map<string, UserRecord>();
  readonly installations = new Map<number, InstallationRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly pulls: PullRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly reviewComments: ReviewCommentRecord[] = [];
  readonly threads: ThreadRecord[] = [];
  readonly issueComments: IssueCommentRecord[] = [];
  readonly reactions: ReactionRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly checkSuites: CheckSuiteRecord[] = [];
  readonly workflows: WorkflowRecord[] = [];
  readonly workflowRuns: WorkflowRunRecord[] = [];
  readonly workflowJobs: WorkflowJobRecord[] = [];
  readonly #counters = new Map<string, number>();

  constructor(readonly now: () => Date) {}

  /** Ids per kind, from distinct ranges so a stray id of the wrong kind never matches. */
  nextId(kind: keyof typeof ID_OFFSETS): number {
    const next = (this.#counters.get(kind) ?? ID_OFFSETS[kind]) + 1;
    this.#counters.set(kind, next);
    return next;
  }

  user(login: string, type: UserRecord["type"] = "User"): UserRecord {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = { id: this.nextId("user"), login, type };
      this.users.set(key, user);
    }
    return user;
  }

  repo(owner: string, name: string): RepoRecord | null {
    return this.repos.get(`${owner}/${name}`.toLowerCase()) ?? null;
  }

  pull(repo: RepoRecord, number: number): PullRecord | null {
    return this.pulls.find((p) => p.repo === repo && p.number === number) ?? null;
  }

  reviewComment(repo: RepoRecord, id: number): ReviewCommentRecord | null {
    return this.reviewComments.find((c) => c.repo === repo && c.id === id) ?? null;
  }

  issueComment(repo: RepoRecord, id: number): IssueCommentRecord | null {
    return this.issueComments.find((c) => c.repo === repo && c.id === id) ?? null;
  }

  checkRun(repo: RepoRecord, id: number): CheckRunRecord | null {
    return this.checkRuns.find((c) => c.repo === repo && c.id === id) ?? null;
  }

  checkSuite(repo: RepoRecord, id: number): CheckSuiteRecord | null {
    return this.checkSuites.find((s) => s.repo === repo && s.id === id) ?? null;
  }

  /** The app's suite for a commit, created on first use (GitHub makes one per app and commit). */
  suiteFor(repo: RepoRecord, app: IntegrationRecord, headSha: string, headBranch: string | null, before: string | null = null): CheckSuiteRecord {
    const existing = this.checkSuites.find((s) => s.repo === repo && s.app.id === app.id && s.headSha === headSha);
    return existing ?? this.newSuite(repo, app, headSha, headBranch, before);
  }

  /** A new suite even when the app has one for the commit: GitHub Actions makes one per workflow run. */
  newSuite(repo: RepoRecord, app: IntegrationRecord, headSha: string, headBranch: string | null, before: string | null): CheckSuiteRecord {
    const now = this.now();
    const suite: CheckSuiteRecord = { id: this.nextId("suite"), repo, app, headSha, headBranch, before, createdAt: now, updatedAt: now };
    this.checkSuites.push(suite);
    return suite;
  }

  /** A suite's check runs, oldest first. */
  suiteRuns(suite: CheckSuiteRecord): CheckRunRecord[] {
    return this.checkRuns.filter((r) => r.repo === suite.repo && r.checkSuiteId === suite.id);
  }

  workflowRun(repo: RepoRecord, id: number): WorkflowRunRecord | null {
    return this.workflowRuns.find((r) => r.repo === repo && r.id === id) ?? null;
  }

  workflowJob(repo: RepoRecord, id: number): WorkflowJobRecord | null {
    return this.workflowJobs.find((j) => j.repo === repo && j.id === id) ?? null;
  }
}

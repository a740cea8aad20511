import { z } from "zod";

/**
 * The parts of GitHub payloads and responses Longview reads, validated once at
 * the edge. Unknown fields pass through untouched; missing ones fail loudly.
 */

const Account = z.object({ login: z.string(), type: z.string().optional() });

/** The authenticated user (`GET /user`): who a personal access token acts as. */
export const UserSchema = Account;

/** A full commit SHA (SHA-1, or SHA-256 repositories): what a review job is keyed on. */
export const CommitShaSchema = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, "a full commit SHA");

/** GitHub's limit on owner and repository names; events must satisfy the jobs they become. */
const Name = z.string().min(1).max(100);

/** The installation a webhook came through (absent outside GitHub Apps). */
const InstallationRef = z.object({ id: z.number().int().positive() });

export const RepositorySchema = z.object({
  name: Name,
  full_name: z.string(),
  owner: Account.extend({ login: Name }),
  default_branch: z.string().optional(),
});

export const PullRequestSchema = z.object({
  number: z.number().int().positive(),
  title: z.string(),
  body: z
    .string()
    .nullable()
    .optional()
    .transform((b) => b ?? ""),
  state: z.string(),
  draft: z.boolean().optional().default(false),
  merged: z.boolean().nullable().optional(),
  user: Account.nullable(),
  changed_files: z.number().int().nonnegative().optional(),
  additions: z.number().int().nonnegative().optional(),
  deletions: z.number().int().nonnegative().optional(),
  maintainer_can_modify: z.boolean().optional(),
  head: z.object({ sha: z.string(), ref: z.string(), repo: z.object({ full_name: z.string() }).nullable() }),
  base: z.object({ sha: z.string(), ref: z.string(), repo: z.object({ full_name: z.string() }) }),
});
export type PullRequest = z.infer<typeof PullRequestSchema>;

export const PullRequestEventSchema = z.object({
  action: z.string(),
  installation: InstallationRef.optional(),
  repository: RepositorySchema,
  pull_request: PullRequestSchema.extend({ head: PullRequestSchema.shape.head.extend({ sha: CommitShaSchema }) }),
  sender: Account,
  before: CommitShaSchema.optional(),
  after: z.string().optional(),
});
export type PullRequestEvent = z.infer<typeof PullRequestEventSchema>;

export const PullRequestFileSchema = z.object({
  sha: z.string().nullable().optional(),
  filename: z.string(),
  status: z.enum(["added", "removed", "modified", "renamed", "copied", "changed", "unchanged"]),
  additions: z.number().int().nonnegative(),
  deletions: z.number().int().nonnegative(),
  changes: z.number().int().nonnegative(),
  patch: z.string().optional(),
  previous_filename: z.string().optional(),
});
export type PullRequestFile = z.infer<typeof PullRequestFileSchema>;

export const BlobSchema = z.object({
  content: z.string(),
  encoding: z.string(),
  size: z.number().int().nullable().optional(),
});

export const ContentFileSchema = z.object({
  type: z.literal("file"),
  sha: z.string(),
  size: z.number().int(),
  content: z.string().optional(),
  encoding: z.string().optional(),
});

const PullRequestLink = z.object({ number: z.number().int().positive() });

/** A check suite's or workflow run's `head_commit` (GitHub's `simple-commit`): only its message is read. */
const HeadCommit = z.object({ message: z.string() }).nullable().optional();

export const CheckRunEventSchema = z.object({
  action: z.string(),
  installation: InstallationRef.optional(),
  repository: RepositorySchema,
  // "Fix all" turns the sender into a command job's sender.
  sender: Account.extend({ login: Name }),
  check_run: z.object({
    id: z.number().int().positive(),
    name: z.string(),
    head_sha: CommitShaSchema,
    pull_requests: z.array(PullRequestLink),
  }),
  requested_action: z.object({ identifier: z.string() }).nullable().optional(),
});
export type CheckRunEvent = z.infer<typeof CheckRunEventSchema>;

export const CheckSuiteEventSchema = z.object({
  action: z.string(),
  installation: InstallationRef.optional(),
  repository: RepositorySchema,
  sender: Account,
  check_suite: z.object({
    id: z.number().int(),
    head_sha: CommitShaSchema,
    pull_requests: z.array(PullRequestLink),
    // Which app's suite (Longview's own completes too), and the commit's message (is it a Longview fix?).
    app: z.object({ slug: z.string().optional() }).nullable().optional(),
    head_commit: HeadCommit,
  }),
});
export type CheckSuiteEvent = z.infer<typeof CheckSuiteEventSchema>;

/** `workflow_run`: a GitHub Actions run; `completed` is what the CI loop after a fix waits for. */
export const WorkflowRunEventSchema = z.object({
  action: z.string(),
  installation: InstallationRef.optional(),
  repository: RepositorySchema,
  sender: Account,
  workflow_run: z.object({
    id: z.number().int(),
    head_sha: CommitShaSchema,
    pull_requests: z.array(PullRequestLink),
    head_commit: HeadCommit,
  }),
});
export type WorkflowRunEvent = z.infer<typeof WorkflowRunEventSchema>;

/** `GET /app`: the App itself (its slug names its bot account, `slug[bot]`). */
/** One check run as `GET …/commits/{ref}/check-runs` lists it: what Longview decides on. */
export const CheckRunSummarySchema = z.object({
  id: z.number().int().positive(),
  status: z.string(),
  conclusion: z.string().nullable(),
  external_id: z.string().nullable(),
});
export type CheckRunSummary = z.infer<typeof CheckRunSummarySchema>;
export const CheckRunListSchema = z.object({ total_count: z.number().int(), check_runs: z.array(CheckRunSummarySchema) });

export const AppSchema = z.object({ id: z.number().int(), slug: z.string().min(1) });

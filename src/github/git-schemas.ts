import { z } from "zod";

/**
 * What the fix flow reads from GitHub (review comments, review threads, git
 * objects), validated once at the edge.
 */

const User = z.object({ login: z.string(), type: z.string().optional() });

/** A review (line or file) comment, as webhooks and `GET /pulls/comments/{id}` show it. */
export const ReviewCommentSchema = z.object({
  id: z.number().int(),
  body: z
    .string()
    .nullable()
    .transform((b) => b ?? ""),
  user: User.nullable(),
  path: z.string(),
  /** Null when the comment is outdated (its line left the diff) or on the whole file. */
  line: z.number().int().nullable().optional(),
  start_line: z.number().int().nullable().optional(),
  original_line: z.number().int().nullable().optional(),
  side: z.enum(["LEFT", "RIGHT"]).nullable().optional(),
  subject_type: z.string().nullable().optional(),
  in_reply_to_id: z.number().int().nullable().optional(),
  pull_request_url: z.string().optional(),
  html_url: z.string().optional(),
  commit_id: z.string().optional(),
  /** GitHub's reaction counts; a 👎 count tells whether the reactions are worth listing. */
  reactions: z.object({ "-1": z.number().int().min(0).optional() }).optional(),
});
export type ReviewComment = z.infer<typeof ReviewCommentSchema>;

/** The `reviewThreads` page of the GraphQL query in fix/review-threads.ts. */
/** `GET /repos/{o}/{r}/pulls/comments/{id}/reactions`: who reacted, and how. */
export const ReactionSchema = z.object({ content: z.string(), user: User.nullable() });

/** `GET /repos/{o}/{r}/git/commits/{sha}`. */
export const GitCommitSchema = z.object({ sha: z.string(), tree: z.object({ sha: z.string() }) });

export const GitTreeEntrySchema = z.object({
  path: z.string(),
  mode: z.string(),
  type: z.string(),
  sha: z.string(),
  size: z.number().int().optional(),
});
export type GitTreeEntry = z.infer<typeof GitTreeEntrySchema>;

/** `GET /repos/{o}/{r}/git/trees/{sha}` (with or without `recursive`). */
export const GitTreeSchema = z.object({ sha: z.string(), tree: z.array(GitTreeEntrySchema), truncated: z.boolean().optional() });

/** `POST /repos/{o}/{r}/git/commits`. */
export const CreatedCommitSchema = z.object({ sha: z.string(), html_url: z.string().optional() });

/** `POST /repos/{o}/{r}/git/blobs` and `…/git/trees`: only the new object's id matters. */
export const CreatedObjectSchema = z.object({ sha: z.string() });

/** `GET /repos/{o}/{r}/git/ref/{ref}`. */
export const GitRefSchema = z.object({ object: z.object({ sha: z.string() }) });

/** `GET /repos/{o}/{r}/compare/{base}...{head}`: only how the two commits relate. */
export const CompareStatusSchema = z.object({ status: z.enum(["diverged", "ahead", "behind", "identical"]) });

const GitPersonSchema = z.object({ name: z.string(), email: z.string() }).nullable();

/** One commit of `GET /repos/{o}/{r}/pulls/{n}/commits`: who wrote and who committed it (git's identities, not accounts). */
export const PullCommitSchema = z.object({
  sha: z.string(),
  commit: z.object({ message: z.string(), author: GitPersonSchema, committer: GitPersonSchema }),
  parents: z.array(z.object({ sha: z.string() })),
});

import { z } from "zod";
import { ReviewCommentSchema } from "../github/git-schemas.js";
import { RepositorySchema } from "../github/schemas.js";

/**
 * The parts of comment events and responses the `/agent` commands read,
 * validated once at the edge. Unknown fields pass through untouched.
 */

const User = z.object({ login: z.string(), type: z.string().optional() });

// What a command job requires of the fields it copies, checked at the edge: a bad delivery is refused, not failed.
const Sender = User.extend({ login: z.string().min(1).max(100) });
const CommentId = z.number().int().positive();
const CommentUrl = z.string().max(2_000);

export const IssueCommentEventSchema = z.object({
  action: z.string(),
  repository: RepositorySchema,
  sender: Sender,
  issue: z.object({
    number: z.number().int().positive(),
    state: z.string().optional(),
    /** Present only when the issue is a pull request. */
    pull_request: z.object({ url: z.string().optional() }).passthrough().nullable().optional(),
  }),
  comment: z.object({
    id: CommentId,
    body: z
      .string()
      .nullable()
      .transform((b) => b ?? ""),
    user: User.nullable(),
    html_url: CommentUrl.optional(),
  }),
});
export type IssueCommentEvent = z.infer<typeof IssueCommentEventSchema>;

export const ReviewCommentEventSchema = z.object({
  action: z.string(),
  repository: RepositorySchema,
  sender: Sender,
  pull_request: z.object({ number: z.number().int().positive() }),
  comment: ReviewCommentSchema.extend({ id: CommentId, in_reply_to_id: CommentId.optional(), html_url: CommentUrl.optional() }),
});
export type ReviewCommentEvent = z.infer<typeof ReviewCommentEventSchema>;

/** The installation an event came through: review jobs and fix commits act as that installation. */
export const InstallationPayloadSchema = z.object({ installation: z.object({ id: z.number().int().positive() }).optional() });

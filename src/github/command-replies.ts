import { createHash } from "node:crypto";
import type { Logger } from "pino";
import { z } from "zod";
import type { GitHub, PullRef } from "./client.js";
import { NO_PLUGIN_RETRY, writeOnce } from "./idempotent-write.js";
import { truncate } from "../markdown/untrusted.js";
import { answerMarker, parseAnswerMarker } from "./markers.js";

/**
 * Where a command came from, and so where Longview acknowledges it and
 * answers: the conversation, a review thread, or the check run's button
 * (answered on the conversation).
 */
export type CommandSource =
  | { readonly kind: "issue-comment"; readonly commentId: number }
  /** `threadRootId`: GitHub only accepts replies to a thread's first comment. */
  | { readonly kind: "review-comment"; readonly commentId: number; readonly threadRootId: number }
  | { readonly kind: "check-run"; readonly checkRunId: number };

/** The same, as plain JSON in a job or a marker. */
export const CommandSourceSchema: z.ZodType<CommandSource> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("issue-comment"), commentId: z.number().int().positive() }),
  z.object({ kind: z.literal("review-comment"), commentId: z.number().int().positive(), threadRootId: z.number().int().positive() }),
  z.object({ kind: z.literal("check-run"), checkRunId: z.number().int().positive() }),
]);

/**
 * 👀 on the comment: the command was seen and is being handled. Left to
 * Octokit's retries: GitHub keeps one reaction per user and content, and
 * answers a repeated one with the existing reaction, so a re-sent request
 * cannot add a second.
 */
export async function acknowledge(gh: GitHub, ref: PullRef, source: CommandSource): Promise<void> {
  const { owner, repo } = ref;
  if (source.kind === "issue-comment") {
    await gh.rest.reactions.createForIssueComment({ owner, repo, comment_id: source.commentId, content: "eyes" });
  } else if (source.kind === "review-comment") {
    await gh.rest.reactions.createForPullRequestReviewComment({ owner, repo, comment_id: source.commentId, content: "eyes" });
  }
}

/** How one command job answers: once, whatever fails on the way. */
export interface AnswerOptions {
  /** The command job's identity (`answerKey`), carried by its answer in a hidden marker. */
  readonly key: string;
  /** An earlier attempt of the job may have answered already: look before sending. */
  readonly lookFirst: boolean;
  /** Longview's own login: only its comments count as answers. */
  readonly botLogin: () => Promise<string>;
  readonly log: Logger;
}

/** The key of a command job's answer: one per webhook delivery and pull request, as the job itself. */
export function answerKey(deliveryId: string, ref: PullRef): string {
  return createHash("sha256").update(`${deliveryId}|${ref.owner}/${ref.repo}#${ref.pullNumber}`.toLowerCase()).digest("hex").slice(0, 16);
}

/** GitHub's limit on a comment's body. */
const MAX_COMMENT_CHARS = 65_536;

/**
 * Posts the answer, exactly once: never re-sent blindly after a 5xx (GitHub
 * may have stored it), and not at all when an earlier attempt of the job
 * already posted it.
 */
export async function reply(gh: GitHub, ref: PullRef, source: CommandSource, body: string, options: AnswerOptions): Promise<void> {
  const text = answerText(body, options.key);
  const find = async () => ((await answered(gh, ref, source, options)) ? true : null);
  if (options.lookFirst && (await find()) !== null) {
    options.log.info("the command was already answered by an earlier attempt; not answering again");
    return;
  }
  await writeOnce({ what: "answering the command", log: options.log, write: () => post(gh, ref, source, text), find });
}

/** The answer as posted: within GitHub's limit, ending in the hidden marker of the job's key. */
export function answerText(body: string, key: string): string {
  const marker = answerMarker(key);
  return `${truncate(body, MAX_COMMENT_CHARS - marker.length - 2)}\n\n${marker}`;
}

async function post(gh: GitHub, ref: PullRef, source: CommandSource, body: string): Promise<true> {
  const { owner, repo, pullNumber } = ref;
  if (source.kind === "review-comment") {
    await gh.rest.pulls.createReplyForReviewComment({ owner, repo, pull_number: pullNumber, comment_id: source.threadRootId, body, request: NO_PLUGIN_RETRY });
  } else {
    await gh.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body, request: NO_PLUGIN_RETRY });
  }
  return true;
}

const CommentSchema = z.object({ body: z.string().nullable().optional(), user: z.object({ login: z.string() }).nullable().optional() });

/** Whether Longview's answer with this key is on the pull request (in the thread, or on the conversation). */
async function answered(gh: GitHub, ref: PullRef, source: CommandSource, options: AnswerOptions): Promise<boolean> {
  const bot = await options.botLogin();
  const params = { owner: ref.owner, repo: ref.repo, per_page: 100 };
  const comments: unknown[] =
    source.kind === "review-comment"
      ? await gh.paginate(gh.rest.pulls.listReviewComments, { ...params, pull_number: ref.pullNumber })
      : await gh.paginate(gh.rest.issues.listComments, { ...params, issue_number: ref.pullNumber });
  return comments.some((c) => {
    const comment = CommentSchema.safeParse(c);
    return comment.success && comment.data.user?.login === bot && parseAnswerMarker(comment.data.body) === options.key;
  });
}

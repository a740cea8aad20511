import type { Logger } from "pino";
import type { GitHub, PullRef } from "./client.js";
import { ReviewCommentSchema, type ReviewComment } from "./git-schemas.js";
import { NO_PLUGIN_RETRY, writeOnce } from "./idempotent-write.js";
import { longviewState, parseStateListings, type FindingThread, type LongviewState } from "./longview-state.js";
import { readReviewThreads, resolveReviewThread, type ThreadState } from "./review-threads.js";

/**
 * Longview's state on a pull request, read from GitHub: its reviews and
 * review comments (REST) and their threads (GraphQL), then
 * `longviewState` — the one definition of what it said and what is still
 * open.
 */
export async function readLongviewState(gh: GitHub, ref: PullRef, botLogin: string, log: Logger): Promise<LongviewState> {
  const params = { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, per_page: 100 };
  const [reviews, comments] = await Promise.all([gh.paginate(gh.rest.pulls.listReviews, params), gh.paginate(gh.rest.pulls.listReviewComments, params)]);
  const listings = parseStateListings({ reviews, comments });
  const hasThreads = listings.comments.some((c) => c.in_reply_to_id === undefined || c.in_reply_to_id === null);
  const threads = hasThreads ? await readReviewThreads(gh, ref) : new Map<number, ThreadState>();
  const state = longviewState({ botLogin, ...listings, threads });
  log.debug({ lastReviewedHead: state.lastReviewedHead, fingerprints: state.fingerprints.size, threads: state.threads.length }, "Longview's state read");
  return state;
}

/** One review comment (the root of a thread a command was written in). */
export async function readReviewComment(gh: GitHub, repo: Pick<PullRef, "owner" | "repo">, commentId: number): Promise<ReviewComment> {
  const { data } = await gh.rest.pulls.getReviewComment({ owner: repo.owner, repo: repo.repo, comment_id: commentId });
  return ReviewCommentSchema.parse(data);
}

/** Replies "Fixed in <sha>" once in the finding's thread and resolves it. */
export async function markFixed(gh: GitHub, ref: PullRef, thread: FindingThread, body: string, log: Logger): Promise<void> {
  const params = { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber };
  await writeOnce({
    what: "replying that a finding is fixed",
    log,
    write: async () => {
      await gh.rest.pulls.createReplyForReviewComment({ ...params, comment_id: thread.commentId, body, request: NO_PLUGIN_RETRY });
      return true;
    },
    find: async () => {
      const replies = await gh.paginate(gh.rest.pulls.listReviewComments, { ...params, per_page: 100 });
      return replies.some((r) => r.in_reply_to_id === thread.commentId && r.body === body) ? true : null;
    },
  });
  if (thread.threadId && !thread.resolved) await resolveReviewThread(gh, thread.threadId);
}

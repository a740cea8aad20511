import type { Logger } from "pino";
import type { GitHub, PullRef } from "./client.js";
import { ReactionSchema, ReviewCommentSchema, type ReviewComment } from "./git-schemas.js";
import { NO_PLUGIN_RETRY, writeOnce } from "./idempotent-write.js";
import { isLongview, longviewState, parseStateListings, type FindingThread, type LongviewState, type Reactor } from "./longview-state.js";
import { parseFindingMarker } from "./markers.js";
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
  const thumbsDown = await readThumbsDown(gh, ref, listings.comments, botLogin);
  const state = longviewState({ botLogin, ...listings, threads, thumbsDown });
  log.debug(
    { lastReviewedHead: state.lastReviewedHead, fingerprints: state.fingerprints.size, threads: state.threads.length, thumbsDown: thumbsDown.size },
    "Longview's state read",
  );
  return state;
}

/** Bounds the reaction listings one state read makes: a pull request with more 👎'd findings has the rest read on a later review. */
const MAX_REACTION_LISTINGS = 50;

/**
 * Who gave Longview's finding comments 👎. Only comments whose reaction counts
 * show a 👎 are listed, so a pull request nobody reacted on costs no request.
 */
async function readThumbsDown(gh: GitHub, ref: PullRef, comments: readonly ReviewComment[], botLogin: string): Promise<Map<number, Reactor[]>> {
  const reacted = comments
    .filter((c) => (c.in_reply_to_id ?? null) === null && isLongview(c.user?.login, botLogin) && (c.reactions?.["-1"] ?? 0) > 0)
    .filter((c) => parseFindingMarker(c.body) !== null)
    .slice(0, MAX_REACTION_LISTINGS);
  const byComment = new Map<number, Reactor[]>();
  for (const comment of reacted) {
    const raw = await gh.paginate(gh.rest.reactions.listForPullRequestReviewComment, {
      owner: ref.owner,
      repo: ref.repo,
      comment_id: comment.id,
      content: "-1",
      per_page: 100,
    });
    const reactors = raw.flatMap((r) => {
      const parsed = ReactionSchema.safeParse(r);
      return parsed.success && parsed.data.content === "-1" && parsed.data.user ? [{ login: parsed.data.user.login, type: parsed.data.user.type }] : [];
    });
    byComment.set(comment.id, reactors);
  }
  return byComment;
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

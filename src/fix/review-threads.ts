import type { GitHub, PullRef } from "../github/client.js";
import { findingFromComment, type PostedFinding } from "./finding-comment.js";
import { readReviewThreads } from "../github/review-threads.js";
import { ReviewCommentSchema, type ReviewComment } from "./github-schemas.js";

/**
 * Longview's findings as they stand on the pull request: its own root review
 * comments (REST), minus the threads people resolved and those GitHub marks
 * outdated.
 */

export async function readReviewComment(gh: GitHub, repo: Pick<PullRef, "owner" | "repo">, commentId: number): Promise<ReviewComment> {
  const { data } = await gh.rest.pulls.getReviewComment({ owner: repo.owner, repo: repo.repo, comment_id: commentId });
  return ReviewCommentSchema.parse(data);
}

/** True when `login` is Longview's bot (`slug[bot]` in REST, `slug` in GraphQL). */
export function isLongview(login: string | undefined, botLogin: string): boolean {
  return login !== undefined && login.toLowerCase() === botLogin.toLowerCase();
}

/** The findings of Longview's unresolved, current review threads on the pull request. */
export async function readOpenFindings(gh: GitHub, ref: PullRef, botLogin: string): Promise<PostedFinding[]> {
  const comments = (
    await gh.paginate(gh.rest.pulls.listReviewComments, { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, per_page: 100 })
  ).map((c) => ReviewCommentSchema.parse(c));
  const threads = await readReviewThreads(gh, ref);
  const closed = (id: number) => threads.get(id)?.resolved === true || threads.get(id)?.outdated === true;
  return comments
    .filter((c) => c.in_reply_to_id === undefined && isLongview(c.user?.login, botLogin) && !closed(c.id) && !isOutdated(c))
    .flatMap((c) => {
      const posted = findingFromComment(c);
      return posted === null ? [] : [posted];
    });
}

/** REST's own sign: a line comment whose line left the diff has no `line` any more. */
export function isOutdated(comment: ReviewComment): boolean {
  return comment.subject_type !== "file" && (comment.line === null || comment.line === undefined);
}

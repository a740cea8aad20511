import type { ReactionContent, ReactionRecord, ReviewCommentRecord, ReviewRecord } from "../state.js";
import { authorAssociation } from "./association.js";
import { renderUser } from "./user.js";
import { isoTime, nodeId, type Urls } from "./urls.js";

/** GitHub's `pull-request-review`. */
export function renderReview(urls: Urls, review: ReviewRecord): Record<string, unknown> {
  const pullApi = urls.api(`/repos/${review.repo.fullName}/pulls/${review.pullNumber}`);
  const html = urls.html(`/${review.repo.fullName}/pull/${review.pullNumber}#pullrequestreview-${review.id}`);
  return {
    id: review.id,
    node_id: nodeId("PullRequestReview", review.id),
    user: renderUser(urls, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullApi,
    _links: { html: { href: html }, pull_request: { href: pullApi } },
    ...(review.submittedAt ? { submitted_at: isoTime(review.submittedAt) } : {}),
    commit_id: review.commitId,
    author_association: authorAssociation(review.repo, review.user),
  };
}

const REACTION_CONTENTS: readonly ReactionContent[] = ["+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"];

/** GitHub's `reaction-rollup`: how many of each reaction a comment has. */
export function renderReactionRollup(url: string, reactions: readonly ReactionRecord[]): Record<string, unknown> {
  const counts = Object.fromEntries(REACTION_CONTENTS.map((c) => [c, reactions.filter((r) => r.content === c).length]));
  return { url, total_count: reactions.length, ...counts };
}

/** GitHub's `pull-request-review-comment`; `reactions` are every reaction the simulator holds (this comment's are counted). */
export function renderReviewComment(urls: Urls, comment: ReviewCommentRecord, reactions: readonly ReactionRecord[]): Record<string, unknown> {
  const repoApi = urls.api(`/repos/${comment.repo.fullName}`);
  const self = `${repoApi}/pulls/comments/${comment.id}`;
  const html = urls.html(`/${comment.repo.fullName}/pull/${comment.pullNumber}#discussion_r${comment.id}`);
  const pullApi = `${repoApi}/pulls/${comment.pullNumber}`;
  return {
    url: self,
    pull_request_review_id: comment.reviewId,
    id: comment.id,
    node_id: nodeId("PullRequestReviewComment", comment.id),
    diff_hunk: comment.diffHunk,
    path: comment.path,
    // File-level comments have no position, line or side; GitHub leaves those fields out.
    ...(comment.position !== null ? { position: comment.position, original_position: comment.position } : {}),
    commit_id: comment.commitId,
    original_commit_id: comment.commitId,
    ...(comment.inReplyToId !== null ? { in_reply_to_id: comment.inReplyToId } : {}),
    user: renderUser(urls, comment.user),
    body: comment.body,
    created_at: isoTime(comment.createdAt),
    updated_at: isoTime(comment.updatedAt),
    html_url: html,
    pull_request_url: pullApi,
    author_association: authorAssociation(comment.repo, comment.user),
    _links: { self: { href: self }, html: { href: html }, pull_request: { href: pullApi } },
    start_line: comment.startLine,
    original_start_line: comment.startLine,
    start_side: comment.startSide,
    ...(comment.line !== null ? { line: comment.line, original_line: comment.line } : {}),
    ...(comment.side !== null ? { side: comment.side } : {}),
    subject_type: comment.subjectType,
    reactions: renderReactionRollup(
      `${self}/reactions`,
      reactions.filter((r) => r.subject.type === "review_comment" && r.subject.id === comment.id),
    ),
  };
}

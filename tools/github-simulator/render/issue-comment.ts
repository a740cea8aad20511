import type { IssueCommentRecord, ReactionRecord } from "../state.js";
import { authorAssociation } from "./association.js";
import { renderUser } from "./user.js";
import { isoTime, nodeId, type Urls } from "./urls.js";

/** GitHub's `issue-comment`. */
export function renderIssueComment(urls: Urls, comment: IssueCommentRecord): Record<string, unknown> {
  const repoApi = urls.api(`/repos/${comment.repo.fullName}`);
  return {
    id: comment.id,
    node_id: nodeId("IssueComment", comment.id),
    url: `${repoApi}/issues/comments/${comment.id}`,
    html_url: urls.html(`/${comment.repo.fullName}/pull/${comment.issueNumber}#issuecomment-${comment.id}`),
    body: comment.body,
    user: renderUser(urls, comment.user),
    created_at: isoTime(comment.createdAt),
    updated_at: isoTime(comment.updatedAt),
    issue_url: `${repoApi}/issues/${comment.issueNumber}`,
    author_association: authorAssociation(comment.repo, comment.user),
  };
}

/** GitHub's `reaction`. */
export function renderReaction(urls: Urls, reaction: ReactionRecord): Record<string, unknown> {
  return {
    id: reaction.id,
    node_id: nodeId("Reaction", reaction.id),
    user: renderUser(urls, reaction.user),
    content: reaction.content,
    created_at: isoTime(reaction.createdAt),
  };
}

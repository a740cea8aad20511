import type { GitHub, PullRef } from "../github/client.js";

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

/** 👀 on the comment: the command was seen and is being handled. */
export async function acknowledge(gh: GitHub, ref: PullRef, source: CommandSource): Promise<void> {
  const { owner, repo } = ref;
  if (source.kind === "issue-comment") {
    await gh.rest.reactions.createForIssueComment({ owner, repo, comment_id: source.commentId, content: "eyes" });
  } else if (source.kind === "review-comment") {
    await gh.rest.reactions.createForPullRequestReviewComment({ owner, repo, comment_id: source.commentId, content: "eyes" });
  }
}

export async function reply(gh: GitHub, ref: PullRef, source: CommandSource, body: string): Promise<void> {
  const { owner, repo, pullNumber } = ref;
  if (source.kind === "review-comment") {
    await gh.rest.pulls.createReplyForReviewComment({ owner, repo, pull_number: pullNumber, comment_id: source.threadRootId, body });
  } else {
    await gh.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
  }
}

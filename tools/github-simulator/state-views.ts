import { threadNodeId } from "./graphql/github-schema.js";
import type {
  CheckAction,
  CheckAnnotation,
  CheckRunRecord,
  CheckSuiteRecord,
  IssueCommentRecord,
  ReactionRecord,
  ReviewCommentRecord,
  ReviewRecord,
  SimState,
  ThreadRecord,
} from "./state.js";
import { suiteState } from "./render/check-suite.js";
import { isoTime } from "./render/urls.js";

/** Plain, typed snapshots of the simulator's state for test assertions. */

export interface ReviewCommentView {
  readonly id: number;
  readonly reviewId: number;
  readonly user: string;
  readonly path: string;
  readonly line: number | null;
  readonly side: "LEFT" | "RIGHT" | null;
  readonly startLine: number | null;
  readonly startSide: "LEFT" | "RIGHT" | null;
  readonly position: number | null;
  readonly subjectType: "line" | "file";
  readonly body: string;
  readonly commitId: string;
  readonly inReplyToId: number | null;
  /** GraphQL node id of the comment's thread. */
  readonly threadId: string;
}

export interface ReviewView {
  readonly id: number;
  readonly user: string;
  readonly state: ReviewRecord["state"];
  readonly body: string;
  readonly commitId: string;
  readonly submittedAt: string | null;
  readonly comments: readonly ReviewCommentView[];
}

export interface IssueCommentView {
  readonly id: number;
  readonly user: string;
  readonly body: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ReactionView {
  readonly id: number;
  readonly subjectType: "issue_comment" | "review_comment";
  readonly subjectId: number;
  readonly content: ReactionRecord["content"];
  readonly user: string;
}

export interface CheckRunView {
  readonly id: number;
  readonly name: string;
  readonly headSha: string;
  readonly status: CheckRunRecord["status"];
  readonly conclusion: string | null;
  readonly title: string | null;
  readonly summary: string | null;
  readonly text: string | null;
  readonly annotations: readonly CheckAnnotation[];
  readonly actions: readonly CheckAction[];
  readonly detailsUrl: string | null;
  readonly externalId: string | null;
  /** Slug of the app that created the run ("longview", "github-actions", ...). */
  readonly app: string;
  readonly checkSuiteId: number;
}

export interface CheckSuiteView {
  readonly id: number;
  readonly app: string;
  readonly headSha: string;
  readonly headBranch: string | null;
  readonly status: "queued" | "in_progress" | "completed";
  readonly conclusion: string | null;
  readonly checkRunIds: readonly number[];
}

export interface ThreadView {
  readonly id: string;
  readonly isResolved: boolean;
  readonly commentIds: readonly number[];
}

export function reviewCommentView(state: SimState, comment: ReviewCommentRecord): ReviewCommentView {
  const thread = state.threads.find((t) => t.id === comment.threadId);
  return {
    id: comment.id,
    reviewId: comment.reviewId,
    user: comment.user.login,
    path: comment.path,
    line: comment.line,
    side: comment.side,
    startLine: comment.startLine,
    startSide: comment.startSide,
    position: comment.position,
    subjectType: comment.subjectType,
    body: comment.body,
    commitId: comment.commitId,
    inReplyToId: comment.inReplyToId,
    threadId: thread ? threadNodeId(thread) : "",
  };
}

export function reviewView(state: SimState, review: ReviewRecord): ReviewView {
  return {
    id: review.id,
    user: review.user.login,
    state: review.state,
    body: review.body,
    commitId: review.commitId,
    submittedAt: review.submittedAt ? isoTime(review.submittedAt) : null,
    comments: state.reviewComments.filter((c) => c.reviewId === review.id).map((c) => reviewCommentView(state, c)),
  };
}

export function issueCommentView(comment: IssueCommentRecord): IssueCommentView {
  return { id: comment.id, user: comment.user.login, body: comment.body, createdAt: isoTime(comment.createdAt), updatedAt: isoTime(comment.updatedAt) };
}

export function reactionView(reaction: ReactionRecord): ReactionView {
  return { id: reaction.id, subjectType: reaction.subject.type, subjectId: reaction.subject.id, content: reaction.content, user: reaction.user.login };
}

export function checkRunView(run: CheckRunRecord): CheckRunView {
  return {
    id: run.id,
    name: run.name,
    headSha: run.headSha,
    status: run.status,
    conclusion: run.conclusion,
    title: run.output.title,
    summary: run.output.summary,
    text: run.output.text,
    annotations: [...run.annotations],
    actions: [...run.actions],
    detailsUrl: run.detailsUrl,
    externalId: run.externalId,
    app: run.app.slug,
    checkSuiteId: run.checkSuiteId,
  };
}

export function checkSuiteView(state: SimState, suite: CheckSuiteRecord): CheckSuiteView {
  const runs = state.suiteRuns(suite);
  return { id: suite.id, app: suite.app.slug, headSha: suite.headSha, headBranch: suite.headBranch, ...suiteState(runs), checkRunIds: runs.map((r) => r.id) };
}

export function threadView(state: SimState, thread: ThreadRecord): ThreadView {
  return {
    id: threadNodeId(thread),
    isResolved: thread.isResolved,
    commentIds: state.reviewComments.filter((c) => c.threadId === thread.id && c.repo === thread.repo).map((c) => c.id),
  };
}

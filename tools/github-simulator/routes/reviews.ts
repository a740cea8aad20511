import { z } from "zod";
import { GitHubApiError, notFound, unprocessable, validationFailed } from "../errors.js";
import { paginate } from "../paginate.js";
import { parsePatch, type ParsedPatch } from "../patch-lines.js";
import type { DiffFile } from "../pr-diff.js";
import { pullDiff } from "../pull-facts.js";
import { renderReview, renderReviewComment } from "../render/review.js";
import { findPull, readableRepo, writableRepo } from "../repo-access.js";
import { fieldMessage, placeComment, reviewSentence, type Anchor, type AnchorRequest, type PlacementProblem } from "../review-placement.js";
import type { Route } from "../router.js";
import type { PullRecord, ReviewCommentRecord, ReviewRecord, ReviewState } from "../state.js";
import type { World } from "../world.js";
import { parseBody } from "./body.js";

/**
 * Reviews and review comments, with GitHub's placement rules: every comment
 * must sit on a line of the diff at `commit_id`, a range must stay in one
 * hunk, and one bad comment rejects the whole review (nothing is stored).
 */

const DraftComment = z.object({
  path: z.string(),
  body: z.string(),
  position: z.number().int().optional(),
  line: z.number().int().optional(),
  side: z.string().optional(),
  start_line: z.number().int().optional(),
  start_side: z.string().optional(),
});

const CreateReview = z.object({
  commit_id: z.string().optional(),
  body: z.string().optional(),
  event: z.enum(["APPROVE", "REQUEST_CHANGES", "COMMENT"]).optional(),
  comments: z.array(DraftComment).optional(),
});

const CreateComment = z.object({
  body: z.string(),
  commit_id: z.string().optional(),
  path: z.string().optional(),
  position: z.number().int().optional(),
  line: z.number().int().optional(),
  side: z.string().optional(),
  start_line: z.number().int().optional(),
  start_side: z.string().optional(),
  in_reply_to: z.number().int().optional(),
  subject_type: z.enum(["line", "file"]).optional(),
});

const Reply = z.object({ body: z.string() });

const STATE_BY_EVENT: Record<string, ReviewState> = { APPROVE: "APPROVED", REQUEST_CHANGES: "CHANGES_REQUESTED", COMMENT: "COMMENTED" };

export function reviewRoutes(world: World): Route[] {
  return [
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const pull = findPull(world, repo, params["pull_number"]);
        const input = parseBody(CreateReview, body);
        const commitId = await knownCommit(pull, input.commit_id);
        const drafts = input.comments ?? [];
        const state = input.event ? (STATE_BY_EVENT[input.event] ?? "PENDING") : "PENDING";
        checkReviewEvent(world, pull, state, input.body ?? "", drafts.length);

        const files = await diffFiles(world, pull, commitId);
        const anchors: Anchor[] = [];
        const problems: string[] = [];
        for (const draft of drafts) {
          const placed = placeComment(files.patch(draft.path), files.has(draft.path), toAnchorRequest(draft));
          if (placed.ok) anchors.push(placed.anchor);
          else problems.push(...placed.problems.map(reviewSentence));
        }
        if (problems.length > 0) throw unprocessable([...new Set(problems)]);

        const review = addReview(world, pull, state, input.body ?? "", commitId);
        drafts.forEach((draft, i) => {
          const anchor = anchors[i];
          if (anchor) addComment(world, pull, review, { path: draft.path, body: draft.body, anchor, inReplyTo: null });
        });
        return { status: 200, json: renderReview(world.urls, review) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const pull = findPull(world, repo, params["pull_number"]);
        const reviews = world.state.reviews.filter((r) => r.repo === repo && r.pullNumber === pull.number);
        const page = paginate(reviews, query, world.urls.api(`/repos/${repo.fullName}/pulls/${pull.number}/reviews`));
        return { status: 200, headers: page.headers, json: page.items.map((r) => renderReview(world.urls, r)) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const pull = findPull(world, repo, params["pull_number"]);
        const pendingReviews = new Set(world.state.reviews.filter((r) => r.state === "PENDING").map((r) => r.id));
        const comments = world.state.reviewComments.filter((c) => c.repo === repo && c.pullNumber === pull.number && !pendingReviews.has(c.reviewId));
        const page = paginate(comments, query, world.urls.api(`/repos/${repo.fullName}/pulls/${pull.number}/comments`));
        return { status: 200, headers: page.headers, json: page.items.map((c) => renderReviewComment(world.urls, c, world.state.reactions)) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/comments/{comment_id}",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const comment = world.state.reviewComment(repo, Number(params["comment_id"]));
        if (!comment) throw notFound();
        return { status: 200, json: renderReviewComment(world.urls, comment, world.state.reactions) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/comments",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const pull = findPull(world, repo, params["pull_number"]);
        const input = parseBody(CreateComment, body);
        if (input.in_reply_to !== undefined)
          return { status: 201, json: renderReviewComment(world.urls, reply(world, pull, input.in_reply_to, input.body), world.state.reactions) };
        if (input.path === undefined) throw validationFailed([{ resource: "PullRequestReviewComment", field: "path", code: "missing_field" }]);
        const commitId = await knownCommit(pull, input.commit_id);
        const files = await diffFiles(world, pull, commitId);
        const path = input.path;
        let anchor: Anchor;
        if (input.subject_type === "file") {
          if (!files.has(path)) throw fieldErrors([{ attribute: "path", text: "is invalid" }]);
          anchor = { line: 0, side: "RIGHT", startLine: null, startSide: null, position: 0, diffHunk: "" };
        } else {
          const placed = placeComment(files.patch(path), files.has(path), toAnchorRequest(input));
          if (!placed.ok) throw fieldErrors(placed.problems);
          anchor = placed.anchor;
        }
        const review = addReview(world, pull, "COMMENTED", "", commitId);
        const comment = addComment(world, pull, review, { path, body: input.body, anchor, inReplyTo: null, fileLevel: input.subject_type === "file" });
        return { status: 201, json: renderReviewComment(world.urls, comment, world.state.reactions) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/pulls/{pull_number}/comments/{comment_id}/replies",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const pull = findPull(world, repo, params["pull_number"]);
        const input = parseBody(Reply, body);
        return { status: 201, json: renderReviewComment(world.urls, reply(world, pull, Number(params["comment_id"]), input.body), world.state.reactions) };
      },
    },
  ];
}

function toAnchorRequest(draft: {
  line?: number | undefined;
  side?: string | undefined;
  start_line?: number | undefined;
  start_side?: string | undefined;
  position?: number | undefined;
}): AnchorRequest {
  return { line: draft.line, side: draft.side, startLine: draft.start_line, startSide: draft.start_side, position: draft.position };
}

async function knownCommit(pull: PullRecord, commitId: string | undefined): Promise<string> {
  if (commitId === undefined) return pull.headSha;
  if ((await pull.repo.git.objectType(commitId)) !== "commit") throw unprocessable([`No commit found for SHA: ${commitId}`]);
  return commitId;
}

function checkReviewEvent(world: World, pull: PullRecord, state: ReviewState, body: string, comments: number): void {
  const author = world.app.bot;
  if (state === "APPROVED" && pull.user.id === author.id) throw unprocessable(["Can not approve your own pull request"]);
  if (state === "CHANGES_REQUESTED" && pull.user.id === author.id) throw unprocessable(["Can not request changes on your own pull request"]);
  if (state === "CHANGES_REQUESTED" && body.trim() === "" && comments === 0)
    throw unprocessable(["You need to leave a comment indicating the requested changes."]);
  // GitHub refuses an empty COMMENT review too; its exact wording for this case is not on record, so this one is ours.
  if (state === "COMMENTED" && body.trim() === "" && comments === 0) throw unprocessable(["Review body can't be blank when the event is COMMENT"]);
  const pending = world.state.reviews.some((r) => r.repo === pull.repo && r.pullNumber === pull.number && r.user.id === author.id && r.state === "PENDING");
  if (state === "PENDING" && pending) throw unprocessable(["User can only have one pending review per pull request"]);
}

interface DiffFiles {
  has(path: string): boolean;
  patch(path: string): ParsedPatch | null;
}

const parsedPatches = new WeakMap<DiffFile, ParsedPatch | null>();

/** The diff comments attach to: the pull request's diff as of `commitId`. */
async function diffFiles(world: World, pull: PullRecord, commitId: string): Promise<DiffFiles> {
  const { diff } = await pullDiff(world, pull, commitId);
  const byPath = new Map(diff.files.map((f) => [f.filename, f]));
  return {
    has: (path) => byPath.has(path),
    patch(path) {
      const file = byPath.get(path);
      if (!file) return null;
      if (!parsedPatches.has(file)) parsedPatches.set(file, file.patch === null ? null : parsePatch(file.patch));
      return parsedPatches.get(file) ?? null;
    },
  };
}

function fieldErrors(problems: readonly PlacementProblem[]): GitHubApiError {
  return validationFailed(
    problems.map((p) => ({
      resource: "PullRequestReviewComment",
      code: "custom" as const,
      field: `pull_request_review_thread.${p.attribute}`,
      message: fieldMessage(p),
    })),
  );
}

function addReview(world: World, pull: PullRecord, state: ReviewState, body: string, commitId: string): ReviewRecord {
  const review: ReviewRecord = {
    id: world.state.nextId("review"),
    repo: pull.repo,
    pullNumber: pull.number,
    user: world.app.bot,
    body,
    state,
    commitId,
    submittedAt: state === "PENDING" ? null : world.state.now(),
  };
  world.state.reviews.push(review);
  return review;
}

function addComment(
  world: World,
  pull: PullRecord,
  review: ReviewRecord,
  input: { path: string; body: string; anchor: Anchor; inReplyTo: ReviewCommentRecord | null; fileLevel?: boolean },
): ReviewCommentRecord {
  const now = world.state.now();
  const id = world.state.nextId("comment");
  const root = input.inReplyTo;
  const threadId = root ? root.threadId : world.state.nextId("thread");
  if (!root) world.state.threads.push({ id: threadId, repo: pull.repo, pullNumber: pull.number, rootCommentId: id, isResolved: false, resolvedBy: null });
  const fileLevel = input.fileLevel === true;
  const comment: ReviewCommentRecord = {
    id,
    repo: pull.repo,
    pullNumber: pull.number,
    reviewId: review.id,
    user: review.user,
    body: input.body,
    path: input.path,
    commitId: review.commitId,
    line: fileLevel ? null : input.anchor.line,
    side: fileLevel ? null : input.anchor.side,
    startLine: input.anchor.startLine,
    startSide: input.anchor.startSide,
    position: fileLevel ? null : input.anchor.position,
    diffHunk: input.anchor.diffHunk,
    subjectType: fileLevel ? "file" : "line",
    inReplyToId: root ? root.id : null,
    threadId,
    createdAt: now,
    updatedAt: now,
  };
  world.state.reviewComments.push(comment);
  return comment;
}

/** A reply joins the thread of the comment it answers; GitHub points `in_reply_to_id` at the thread's first comment. */
function reply(world: World, pull: PullRecord, commentId: number, body: string): ReviewCommentRecord {
  const target = world.state.reviewComment(pull.repo, commentId);
  if (!target || target.pullNumber !== pull.number) throw notFound();
  const root = target.inReplyToId === null ? target : (world.state.reviewComment(pull.repo, target.inReplyToId) ?? target);
  const review = addReview(world, pull, "COMMENTED", "", root.commitId);
  const anchor: Anchor = {
    line: root.line ?? 0,
    side: root.side ?? "RIGHT",
    startLine: root.startLine,
    startSide: root.startSide,
    position: root.position ?? 0,
    diffHunk: root.diffHunk,
  };
  return addComment(world, pull, review, { path: root.path, body, anchor, inReplyTo: root, fileLevel: root.subjectType === "file" });
}

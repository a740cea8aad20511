import { z } from "zod";
import { notFound } from "../errors.js";
import { paginate } from "../paginate.js";
import { renderIssueComment, renderReaction } from "../render/issue-comment.js";
import { findPull, readableRepo, writableRepo } from "../repo-access.js";
import type { Route, RouteResult } from "../router.js";
import type { IssueCommentRecord, ReactionRecord } from "../state.js";
import type { World } from "../world.js";
import { parseBody } from "./body.js";

/** Issue (conversation) comments on pull requests, and reactions to comments. */

const CommentBody = z.object({ body: z.string() });
const ReactionBody = z.object({ content: z.enum(["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"]) });

export function commentRoutes(world: World): Route[] {
  return [
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const pull = findPull(world, repo, params["issue_number"]);
        const comments = world.state.issueComments.filter((c) => c.repo === repo && c.issueNumber === pull.number);
        const page = paginate(comments, query, world.urls.api(`/repos/${repo.fullName}/issues/${pull.number}/comments`));
        return { status: 200, headers: page.headers, json: page.items.map((c) => renderIssueComment(world.urls, c)) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/issues/{issue_number}/comments",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const pull = findPull(world, repo, params["issue_number"]);
        const input = parseBody(CommentBody, body);
        const now = world.state.now();
        const comment: IssueCommentRecord = {
          id: world.state.nextId("comment"),
          repo,
          issueNumber: pull.number,
          user: world.app.bot,
          body: input.body,
          createdAt: now,
          updatedAt: now,
        };
        world.state.issueComments.push(comment);
        return { status: 201, json: renderIssueComment(world.urls, comment) };
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
      auth: "installation",
      async handle({ params, caller }) {
        const repo = readableRepo(world, caller, params);
        const comment = world.state.issueComment(repo, Number(params["comment_id"]));
        if (!comment) throw notFound();
        return { status: 200, json: renderIssueComment(world.urls, comment) };
      },
    },
    {
      method: "PATCH",
      template: "/repos/{owner}/{repo}/issues/comments/{comment_id}",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const comment = world.state.issueComment(repo, Number(params["comment_id"]));
        if (!comment) throw notFound();
        comment.body = parseBody(CommentBody, body).body;
        comment.updatedAt = world.state.now();
        return { status: 200, json: renderIssueComment(world.urls, comment) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const comment = world.state.issueComment(repo, Number(params["comment_id"]));
        if (!comment) throw notFound();
        return react(world, { type: "issue_comment", id: comment.id }, parseBody(ReactionBody, body).content);
      },
    },
    {
      method: "GET",
      template: "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
      auth: "installation",
      async handle({ params, caller, query }) {
        const repo = readableRepo(world, caller, params);
        const comment = world.state.reviewComment(repo, Number(params["comment_id"]));
        if (!comment) throw notFound();
        const content = query.get("content");
        const reactions = world.state.reactions.filter(
          (r) => r.subject.type === "review_comment" && r.subject.id === comment.id && (content === null || r.content === content),
        );
        const page = paginate(reactions, query, world.urls.api(`/repos/${repo.fullName}/pulls/comments/${comment.id}/reactions`));
        return { status: 200, headers: page.headers, json: page.items.map((r) => renderReaction(world.urls, r)) };
      },
    },
    {
      method: "POST",
      template: "/repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
      auth: "installation",
      async handle({ params, caller, body }) {
        const repo = writableRepo(world, caller, params);
        const comment = world.state.reviewComment(repo, Number(params["comment_id"]));
        if (!comment) throw notFound();
        return react(world, { type: "review_comment", id: comment.id }, parseBody(ReactionBody, body).content);
      },
    },
  ];
}

/** GitHub answers 200 with the existing reaction when the same user already reacted the same way, 201 otherwise. */
function react(world: World, subject: ReactionRecord["subject"], content: ReactionRecord["content"]): RouteResult {
  const user = world.app.bot;
  const existing = world.state.reactions.find(
    (r) => r.subject.type === subject.type && r.subject.id === subject.id && r.user.id === user.id && r.content === content,
  );
  if (existing) return { status: 200, json: renderReaction(world.urls, existing) };
  const reaction: ReactionRecord = { id: world.state.nextId("reaction"), subject, user, content, createdAt: world.state.now() };
  world.state.reactions.push(reaction);
  return { status: 201, json: renderReaction(world.urls, reaction) };
}

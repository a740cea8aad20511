import type { Context } from "probot";
import type { Logger } from "pino";
import { FIX_ALL_IDENTIFIER } from "../fix/fix-all-action.js";
import type { AppDeps } from "../handlers/app-deps.js";
import type { GitHubHost } from "../github/host.js";
import { CheckRunEventSchema } from "../github/schemas.js";
import { parseWebhookPayload } from "../github/webhook-payload.js";
import { commentReplayKey, payloadReplayKey } from "../handlers/replay-key.js";
import type { JobIntake } from "../queue/queue.js";
import { commandJobOf } from "./command-job-handler.js";
import { parseCommand } from "./parse-command.js";
import type { CommandInvocation } from "./run-command.js";
import { InstallationPayloadSchema, IssueCommentEventSchema, ReviewCommentEventSchema } from "./schemas.js";

/**
 * Webhook → `/agent` command job. The handler only parses the command,
 * adds the 👀 and queues the job; a worker runs it (`runCommand`), so a
 * restart does not lose a fix and a redelivered webhook does not run it
 * twice. Comments by bots (Longview included) are never commands: bots
 * quoting each other would loop.
 */

/** `issue_comment.created` on a pull request's conversation. */
export function handleIssueCommentCommand(deps: AppDeps) {
  return async (context: Context<"issue_comment.created">): Promise<void> => {
    const event = parseWebhookPayload(IssueCommentEventSchema, context);
    if (!event.issue.pull_request) return;
    await commentCommand(context, deps, {
      repository: event.repository,
      pullNumber: event.issue.number,
      sender: event.sender,
      comment: event.comment,
      source: { kind: "issue-comment", commentId: event.comment.id },
    });
  };
}

/** `pull_request_review_comment.created`: a line or file comment, or a reply in a review thread. */
export function handleReviewCommentCommand(deps: AppDeps) {
  return async (context: Context<"pull_request_review_comment.created">): Promise<void> => {
    const event = parseWebhookPayload(ReviewCommentEventSchema, context);
    const { comment } = event;
    await commentCommand(context, deps, {
      repository: event.repository,
      pullNumber: event.pull_request.number,
      sender: event.sender,
      comment,
      source: { kind: "review-comment", commentId: comment.id, threadRootId: comment.in_reply_to_id ?? comment.id },
    });
  };
}

/** A comment on a pull request: ignored from bots and when it holds no command; otherwise acknowledged and queued. */
async function commentCommand(
  context: Context<"issue_comment.created" | "pull_request_review_comment.created">,
  { queue, github }: AppDeps,
  input: {
    repository: { owner: { login: string }; name: string; full_name: string };
    pullNumber: number;
    sender: { login: string; type?: string | undefined };
    comment: { body: string; user?: { type?: string | undefined } | null; html_url?: string | null | undefined };
    source: Extract<CommandInvocation["source"], { kind: "issue-comment" | "review-comment" }>;
  },
): Promise<void> {
  const { repository, sender, comment } = input;
  const log = childLog(context, repository.full_name, input.pullNumber);
  if (fromBot(context, sender, comment.user ?? null)) {
    log.debug({ sender: sender.login }, "comment from a bot ignored");
    return;
  }
  const command = parseCommand(comment.body);
  if (command === null) return;
  const installationId = installationOf(context, log);
  if (installationId === null) return;
  await queueCommand(
    github(context.octokit),
    {
      ref: { owner: repository.owner.login, repo: repository.name, pullNumber: input.pullNumber },
      installationId,
      deliveryId: context.id,
      replayKey: commentReplayKey(input.source.kind, input.source.commentId),
      source: input.source,
      sender: sender.login,
      command,
      url: comment.html_url ?? null,
    },
    queue,
    log.child({ command: command.kind, sender: sender.login }),
  );
}

/** The check run's "Fix all" button: `/agent fix` for the gating findings of each pull request on that head. */
export function handleFixAllAction({ queue, github }: AppDeps) {
  return async (context: Context<"check_run.requested_action">): Promise<void> => {
    const event = parseWebhookPayload(CheckRunEventSchema, context);
    if (event.requested_action?.identifier !== FIX_ALL_IDENTIFIER) return;
    const repo = { owner: event.repository.owner.login, repo: event.repository.name };
    const log = context.log.child({ deliveryId: context.id, repo: event.repository.full_name, checkRunId: event.check_run.id });
    if (fromBot(context, event.sender, null)) return;
    const installationId = installationOf(context, log);
    if (installationId === null) return;
    const host = github(context.octokit);
    const numbers = await host.pullRequestsAt(repo, event.check_run.head_sha, event.check_run.pull_requests);
    if (numbers.length === 0) log.info({ sha: event.check_run.head_sha }, '"Fix all" requested for a commit without an open pull request');
    for (const pullNumber of numbers) {
      await queueCommand(
        host,
        {
          ref: { ...repo, pullNumber },
          installationId,
          deliveryId: context.id,
          replayKey: payloadReplayKey(context.name, context.payload),
          source: { kind: "check-run", checkRunId: event.check_run.id },
          sender: event.sender.login,
          command: { kind: "fix", instructions: "" },
          url: null,
        },
        queue,
        log.child({ pr: pullNumber, command: "fix", sender: event.sender.login }),
      );
    }
  };
}

/** 👀 on the comment, then the job: the answer comes from the worker. */
async function queueCommand(github: GitHubHost, invocation: CommandInvocation, queue: JobIntake, log: Logger): Promise<void> {
  try {
    await github.acknowledge(invocation.ref, invocation.source);
  } catch (error) {
    // The reaction is a courtesy; the command still runs and answers.
    log.warn({ err: error }, "could not add the 👀 reaction");
  }
  const result = await queue.enqueue(commandJobOf(invocation));
  log.info({ ...result }, result.status === "queued" ? "command queued" : "command already queued (redelivered webhook)");
}

function childLog(context: Context, repo: string, pr: number): Logger {
  return context.log.child({ deliveryId: context.id, repo, pr });
}

function fromBot(context: Context, sender: { type?: string | undefined }, author: { type?: string | undefined } | null): boolean {
  return context.isBot || sender.type === "Bot" || author?.type === "Bot";
}

function installationOf(context: Context, log: Logger): number | null {
  const id = parseWebhookPayload(InstallationPayloadSchema, context).installation?.id ?? null;
  if (id === null) log.warn("event without an installation: nobody to act as");
  return id;
}

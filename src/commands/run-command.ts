import type { Logger } from "pino";
import type { Analyzer } from "../analyzers/analyzer.js";
import { createDefaultAnalyzers } from "../analyzers/index.js";
import type { Env } from "../config/env.js";
import type { RepoConfig } from "../config/repo-config.js";
import { createFixModel, type FixModel } from "../fix/fix-model.js";
import { readReviewComment } from "../fix/review-threads.js";
import { runFix, type FixScope } from "../fix/run-fix.js";
import type { GitHub, PullRef } from "../github/client.js";
import { readRepoConfig } from "../github/read-repo-config.js";
import { PullRequestSchema } from "../github/schemas.js";
import type { ReviewIntake } from "../queue/queue.js";
import { createAppIdentity, type AppIdentity } from "./app-identity.js";
import { formatFixReply } from "./format-fix-reply.js";
import { helpText } from "./help-text.js";
import type { AgentCommand } from "./parse-command.js";
import { meetsRequirement, repositoryAccess, type RequiredAccess } from "./permission.js";
import { acknowledge, reply, type CommandSource } from "./reply.js";

/**
 * One `/agent` command, after parsing: acknowledge, authorize, run, answer.
 * Reviews go through the review queue like every other review; a fix runs
 * here (it is bounded by `fix.maxAttempts` model calls) and its commit's
 * review is queued afterwards.
 */

export interface CommandDeps {
  readonly analyzers: readonly Analyzer[];
  /** Null in offline mode: fixes are limited to the analyzers' own automatic fixes. */
  readonly fixModel: FixModel | null;
  readonly identity: AppIdentity;
}

export function createCommandDeps(env: Env, log: Logger): CommandDeps {
  return { analyzers: createDefaultAnalyzers({ log }), fixModel: createFixModel(env, log), identity: createAppIdentity() };
}

export interface CommandInvocation {
  readonly ref: PullRef;
  readonly installationId: number;
  /** `X-GitHub-Delivery` of the event, carried into queued review jobs. */
  readonly deliveryId: string;
  readonly source: CommandSource;
  /** Login of the person who commented (or clicked the check run's button). */
  readonly sender: string;
  readonly command: AgentCommand;
  /** The comment's URL, cited in the fix commit's message. */
  readonly url: string | null;
}

export async function runCommand(gh: GitHub, invocation: CommandInvocation, queue: ReviewIntake, deps: CommandDeps, log: Logger): Promise<void> {
  const { ref, source, sender, command } = invocation;
  try {
    await acknowledge(gh, ref, source);
  } catch (error) {
    // The reaction is a courtesy; the command still runs and answers.
    log.warn({ err: error }, "could not add the 👀 reaction");
  }
  const { config } = await readRepoConfig(gh, ref, log);
  const answer = (body: string) => reply(gh, ref, source, body);
  try {
    switch (command.kind) {
      case "help":
        await answer(helpText(config));
        return;
      case "unknown":
        await answer(helpText(config, command.name));
        return;
      case "review":
        if (!(await authorized(gh, ref, sender, config.commands.review, "review", answer, log))) return;
        await requestReview(gh, invocation, queue, answer, log);
        return;
      case "fix":
        if (!(await authorized(gh, ref, sender, "write", "fix", answer, log))) return;
        await fix(gh, invocation, command.instructions, config, queue, deps, answer, log);
        return;
    }
  } catch (error) {
    log.error({ err: error }, "command failed");
    const message = error instanceof Error ? error.message : String(error);
    await answer(`@${sender} Longview could not finish \`/agent ${command.kind}\`: ${message.replace(/\s+/g, " ").slice(0, 300)}`).catch(
      (e: unknown) => log.error({ err: e }, "could not report the failure"),
    );
    throw error;
  }
}

async function authorized(
  gh: GitHub,
  ref: PullRef,
  sender: string,
  required: RequiredAccess,
  name: string,
  answer: (body: string) => Promise<void>,
  log: Logger,
): Promise<boolean> {
  if (required === "anyone") return true;
  const level = await repositoryAccess(gh, ref, sender);
  if (meetsRequirement(level, required)) return true;
  log.info({ sender, level, required }, "command refused: insufficient repository permission");
  await answer(`@${sender} Only people with ${required} access to this repository can run \`/agent ${name}\`.`);
  return false;
}

async function requestReview(gh: GitHub, invocation: CommandInvocation, queue: ReviewIntake, answer: (body: string) => Promise<void>, log: Logger): Promise<void> {
  const { ref, sender } = invocation;
  const { data } = await gh.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber });
  const pr = PullRequestSchema.parse(data);
  if (pr.state !== "open") {
    await answer(`@${sender} This pull request is ${pr.merged ? "merged" : "closed"}; Longview reviews open pull requests only.`);
    return;
  }
  const result = await queue.enqueue({
    kind: "review",
    installationId: invocation.installationId,
    owner: ref.owner,
    repo: ref.repo,
    pullNumber: ref.pullNumber,
    headSha: pr.head.sha,
    force: true,
    deliveryId: invocation.deliveryId,
    trigger: "agent.review",
  });
  log.info({ ...result }, "full review requested");
  // Queued: the 👀 says it was heard and the review itself is the answer.
  if (result.status === "duplicate") await answer(`@${sender} A review of this commit is already pending.`);
}

async function fix(
  gh: GitHub,
  invocation: CommandInvocation,
  instructions: string,
  config: RepoConfig,
  queue: ReviewIntake,
  deps: CommandDeps,
  answer: (body: string) => Promise<void>,
  log: Logger,
): Promise<void> {
  const { ref, source, sender } = invocation;
  const scope: FixScope =
    source.kind === "review-comment"
      ? { kind: "thread", root: await readReviewComment(gh, ref, source.threadRootId) }
      : source.kind === "check-run"
        ? { kind: "gating" }
        : { kind: "conversation" };
  const botLogin = await deps.identity.botLogin(gh);
  const result = await runFix(
    gh,
    { ref, scope, instructions, requestedBy: sender, requestUrl: invocation.url, botLogin, config },
    { analyzers: deps.analyzers, model: deps.fixModel },
    log,
  );
  await answer(formatFixReply(result, sender));
  if (result.kind !== "committed") return;

  // The `synchronize` GitHub sends for this commit comes from Longview's own bot, and the
  // pull_request handler ignores bot events (they would start loops with other bots). So the
  // new commit's review is queued here, with the old head for superseding its unfinished runs.
  const queued = await queue.enqueue({
    kind: "review",
    installationId: invocation.installationId,
    owner: ref.owner,
    repo: ref.repo,
    pullNumber: ref.pullNumber,
    headSha: result.commit.sha,
    previousSha: result.previousHead,
    deliveryId: invocation.deliveryId,
    trigger: "agent.fix",
  });
  log.info({ ...queued, sha: result.commit.sha }, "review of the fix commit queued");
}

import type { Logger } from "pino";
import type { Analyzer } from "../analyzers/analyzer.js";
import type { RepoConfig } from "../config/repo-config.js";
import type { FixModel } from "../fix/fix-model.js";
import { runFix, type CommittedFixResult, type FixDeps, type FixScope } from "../fix/run-fix.js";
import type { PullRef } from "../domain/pull-request.js";
import type { GitHubHost } from "../github/host.js";
import type { CommittedFix } from "../queue/kinds/command.js";
import type { JobIntake } from "../queue/queue.js";
import { fitComment } from "./fit-comment.js";
import { formatCommandFailure } from "./format-failure.js";
import { formatFixReply } from "./format-fix-reply.js";
import { resumeCommit } from "./resume-commit.js";
import { helpText } from "./help-text.js";
import type { AgentCommand } from "./parse-command.js";
import { meetsRequirement, type RequiredAccess } from "./permission.js";
import { answerKey, type CommandSource } from "../github/command-replies.js";
import type { ProofDeps } from "../fix/prove-fix.js";
import { undoCommand } from "./undo-command.js";
import { ciFollowMarker, parseCiFollowMarker } from "../github/ci-follow-marker.js";
import { FOLLOWING_NOTE_START, followingNote } from "./format-ci-reply.js";
import { queueFollowUp } from "./follow-ci.js";

/**
 * One `/agent` command, in a worker (the webhook handler parsed it, added
 * the 👀 and queued it): authorize, run, answer. A review it asks for is
 * queued like every other review; a fix runs here (bounded by
 * `fix.maxAttempts` model calls) and its commit's review is queued
 * afterwards. A fix is committed at most once per job: the commit is saved
 * on the job as "committing" before the branch moves, and a later attempt
 * never fixes again — it reads the branch, finishes the update if it never
 * happened, and answers and queues the review of the commit. Every command
 * answers once: a retry looks for the answer before posting it.
 */

export interface CommandDeps {
  readonly analyzers: readonly Analyzer[];
  /** Null in offline mode: fixes are limited to the analyzers' own automatic fixes. */
  readonly fixModel: FixModel | null;
  /** What a model-made fix must pass before it is committed (fix/prove-fix.ts); absent: not proven (tests of other parts). */
  readonly proof?: ProofDeps;
  /** How the fix model reads the repository at head (its tools); absent: the findings' files only. */
  readonly repository?: FixDeps["repository"];
}

export interface CommandInvocation {
  readonly ref: PullRef;
  readonly installationId: number;
  /** `X-GitHub-Delivery` of the event, carried into queued review jobs. */
  readonly deliveryId: string;
  /** The event itself (handlers/replay-key.ts): the same command arriving twice runs once, and so do the reviews it queues. */
  readonly replayKey?: string;
  readonly source: CommandSource;
  /** Login of the person who commented (or clicked the check run's button). */
  readonly sender: string;
  readonly command: AgentCommand;
  /** The comment's URL, cited in the fix commit's message. */
  readonly url: string | null;
}

/** The queue's side of one attempt of a command job. */
export interface CommandAttempt {
  readonly signal?: AbortSignal;
  /** True when the queue runs the command again after this error: the failure is not the answer yet. */
  willRetry(error: unknown): boolean;
  /** How far an earlier attempt of this job got with its fix commit, if it made one. */
  readonly committed: CommittedFix | null;
  /** Durable before it resolves; see `CommandJobRun.saveCommitted`. */
  saveCommitted(committed: CommittedFix): Promise<void>;
  /** An earlier attempt of this job ran (and may have answered). */
  readonly rerun: boolean;
}

export async function runCommand(
  github: GitHubHost,
  invocation: CommandInvocation,
  queue: JobIntake,
  deps: CommandDeps,
  log: Logger,
  attempt: CommandAttempt,
): Promise<void> {
  const { ref, source, sender, command } = invocation;
  const answerOptions = { key: answerKey(invocation.deliveryId, ref), lookFirst: attempt.rerun || attempt.committed !== null, log };
  const answer = (body: string) => github.answer(ref, source, body, answerOptions);
  try {
    if (attempt.committed) {
      // An earlier attempt authorized the fix and made its commit: what is left follows from where the branch is.
      await resumeFix(github, invocation, attempt.committed, queue, answer, attempt, log);
      return;
    }
    const { config } = await github.repoConfig(ref, log);
    switch (command.kind) {
      case "help":
        await answer(helpText(config));
        return;
      case "unknown":
        await answer(helpText(config, command.name));
        return;
      case "review":
        if (!(await authorized(github, ref, sender, config.commands.review, "review", answer, log))) return;
        await requestReview(github, invocation, queue, answer, log);
        return;
      case "fix":
        if (!(await authorized(github, ref, sender, "write", "fix", answer, log))) return;
        await fix(github, invocation, command.instructions, config, queue, deps, answer, attempt, log);
        return;
      case "undo":
        if (!(await authorized(github, ref, sender, "write", "undo", answer, log))) return;
        await undoCommand(
          github,
          invocation,
          answer,
          (committed) => attempt.saveCommitted(committed),
          (committed) => afterCommit(github, invocation, committed, queue, answer, log),
          log,
        );
        return;
    }
  } catch (error) {
    if (attempt.willRetry(error)) {
      log.warn({ err: error }, "command failed; the queue runs it again");
      throw error;
    }
    log.error({ err: error }, "command failed");
    await answer(formatCommandFailure(sender, command.kind, error)).catch((e: unknown) => log.error({ err: e }, "could not report the failure"));
    throw error;
  }
}

async function authorized(
  github: GitHubHost,
  ref: PullRef,
  sender: string,
  required: RequiredAccess,
  name: string,
  answer: (body: string) => Promise<void>,
  log: Logger,
): Promise<boolean> {
  if (required === "anyone") return true;
  const level = await github.access(ref, sender);
  if (meetsRequirement(level, required)) return true;
  log.info({ sender, level, required }, "command refused: insufficient repository permission");
  await answer(`@${sender} Only people with ${required} access to this repository can run \`/agent ${name}\`.`);
  return false;
}

async function requestReview(
  github: GitHubHost,
  invocation: CommandInvocation,
  queue: JobIntake,
  answer: (body: string) => Promise<void>,
  log: Logger,
): Promise<void> {
  const { ref, sender } = invocation;
  const pr = await github.pullRequest(ref);
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
    ...(invocation.replayKey ? { replayKey: invocation.replayKey } : {}),
    trigger: "agent.review",
  });
  log.info({ ...result }, "full review requested");
  // Queued: the 👀 says it was heard and the review itself is the answer.
  if (result.status === "duplicate") await answer(`@${sender} A review of this commit is already pending.`);
}

async function fix(
  github: GitHubHost,
  invocation: CommandInvocation,
  instructions: string,
  config: RepoConfig,
  queue: JobIntake,
  deps: CommandDeps,
  answer: (body: string) => Promise<void>,
  attempt: CommandAttempt,
  log: Logger,
): Promise<void> {
  const { ref, source, sender } = invocation;
  const scope: FixScope =
    source.kind === "review-comment"
      ? { kind: "thread", root: await github.reviewComment(ref, source.threadRootId) }
      : source.kind === "check-run"
        ? { kind: "gating" }
        : { kind: "conversation" };
  const botLogin = await github.botLogin();
  const saved = (result: CommittedFixResult, state: CommittedFix["state"]): CommittedFix => ({
    state,
    sha: result.commit.sha,
    previousHead: result.previousHead,
    branch: result.branch,
    reply: fixReply(result, invocation, config),
  });
  const result = await runFix(
    github,
    {
      ref,
      scope,
      instructions,
      requestedBy: sender,
      requestUrl: invocation.url,
      botLogin,
      config,
      ...(attempt.signal ? { signal: attempt.signal } : {}),
      // Whatever happens from here on (a 5xx on the update, a crash, a restart), a later attempt finds this and reads the branch.
      beforeRefMove: (pending) => attempt.saveCommitted(saved(pending, "committing")),
    },
    { analyzers: deps.analyzers, model: deps.fixModel, ...(deps.proof ?? {}), ...(deps.repository ? { repository: deps.repository } : {}) },
    log,
  );
  if (result.kind !== "committed") {
    await answer(formatFixReply(result, sender));
    return;
  }
  const committed = saved(result, "committed");
  await attempt.saveCommitted(committed);
  await afterCommit(github, invocation, committed, queue, answer, log);
}

/**
 * The fix's answer, worded when the commit is made and saved with it. When
 * CI is followed, it ends with the follow-up's marker: what a webhook about
 * the commit's checks reads back (github/ci-follow-marker.ts).
 */
function fixReply(result: CommittedFixResult, invocation: CommandInvocation, config: RepoConfig): string {
  const text = formatFixReply(result, invocation.sender);
  if (!config.fix.followCi) return fitComment(text);
  const marker = ciFollowMarker({
    sha: result.commit.sha,
    base: result.previousHead,
    round: 1,
    deadline: Date.now() + config.fix.ciTimeout * 1000,
    paths: result.changes.map((c) => c.path).slice(0, 50),
    source: invocation.source,
    sender: invocation.sender,
    url: invocation.url,
  });
  const note = followingNote(config.fix.ciRounds, config.fix.ciTimeout);
  return fitComment(`${text}\n${note}`, marker);
}

/** The fix's answer when the pull request has no CI: the follow-up's note and marker give way to saying so. */
function withoutCi(reply: string): string {
  const at = reply.lastIndexOf(`\n${FOLLOWING_NOTE_START}`);
  const text = at === -1 ? reply : reply.slice(0, at);
  return `${text}\n<sub>No CI checks report on this pull request (none on the commit before the fix), so the fix was checked only by Longview's own review of it.</sub>`;
}

/** A later attempt of a fix (or undo) job that made its commit: never fixes again. */
async function resumeFix(
  github: GitHubHost,
  invocation: CommandInvocation,
  saved: CommittedFix,
  queue: JobIntake,
  answer: (body: string) => Promise<void>,
  attempt: CommandAttempt,
  log: Logger,
): Promise<void> {
  await resumeCommit(
    github,
    saved,
    {
      requester: invocation.sender,
      what: invocation.command.kind === "undo" ? "undo" : "fix",
      save: (committed) => attempt.saveCommitted(committed),
      answer,
      after: (committed) => afterCommit(github, invocation, committed, queue, answer, log),
    },
    log,
  );
}

/**
 * Once the branch holds the commit: its review, then the answer. Both are
 * safe to repeat on a later attempt — the review is de-duplicated by
 * delivery (and by head), the answer is looked for before it is posted —
 * and the review comes first, so an answer is never left promising a
 * review that was not queued.
 */
async function afterCommit(
  github: GitHubHost,
  invocation: CommandInvocation,
  committed: CommittedFix,
  queue: JobIntake,
  answer: (body: string) => Promise<void>,
  log: Logger,
): Promise<void> {
  const { ref } = invocation;
  // The `synchronize` GitHub sends for this commit comes from Longview's own bot, and the
  // pull_request handler ignores bot events (they would start loops with other bots). So the
  // new commit's review is queued here, with the old head for superseding its unfinished runs.
  const queued = await queue.enqueue({
    kind: "review",
    installationId: invocation.installationId,
    owner: ref.owner,
    repo: ref.repo,
    pullNumber: ref.pullNumber,
    headSha: committed.sha,
    previousSha: committed.previousHead,
    deliveryId: invocation.deliveryId,
    ...(invocation.replayKey ? { replayKey: invocation.replayKey } : {}),
    // What made the commit: a fix, or the revert of Longview's fixes.
    trigger: invocation.command.kind === "undo" ? "agent.undo" : "agent.fix",
  });
  log.info({ ...queued, sha: committed.sha }, "review of the fix commit queued");
  const follow = invocation.command.kind === "fix" ? parseCiFollowMarker(committed.reply) : null;
  // No check of any other app on the head before the fix: this pull request has no CI to wait for, and the answer says so.
  const before = follow ? await github.commitChecks(ref, follow.base) : null;
  if (follow === null || (before?.kind === "checks" && before.checks.length === 0)) {
    if (follow) log.info({ base: follow.base }, "no CI checks on the head before the fix; not following CI");
    await answer(follow ? withoutCi(committed.reply) : committed.reply);
    return;
  }
  await answer(committed.reply);
  // After the answer: a CI event on the commit reads the follow-up from it, and this watch sees whatever finished before.
  await queueFollowUp(queue, { ...ref, installationId: invocation.installationId, deliveryId: invocation.deliveryId }, follow, log);
}

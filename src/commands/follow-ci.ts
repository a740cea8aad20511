import type { Logger } from "pino";
import { ciFollowMarker, parseCiFollowMarker, type CiFollow } from "../github/ci-follow-marker.js";
import { answerKey } from "../github/command-replies.js";
import type { GitHubHost } from "../github/host.js";
import type { PullRef } from "../domain/pull-request.js";
import type { RepoConfig } from "../config/repo-config.js";
import { MAX_FAILURES_READ, ciVerdict, failureReport, revisionPaths, watchDecision, type CiLook, type ReadFailure } from "../fix/ci-follow.js";
import { runFix, type CommittedFixResult } from "../fix/run-fix.js";
import type { CiJob, CiOutcome } from "../queue/kinds/ci.js";
import type { CommittedFix } from "../queue/kinds/command.js";
import type { JobIntake } from "../queue/queue.js";
import { fitComment } from "./fit-comment.js";
import { followingNote, formatCiVerdict, formatFailedRevision, formatRevision, type CiReplyContext } from "./format-ci-reply.js";
import { resumeCommit } from "./resume-commit.js";
import type { Analyzer } from "../analyzers/analyzer.js";
import type { FixModel } from "../fix/fix-model.js";
import type { ProofDeps } from "../fix/prove-fix.js";
import type { FixDeps } from "../fix/run-fix.js";

/**
 * The CI loop after a fix commit (`ci` jobs, queue/kinds/ci.ts): a watch
 * looks at the commit's checks and queues its settle once they are all in
 * (or time is up); the settle compares them with the head before
 * Longview's first fix and reports, or revises with a follow-up commit that
 * is followed in turn, up to `fix.ciRounds`. Every step reads its state
 * back from GitHub or from its job, so any worker can take any step after
 * any restart; the revision commit is saved on the job before the branch
 * moves (as a fix command's is), and every answer is looked for before it
 * is posted again.
 */

/** The queue's side of one attempt of a `ci` job (see `CommandAttempt`). */
export interface CiAttempt {
  readonly signal?: AbortSignal;
  readonly committed: CommittedFix | null;
  saveCommitted(committed: CommittedFix): Promise<void>;
  readonly rerun: boolean;
}

/** What a revision needs: the same as a fix command's (`CommandDeps`). */
export interface RevisionDeps {
  readonly analyzers: readonly Analyzer[];
  /** Null in offline mode: CI is reported, never revised. */
  readonly fixModel: FixModel | null;
  readonly proof?: ProofDeps;
  readonly repository?: FixDeps["repository"];
}

export async function followCi(
  github: GitHubHost,
  job: CiJob,
  queue: JobIntake,
  deps: RevisionDeps,
  log: Logger,
  attempt: CiAttempt,
  now: () => number = Date.now,
): Promise<CiOutcome> {
  const ref: PullRef = { owner: job.owner, repo: job.repo, pullNumber: job.pullNumber };
  const follow = job.follow ?? (await followOf(github, ref, job.sha));
  if (follow === null) {
    // A CI event on a commit Longview does not follow (not its fix, or its answer is not posted yet: the commit's own watch covers that).
    log.info("no follow-up recorded for this commit; nothing to do");
    return "ignored";
  }
  if (job.phase === "watch") return watch(github, job, follow, queue, log, now);
  return settle(github, job, follow, queue, deps, log, attempt, now);
}

/** Queues the watches of a commit Longview just made: one now, one at the deadline. Safe to repeat (replay keys). */
export async function queueFollowUp(
  queue: JobIntake,
  job: Pick<CiJob, "installationId" | "owner" | "repo" | "pullNumber" | "deliveryId">,
  follow: CiFollow,
  log: Logger,
) {
  const now = await queue.enqueue(ciJob(job, { phase: "watch", sha: follow.sha, why: "commit", follow }));
  const deadline = await queue.enqueue(ciJob(job, { phase: "watch", sha: follow.sha, why: "deadline", follow, notBefore: follow.deadline }));
  log.info(
    { sha: follow.sha, round: follow.round, deadline: new Date(follow.deadline).toISOString(), now: now.status, atDeadline: deadline.status },
    "CI follow-up queued",
  );
}

/** A `ci` job for the same pull request, installation and delivery as `job`. */
function ciJob(
  job: Pick<CiJob, "installationId" | "owner" | "repo" | "pullNumber" | "deliveryId">,
  fields: Omit<CiJob, "kind" | "installationId" | "owner" | "repo" | "pullNumber" | "deliveryId">,
): CiJob {
  return {
    kind: "ci",
    installationId: job.installationId,
    owner: job.owner,
    repo: job.repo,
    pullNumber: job.pullNumber,
    deliveryId: job.deliveryId,
    ...fields,
  };
}

/** The follow-up Longview recorded for `sha` in its own answers (the latest), or null. */
async function followOf(github: GitHubHost, ref: PullRef, sha: string): Promise<CiFollow | null> {
  const recorded = (await github.longviewComments(ref)).map(parseCiFollowMarker).filter((f): f is CiFollow => f !== null && f.sha === sha);
  return recorded.at(-1) ?? null;
}

/** The checks of the fix commit and of the head before the fix; null when the pull request is closed (nothing left to follow). */
async function look(github: GitHubHost, ref: PullRef, follow: CiFollow, now: () => number): Promise<CiLook | null> {
  const pr = await github.pullRequest(ref);
  if (pr.state !== "open") return null;
  const [fixChecks, baseChecks] = await Promise.all([github.commitChecks(ref, follow.sha), github.commitChecks(ref, follow.base)]);
  return { follow, head: pr.head.sha, fixChecks, baseChecks, now: now() };
}

async function watch(github: GitHubHost, job: CiJob, follow: CiFollow, queue: JobIntake, log: Logger, now: () => number): Promise<CiOutcome> {
  const ref = { owner: job.owner, repo: job.repo, pullNumber: job.pullNumber };
  const seen = await look(github, ref, follow, now);
  if (seen === null) {
    log.info("the pull request is closed; its CI is no longer followed");
    return "ignored";
  }
  const decision = watchDecision(seen);
  if (decision.kind === "wait") {
    log.info({ pending: decision.pending }, "CI still running on the fix commit");
    return "waiting";
  }
  const queued = await queue.enqueue(ciJob(job, { phase: "settle", sha: follow.sha, why: job.why, follow }));
  log.info({ reason: decision.why, settle: queued.status }, queued.status === "queued" ? "CI settled: verdict queued" : "CI verdict already given or queued");
  return "settled";
}

async function settle(
  github: GitHubHost,
  job: CiJob,
  follow: CiFollow,
  queue: JobIntake,
  deps: RevisionDeps,
  log: Logger,
  attempt: CiAttempt,
  now: () => number,
): Promise<CiOutcome> {
  const ref = { owner: job.owner, repo: job.repo, pullNumber: job.pullNumber };
  const answer = (body: string) =>
    github.answer(ref, follow.source, body, { key: answerKey(`ci:${follow.sha}`, ref), lookFirst: attempt.rerun || attempt.committed !== null, log });
  if (attempt.committed) {
    await resumeRevision(github, job, follow, attempt.committed, queue, answer, attempt, log);
    return "settled";
  }
  const { config } = await github.repoConfig(ref, log);
  const ctx: CiReplyContext = { requester: follow.sender, sha: follow.sha, round: follow.round, timeoutSeconds: config.fix.ciTimeout };
  const seen = await look(github, ref, follow, now);
  if (seen === null) {
    log.info("the pull request is closed; no CI verdict is given");
    return "ignored";
  }
  const verdict = ciVerdict(seen, config.fix.ciRounds);
  log.info({ verdict: verdict.kind, round: follow.round }, "CI verdict on the fix commit");
  if (verdict.kind !== "revise") {
    await answer(formatCiVerdict(verdict, ctx));
    return "settled";
  }

  const failures: ReadFailure[] = [];
  for (const check of verdict.failing.slice(0, MAX_FAILURES_READ)) failures.push({ check, details: await github.checkFailureDetails(ref, check) });
  const report = failureReport(failures);
  const checks = verdict.failing.map((c) => c.name);
  const botLogin = await github.botLogin();
  const saved = (result: CommittedFixResult, state: CommittedFix["state"]): CommittedFix => ({
    state,
    sha: result.commit.sha,
    previousHead: result.previousHead,
    branch: result.branch,
    reply: revisionReply(result, verdict.failing, ctx, follow, config, now()),
  });
  const result = await runFix(
    github,
    {
      ref,
      scope: { kind: "ci", checks, report, paths: revisionPaths(follow, failures, config.fix.maxFiles) },
      instructions: "",
      requestedBy: follow.sender,
      requestUrl: follow.url,
      botLogin,
      config,
      subject: `Repair CI after Longview's fix: ${checks.join(", ")}`,
      ...(attempt.signal ? { signal: attempt.signal } : {}),
      beforeRefMove: (pending) => attempt.saveCommitted(saved(pending, "committing")),
    },
    { analyzers: deps.analyzers, model: deps.fixModel, ...(deps.proof ?? {}), ...(deps.repository ? { repository: deps.repository } : {}) },
    log,
  );
  if (result.kind !== "committed") {
    log.warn({ result: result.kind }, "no revision for CI was committed");
    await answer(formatFailedRevision(result, verdict.failing, ctx));
    return "settled";
  }
  const committed = saved(result, "committed");
  await attempt.saveCommitted(committed);
  await afterRevision(job, committed, queue, answer, log);
  return "settled";
}

/** The revision's answer, ending with the follow-up of the new commit (its marker): worded once, saved with the commit. */
function revisionReply(
  result: CommittedFixResult,
  failing: Parameters<typeof formatRevision>[1],
  ctx: CiReplyContext,
  follow: CiFollow,
  config: RepoConfig,
  at: number,
): string {
  const next: CiFollow = {
    ...follow,
    sha: result.commit.sha,
    round: follow.round + 1,
    deadline: at + config.fix.ciTimeout * 1000,
    paths: [...new Set([...follow.paths, ...result.changes.map((c) => c.path)])].slice(0, 50),
  };
  const marker = ciFollowMarker(next);
  const text = formatRevision(result, failing, ctx, followingNote(Math.max(0, config.fix.ciRounds - follow.round), config.fix.ciTimeout));
  return fitComment(text, marker);
}

/** Once the branch holds the revision: its review, its answer (with the new follow-up), then the new commit's watches. */
async function afterRevision(job: CiJob, committed: CommittedFix, queue: JobIntake, answer: (body: string) => Promise<void>, log: Logger): Promise<void> {
  await queue.enqueue({
    kind: "review",
    installationId: job.installationId,
    owner: job.owner,
    repo: job.repo,
    pullNumber: job.pullNumber,
    headSha: committed.sha,
    previousSha: committed.previousHead,
    deliveryId: job.deliveryId,
    replayKey: `ci-revision|${committed.sha}`,
    trigger: "agent.fix",
  });
  await answer(committed.reply);
  const next = parseCiFollowMarker(committed.reply);
  if (next) await queueFollowUp(queue, job, next, log);
}

/** A later attempt of a settle that made its revision: never revises again. */
async function resumeRevision(
  github: GitHubHost,
  job: CiJob,
  follow: CiFollow,
  saved: CommittedFix,
  queue: JobIntake,
  answer: (body: string) => Promise<void>,
  attempt: CiAttempt,
  log: Logger,
): Promise<void> {
  await resumeCommit(
    github,
    saved,
    {
      requester: follow.sender,
      what: "fix",
      save: (committed) => attempt.saveCommitted(committed),
      answer,
      after: (committed) => afterRevision(job, committed, queue, answer, log),
    },
    log,
  );
}

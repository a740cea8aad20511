import type { GitHubHost } from "../github/host.js";
import type { CommandJob, CommandJobHandler } from "../queue/kinds/command.js";
import type { JobIntake } from "../queue/queue.js";
import type { CiJobHandler } from "../queue/kinds/ci.js";
import { followCi, type RevisionDeps } from "./follow-ci.js";
import { runCommand, type CommandDeps, type CommandInvocation } from "./run-command.js";

/**
 * The job body of an `/agent` command (and of the check run's "Fix all"):
 * GitHub as the installation, then `runCommand`, with the queue's
 * retry verdict and the saved fix commit passed through.
 */

export interface CommandJobHandlerInput {
  /** GitHub as the installation the job belongs to. */
  readonly github: (installationId: number) => Promise<GitHubHost>;
  readonly deps: CommandDeps;
  /** Where the reviews commands ask for go (`/agent review`, the review of a fix commit). */
  readonly queue: JobIntake;
}

export function createCommandJobHandler(input: CommandJobHandlerInput): CommandJobHandler {
  return {
    async run(job, run) {
      const github = await input.github(job.installationId);
      await runCommand(github, invocationOf(job), input.queue, input.deps, run.log, {
        signal: run.signal,
        willRetry: (error) => run.willRetry(error),
        committed: job.committed ?? null,
        saveCommitted: (committed) => run.saveCommitted(committed),
        rerun: run.attempt > 1,
      });
      return "answered";
    },
  };
}

export function invocationOf(job: CommandJob): CommandInvocation {
  return {
    ref: { owner: job.owner, repo: job.repo, pullNumber: job.pullNumber },
    installationId: job.installationId,
    deliveryId: job.deliveryId,
    ...(job.replayKey ? { replayKey: job.replayKey } : {}),
    source: job.source,
    sender: job.sender,
    command: job.command,
    url: job.url,
  };
}

/** The job that runs `invocation` (the inverse of `invocationOf`). */
export function commandJobOf(invocation: CommandInvocation): CommandJob {
  const { ref } = invocation;
  return {
    kind: "command",
    installationId: invocation.installationId,
    owner: ref.owner,
    repo: ref.repo,
    pullNumber: ref.pullNumber,
    deliveryId: invocation.deliveryId,
    ...(invocation.replayKey ? { replayKey: invocation.replayKey } : {}),
    source: invocation.source,
    sender: invocation.sender,
    command: invocation.command,
    url: invocation.url,
  };
}

export interface CiJobHandlerInput {
  readonly github: (installationId: number) => Promise<GitHubHost>;
  readonly deps: RevisionDeps;
  /** Where the watches, verdicts and the reviews of revisions go. */
  readonly queue: JobIntake;
}

/** The job body of the CI loop after a fix commit (`ci` jobs): `followCi`, with the saved revision commit passed through. */
export function createCiJobHandler(input: CiJobHandlerInput): CiJobHandler {
  return {
    async run(job, run) {
      const github = await input.github(job.installationId);
      return followCi(github, job, input.queue, input.deps, run.log, {
        signal: run.signal,
        committed: job.committed ?? null,
        saveCommitted: (committed) => run.saveCommitted(committed),
        rerun: run.attempt > 1,
      });
    },
  };
}

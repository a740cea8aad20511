import type { Logger } from "pino";
import type { GitHubHost } from "../github/host.js";
import { runUndo, type CommittedUndoResult } from "../fix/undo.js";
import type { CommittedFix } from "../queue/kinds/command.js";
import { truncateMarkdown } from "../markdown/untrusted.js";
import { formatUndoReply } from "./format-undo-reply.js";
import type { CommandAttempt, CommandInvocation } from "./run-command.js";

/**
 * `/agent undo` once authorized: the undo commit goes through the same
 * exactly-once path as a fix commit — saved on the job as "committing"
 * before the branch moves, "committed" after — so a retry or a recovered
 * job resumes it like a fix (run-command.ts `resumeFix`) and never reverts
 * twice. `afterCommit` queues the review of the new commit and answers.
 */

/** GitHub refuses comments over 65,536 characters. */
const MAX_COMMENT = 65_536;

export async function undoCommand(
  github: GitHubHost,
  invocation: CommandInvocation,
  answer: (body: string) => Promise<void>,
  attempt: CommandAttempt,
  afterCommit: (committed: CommittedFix) => Promise<void>,
  log: Logger,
): Promise<void> {
  const { ref, sender } = invocation;
  const saved = (result: CommittedUndoResult, state: CommittedFix["state"]): CommittedFix => ({
    state,
    sha: result.commit.sha,
    previousHead: result.previousHead,
    branch: result.branch,
    reply: truncateMarkdown(formatUndoReply(result, sender), MAX_COMMENT, "\n\n… (truncated to fit GitHub's limit)"),
  });
  const result = await runUndo(
    github,
    {
      ref,
      requestedBy: sender,
      requestUrl: invocation.url,
      botLogin: await github.botLogin(),
      beforeRefMove: (pending) => attempt.saveCommitted(saved(pending, "committing")),
    },
    log,
  );
  if (result.kind !== "committed") {
    await answer(formatUndoReply(result, sender));
    return;
  }
  const committed = saved(result, "committed");
  await attempt.saveCommitted(committed);
  await afterCommit(committed);
}

import type { Logger } from "pino";
import type { GitHubHost } from "../github/host.js";
import { runUndo, type CommittedUndoResult } from "../fix/undo.js";
import type { CommittedFix } from "../queue/kinds/command.js";
import { fitComment } from "./fit-comment.js";
import { formatUndoReply } from "./format-undo-reply.js";
import type { PullRef } from "../domain/pull-request.js";

/**
 * `/agent undo` once authorized: the undo commit goes through the same
 * exactly-once path as a fix commit — saved on the job as "committing"
 * before the branch moves, "committed" after — so a retry or a recovered
 * job resumes it like a fix (run-command.ts `resumeFix`) and never reverts
 * twice. `afterCommit` queues the review of the new commit and answers.
 */

/** What the undo needs of the command (run-command.ts `CommandInvocation`). */
export interface UndoInvocation {
  readonly ref: PullRef;
  readonly sender: string;
  /** The comment's URL, cited in the undo commit's message. */
  readonly url: string | null;
}

/** `saveCommitted` and `afterCommit`: the command job's own (run-command.ts), so the undo resumes and answers like a fix. */
export async function undoCommand(
  github: GitHubHost,
  invocation: UndoInvocation,
  answer: (body: string) => Promise<void>,
  saveCommitted: (committed: CommittedFix) => Promise<void>,
  afterCommit: (committed: CommittedFix) => Promise<void>,
  log: Logger,
): Promise<void> {
  const { ref, sender } = invocation;
  const saved = (result: CommittedUndoResult, state: CommittedFix["state"]): CommittedFix => ({
    state,
    sha: result.commit.sha,
    previousHead: result.previousHead,
    branch: result.branch,
    reply: fitComment(formatUndoReply(result, sender)),
  });
  const result = await runUndo(
    github,
    {
      ref,
      requestedBy: sender,
      requestUrl: invocation.url,
      botLogin: await github.botLogin(),
      beforeRefMove: (pending) => saveCommitted(saved(pending, "committing")),
    },
    log,
  );
  if (result.kind !== "committed") {
    await answer(formatUndoReply(result, sender));
    return;
  }
  const committed = saved(result, "committed");
  await saveCommitted(committed);
  await afterCommit(committed);
}

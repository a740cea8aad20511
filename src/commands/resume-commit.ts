import type { Logger } from "pino";
import type { GitHubHost } from "../github/host.js";
import type { CommittedFix } from "../queue/kinds/command.js";
import { formatUnappliedFix } from "./format-fix-reply.js";

/**
 * A later attempt of a job that made a commit (a fix, an undo, a revision
 * for CI): it never makes it again. Saved as `committed`, the branch holds
 * it; saved as `committing`, the branch is read — at the commit (or past it)
 * the commit is in, still at its parent the update is finished now,
 * anywhere else it was never applied and the requester is told so. Then
 * `after` does what follows the commit (its review, the answer), which is
 * safe to repeat.
 */
export async function resumeCommit(
  github: GitHubHost,
  saved: CommittedFix,
  steps: {
    readonly requester: string;
    readonly what: "fix" | "undo";
    readonly save: (committed: CommittedFix) => Promise<void>;
    readonly answer: (body: string) => Promise<void>;
    readonly after: (committed: CommittedFix) => Promise<void>;
  },
  log: Logger,
): Promise<void> {
  if (saved.state === "committed") {
    log.info({ sha: saved.sha }, "the commit was made by an earlier attempt; answering only");
    await steps.after(saved);
    return;
  }
  const { branch } = saved;
  const settled = await github.settleCommit(branch, branch.name, saved.sha, saved.previousHead, log);
  if (settled.kind === "not-applied") {
    log.warn({ sha: saved.sha, head: settled.head }, "the commit never reached its branch, which has moved since");
    await steps.answer(formatUnappliedFix(steps.requester, { sha: saved.sha, branch: branch.name }, settled.head, steps.what));
    return;
  }
  const committed: CommittedFix = { ...saved, state: "committed" };
  await steps.save(committed);
  await steps.after(committed);
}

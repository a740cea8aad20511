import type { Logger } from "pino";
import type { PullRef } from "../domain/pull-request.js";
import type { CommitSnapshot } from "../github/commit-files.js";
import { BranchMovedError, type FixCommit } from "../github/git-commit.js";
import type { GitHubHost } from "../github/host.js";
import { MAX_PULL_COMMITS, type PullCommit } from "../github/pull-commits.js";
import { inlineCode } from "../markdown/untrusted.js";
import { undoCommitMessage } from "./commit-message.js";
import { branchProblem, fileChange, splitFullName, type FileChange } from "./run-fix.js";
import { planRestore, recordedCommits, selectUndo, type ChangedPaths } from "./undo-plan.js";

/**
 * `/agent undo` end to end: read the branch's history and Longview's
 * answers, decide (undo-plan.ts), read the files as they were before
 * Longview's commits, and commit them back in one commit on the head —
 * through the same exactly-once commit as a fix (`GitHubHost.commitFiles`,
 * `beforeRefMove`). A branch that moved meanwhile is read and decided
 * again, once. Returns what happened; the caller words the reply.
 */

export interface UndoRequest {
  readonly ref: PullRef;
  readonly requestedBy: string;
  readonly requestUrl: string | null;
  /** Longview's own login (`slug[bot]`): its commits carry the bot's identity. */
  readonly botLogin: string;
  /** As `FixRequest.beforeRefMove`: called with the result just before the branch moves; when it throws, the branch is left alone. */
  readonly beforeRefMove?: (result: CommittedUndoResult) => Promise<void>;
}

export interface CommittedUndoResult {
  readonly kind: "committed";
  readonly commit: FixCommit;
  readonly branch: { readonly owner: string; readonly repo: string; readonly name: string };
  readonly previousHead: string;
  /** Longview's commits reverted, oldest first. */
  readonly reverted: readonly PullCommit[];
  readonly changes: readonly FileChange[];
}

export type UndoResult =
  | CommittedUndoResult
  | { readonly kind: "refused"; readonly reason: string }
  /** Nothing of Longview's is left to undo: an answer, not a refusal. */
  | { readonly kind: "nothing"; readonly reason: string };

export async function runUndo(github: GitHubHost, request: UndoRequest, log: Logger): Promise<UndoResult> {
  const { ref } = request;
  // Longview's answers are read once: a branch that moves meanwhile does not change what Longview committed.
  let recorded: string[] | null = null;
  for (let round = 1; ; round++) {
    const pr = await github.pullRequest(ref);
    const blocked = branchProblem(pr);
    if (blocked !== null) return { kind: "refused", reason: blocked.replace("Longview only fixes", "Longview only changes") };
    recorded ??= recordedCommits(await github.longviewComments(ref));
    const outcome = await undoOnce(github, request, pr.head.sha, pr.head.ref, splitFullName(pr.head.repo!.full_name), recorded, log);
    if (!(outcome instanceof BranchMovedError)) return outcome;
    if (outcome.actualSha === null) return { kind: "refused", reason: `The branch ${inlineCode(pr.head.ref)} no longer exists. Nothing was changed.` };
    if (round === 2) {
      return {
        kind: "refused",
        reason: `The branch ${inlineCode(pr.head.ref)} keeps moving (twice during this undo). Nothing was changed; comment \`/agent undo\` again once pushes have settled.`,
      };
    }
    log.info({ from: outcome.expectedSha, to: outcome.actualSha }, "branch moved during the undo; deciding again on its new head");
  }
}

/** One decision and commit on `headSha`; a `BranchMovedError` (returned, not thrown) when the branch is elsewhere by the time it commits. */
async function undoOnce(
  github: GitHubHost,
  request: UndoRequest,
  headSha: string,
  branch: string,
  headRepo: Pick<PullRef, "owner" | "repo">,
  recorded: readonly string[],
  log: Logger,
): Promise<UndoResult | BranchMovedError> {
  const { ref } = request;
  const commits = await github.pullCommits(ref);
  const selection = selectUndo({ botLogin: request.botLogin, headSha, branch, commits, listingFull: commits.length >= MAX_PULL_COMMITS, recorded });
  log.info({ commits: commits.length, recorded: recorded.length, decision: selection.kind }, "undo: history read");
  if (selection.kind !== "selected") return selection;

  const changed = new Map<string, ReadonlySet<string> | null>();
  for (const commit of selection.span) changed.set(commit.sha, await changedPaths(github, ref, commit));
  const plan = planRestore(selection, changed satisfies ChangedPaths);
  if (plan.kind === "refused") return plan;

  const head = await github.commit(headRepo, headSha);
  const snapshots = new Map<string, Promise<CommitSnapshot>>();
  const at = (sha: string) => {
    let snapshot = snapshots.get(sha);
    if (!snapshot) snapshots.set(sha, (snapshot = github.commit(headRepo, sha)));
    return snapshot;
  };
  const files = new Map<string, string>();
  const modes = new Map<string, string>();
  const changes: FileChange[] = [];
  for (const { path, from } of plan.files) {
    const before = await (await at(from)).readText(path);
    if (!before.ok) {
      return { kind: "refused", reason: `${inlineCode(path)} cannot be restored to its content before Longview's fix: ${before.reason}. Nothing was changed.` };
    }
    const now = await head.readText(path);
    if (now.ok && now.text === before.text && now.entry.mode === before.entry.mode) continue;
    files.set(path, before.text);
    modes.set(path, before.entry.mode);
    changes.push(fileChange(path, now.ok ? now.text : "", before.text));
  }
  if (files.size === 0) {
    return { kind: "nothing", reason: "There is nothing to undo: the files Longview's fix changed already have their content from before it." };
  }

  const message = undoCommitMessage(
    selection.revert,
    changes.map((c) => c.path),
    { requestedBy: request.requestedBy, requestUrl: request.requestUrl },
  );
  const result = (commit: FixCommit): CommittedUndoResult => ({
    kind: "committed",
    commit,
    branch: { ...headRepo, name: branch },
    previousHead: headSha,
    reverted: selection.revert,
    changes,
  });
  try {
    const commit = await github.commitFiles(
      {
        repo: headRepo,
        branch,
        parentSha: headSha,
        baseTreeSha: head.treeSha,
        files,
        modes,
        message,
        beforeRefMove: async (made) => request.beforeRefMove?.(result(made)),
      },
      log,
    );
    log.info({ sha: commit.sha, reverted: selection.revert.map((c) => c.sha), files: files.size }, "undo committed");
    return result(commit);
  } catch (error) {
    if (error instanceof BranchMovedError) return error;
    throw error;
  }
}

/** The paths a commit changed against its first parent (renames count under both names); null when GitHub cannot list them all. */
async function changedPaths(github: GitHubHost, ref: PullRef, commit: PullCommit): Promise<ReadonlySet<string> | null> {
  const parent = commit.parents[0];
  if (parent === undefined) return null;
  const increment = await github.changesSince(ref, parent, commit.sha);
  if (increment === null) return null;
  const paths = new Set<string>(increment.wholeFiles);
  for (const file of increment.files) {
    paths.add(file.path);
    if (file.previousPath) paths.add(file.previousPath);
  }
  return paths;
}

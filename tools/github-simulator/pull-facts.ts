import type { CommitDiff } from "./pr-diff.js";
import type { PullFacts } from "./render/pull-request.js";
import type { PullRecord } from "./state.js";
import type { World } from "./world.js";

/**
 * A pull request's diff as GitHub computes it: from the merge base of the
 * base branch's tip and the head commit (the "three-dot" diff) to the head.
 */
export interface PullDiff {
  readonly baseSha: string;
  readonly mergeBase: string;
  readonly headSha: string;
  readonly diff: CommitDiff;
}

export async function pullDiff(world: World, pull: PullRecord, headSha: string = pull.headSha): Promise<PullDiff> {
  const git = pull.repo.git;
  const baseSha = await baseTip(pull);
  const mergeBase = (await git.mergeBase(baseSha, headSha)) ?? baseSha;
  return { baseSha, mergeBase, headSha, diff: await world.diffs.diff(git, mergeBase, headSha) };
}

export async function pullFacts(world: World, pull: PullRecord): Promise<PullFacts> {
  const { baseSha, mergeBase, diff } = await pullDiff(world, pull);
  const commits = await pull.repo.git.commitsBetween(mergeBase, pull.headSha);
  const state = world.state;
  return {
    baseSha,
    additions: diff.files.reduce((sum, f) => sum + f.additions, 0),
    deletions: diff.files.reduce((sum, f) => sum + f.deletions, 0),
    changedFiles: diff.files.length,
    commits: commits.length,
    issueComments: state.issueComments.filter((c) => c.repo === pull.repo && c.issueNumber === pull.number).length,
    reviewComments: state.reviewComments.filter((c) => c.repo === pull.repo && c.pullNumber === pull.number).length,
  };
}

export async function baseTip(pull: PullRecord): Promise<string> {
  const sha = await pull.repo.git.branchTip(pull.baseRef);
  if (!sha) throw new Error(`base branch ${pull.baseRef} of ${pull.repo.fullName}#${pull.number} no longer exists`);
  return sha;
}

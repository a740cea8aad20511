import type { Logger } from "pino";
import type { GitHub, PullRef } from "./client.js";
import { httpStatus } from "./client.js";
import { NO_PLUGIN_RETRY, writeOnce } from "./idempotent-write.js";
import { CompareStatusSchema, CreatedCommitSchema, CreatedObjectSchema, GitRefSchema } from "./git-schemas.js";

/**
 * One commit for all edited files through the Git Data API: blobs → tree on
 * top of the head commit's tree → commit whose parent is the head → branch
 * ref moved without force. No author or committer is given, so GitHub
 * authors the commit as the app and signs it.
 *
 * Only the ref update is a write that matters twice: the objects before it
 * are unreferenced until the branch moves (a re-sent one is garbage). The
 * update itself is never re-sent blindly: after an ambiguous failure the
 * branch is read, and it either holds the commit (done) or still points at
 * the parent (not done, send again).
 */

export interface FixCommitInput {
  /** The repository holding the branch (the fork, for a fork's pull request). */
  readonly repo: Pick<PullRef, "owner" | "repo">;
  readonly branch: string;
  /** The commit the edits were validated on: the new commit's parent. */
  readonly parentSha: string;
  readonly baseTreeSha: string;
  /** New content by path. */
  readonly files: ReadonlyMap<string, string>;
  /** Git file mode by path (`100644`, `100755`), kept as it was. */
  readonly modes: ReadonlyMap<string, string>;
  readonly message: string;
  /**
   * Called with the new commit just before the branch moves to it (when the
   * fix must be remembered as "committing"); when it throws, the branch is
   * left alone.
   */
  readonly beforeRefMove?: (commit: FixCommit) => Promise<void>;
}

export interface FixCommit {
  readonly sha: string;
  readonly url: string | null;
}

/** The branch no longer points at the commit the fix was built on. */
export class BranchMovedError extends Error {
  constructor(
    readonly branch: string,
    readonly expectedSha: string,
    /** Where the branch is now, when known. */
    readonly actualSha: string | null,
  ) {
    super(`branch ${branch} moved from ${expectedSha.slice(0, 7)}${actualSha ? ` to ${actualSha.slice(0, 7)}` : ""}`);
    this.name = "BranchMovedError";
  }
}

export async function commitFiles(gh: GitHub, input: FixCommitInput, log: Logger): Promise<FixCommit> {
  const { owner, repo } = input.repo;
  const current = await branchHead(gh, input.repo, input.branch);
  if (current !== input.parentSha) throw new BranchMovedError(input.branch, input.parentSha, current);

  const tree: { path: string; mode: "100644" | "100755"; type: "blob"; sha: string }[] = [];
  for (const [path, content] of input.files) {
    const { data } = await gh.rest.git.createBlob({ owner, repo, content, encoding: "utf-8" });
    tree.push({ path, mode: input.modes.get(path) === "100755" ? "100755" : "100644", type: "blob", sha: CreatedObjectSchema.parse(data).sha });
  }
  const { data: createdTree } = await gh.rest.git.createTree({ owner, repo, base_tree: input.baseTreeSha, tree });
  const { data: createdCommit } = await gh.rest.git.createCommit({
    owner,
    repo,
    message: input.message,
    tree: CreatedObjectSchema.parse(createdTree).sha,
    parents: [input.parentSha],
  });
  const parsed = CreatedCommitSchema.parse(createdCommit);
  const commit: FixCommit = { sha: parsed.sha, url: parsed.html_url ?? null };
  await input.beforeRefMove?.(commit);
  await moveBranch(gh, input.repo, input.branch, commit.sha, input.parentSha, log);
  return commit;
}

/**
 * Fast-forwards `branch` from `parentSha` to `sha`, exactly once: a 5xx is
 * resolved by reading the branch, never by sending the update again blindly.
 * Throws `BranchMovedError` when the branch is somewhere else.
 */
export async function moveBranch(
  gh: GitHub,
  repo: Pick<PullRef, "owner" | "repo">,
  branch: string,
  sha: string,
  parentSha: string,
  log: Logger,
): Promise<void> {
  try {
    await writeOnce({
      what: `moving ${branch} to the fix commit ${sha.slice(0, 7)}`,
      log,
      write: async () => {
        await gh.rest.git.updateRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${branch}`, sha, force: false, request: NO_PLUGIN_RETRY });
        return true;
      },
      // Anywhere but the commit (or a descendant of it) means not done: the next update either lands or is refused as not a fast-forward.
      find: async () => ((await locateCommit(gh, repo, branch, sha, parentSha)).place === "holds" ? true : null),
    });
  } catch (error) {
    // 422 "Update is not a fast forward": someone pushed between our check and the update.
    if (httpStatus(error) === 422) throw new BranchMovedError(branch, parentSha, await branchHead(gh, repo, branch));
    throw error;
  }
}

/** Where a branch is, seen from a fix commit built on `parentSha`. */
export type CommitPlace =
  /** At the commit, or at a descendant of it (someone pushed on top): the fix is in. */
  | { readonly place: "holds"; readonly head: string }
  /** Still at the commit's parent: the branch never moved to the fix. */
  | { readonly place: "at-parent"; readonly head: string }
  /** Somewhere without the commit (a force-push, or a push before the fix landed). */
  | { readonly place: "elsewhere"; readonly head: string }
  | { readonly place: "gone"; readonly head: null };

export async function locateCommit(gh: GitHub, repo: Pick<PullRef, "owner" | "repo">, branch: string, sha: string, parentSha: string): Promise<CommitPlace> {
  const head = await branchHead(gh, repo, branch);
  if (head === null) return { place: "gone", head };
  if (head === sha) return { place: "holds", head };
  if (head === parentSha) return { place: "at-parent", head };
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({ owner: repo.owner, repo: repo.repo, basehead: `${sha}...${head}`, per_page: 1 });
  const { status } = CompareStatusSchema.parse(data);
  return { place: status === "ahead" || status === "identical" ? "holds" : "elsewhere", head };
}

async function branchHead(gh: GitHub, repo: Pick<PullRef, "owner" | "repo">, branch: string): Promise<string | null> {
  try {
    const { data } = await gh.rest.git.getRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${branch}` });
    return GitRefSchema.parse(data).object.sha;
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

/** What became of a fix commit whose branch update may or may not have happened. */
export type SettledCommit = { readonly kind: "on-branch" } | { readonly kind: "not-applied"; readonly head: string | null };

/**
 * Finishes the branch update of a fix commit that an earlier attempt saved
 * as "committing" (it then failed, timed out or died): the branch holds the
 * commit → done; still at its parent → moved now; anywhere else → the fix
 * is not on the branch and is not forced onto it.
 */
export async function settleCommit(
  gh: GitHub,
  repo: Pick<PullRef, "owner" | "repo">,
  branch: string,
  sha: string,
  parentSha: string,
  log: Logger,
): Promise<SettledCommit> {
  const where = await locateCommit(gh, repo, branch, sha, parentSha);
  log.info({ sha, place: where.place, head: where.head }, "fix commit found saved as committing; read where the branch is");
  if (where.place === "holds") return { kind: "on-branch" };
  if (where.place !== "at-parent") return { kind: "not-applied", head: where.head };
  try {
    await moveBranch(gh, repo, branch, sha, parentSha, log);
    return { kind: "on-branch" };
  } catch (error) {
    if (error instanceof BranchMovedError) return { kind: "not-applied", head: error.actualSha };
    throw error;
  }
}

import type { GitHub, PullRef } from "../github/client.js";
import { httpStatus } from "../github/client.js";
import { CreatedCommitSchema, CreatedObjectSchema } from "./github-schemas.js";

/**
 * One commit for all edited files through the Git Data API: blobs → tree on
 * top of the head commit's tree → commit whose parent is the head → branch
 * ref moved without force. No author or committer is given, so GitHub
 * authors the commit as the app and signs it.
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

export async function commitFiles(gh: GitHub, input: FixCommitInput): Promise<FixCommit> {
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
  const commit = CreatedCommitSchema.parse(createdCommit);
  try {
    await gh.rest.git.updateRef({ owner, repo, ref: `heads/${input.branch}`, sha: commit.sha, force: false });
  } catch (error) {
    // 422 "Update is not a fast forward": someone pushed between our check and the update.
    if (httpStatus(error) === 422) throw new BranchMovedError(input.branch, input.parentSha, await branchHead(gh, input.repo, input.branch));
    throw error;
  }
  return { sha: commit.sha, url: commit.html_url ?? null };
}

async function branchHead(gh: GitHub, repo: Pick<PullRef, "owner" | "repo">, branch: string): Promise<string | null> {
  try {
    const { data } = await gh.rest.git.getRef({ owner: repo.owner, repo: repo.repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

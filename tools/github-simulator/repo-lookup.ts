import type { PullRecord, RepoRecord, SimState } from "./state.js";
import type { RepoName } from "./types.js";

/** Test-side lookups by "owner/name"; a wrong name is a mistake in the test, so it throws. */

export function repoNamed(state: SimState, name: RepoName): RepoRecord {
  const [owner = "", repoName = ""] = name.split("/");
  const repo = state.repo(owner, repoName);
  if (!repo) throw new Error(`simulator: no repository ${name}`);
  return repo;
}

export function pullNamed(state: SimState, name: RepoName, number: number): PullRecord {
  const pull = state.pull(repoNamed(state, name), number);
  if (!pull) throw new Error(`simulator: no pull request ${name}#${number}`);
  return pull;
}

/** The repository at the root of a fork network. */
export function networkRoot(repo: RepoRecord): RepoRecord {
  let current = repo;
  while (current.parent) current = current.parent;
  return current;
}

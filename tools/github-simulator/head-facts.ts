import type { CommitObject } from "./git-repo.js";
import { baseTip } from "./pull-facts.js";
import type { PullRecord, RepoRecord } from "./state.js";
import type { World } from "./world.js";

/**
 * What check runs, check suites and workflow runs say about their commit:
 * the open pull requests whose head it is (with their base tips) and the
 * commit itself.
 */
export interface HeadFacts {
  readonly pulls: readonly PullRecord[];
  readonly baseShas: ReadonlyMap<number, string>;
  readonly commit: CommitObject | null;
}

export async function headFacts(world: World, repo: RepoRecord, sha: string): Promise<HeadFacts> {
  const pulls = world.state.pulls.filter((p) => p.repo === repo && p.state === "open" && p.headSha === sha);
  const baseShas = new Map<number, string>();
  for (const pull of pulls) baseShas.set(pull.id, await baseTip(pull));
  return { pulls, baseShas, commit: await repo.git.readCommit(sha) };
}

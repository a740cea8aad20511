import { notAccessibleByIntegration, notFound } from "./errors.js";
import type { Caller } from "./router.js";
import type { PullRecord, RepoRecord } from "./state.js";
import type { World } from "./world.js";

/**
 * GitHub's visibility rules for an installation token: public repositories
 * can be read by anyone, private ones only by their installation (others see
 * 404); writes need the repository to be in the token's installation, and a
 * token that may write (403).
 */

export function readableRepo(world: World, caller: Caller, params: Readonly<Record<string, string>>): RepoRecord {
  const repo = world.state.repo(params["owner"] ?? "", params["repo"] ?? "");
  if (!repo) throw notFound();
  if (repo.private && !covers(caller, repo)) throw notFound();
  return repo;
}

export function writableRepo(world: World, caller: Caller, params: Readonly<Record<string, string>>): RepoRecord {
  const repo = readableRepo(world, caller, params);
  if (!covers(caller, repo) || (caller.kind === "installation" && caller.readOnly === true)) throw notAccessibleByIntegration();
  return repo;
}

export function findPull(world: World, repo: RepoRecord, number: string | undefined): PullRecord {
  const pull = world.state.pull(repo, Number(number));
  if (!pull) throw notFound();
  return pull;
}

function covers(caller: Caller, repo: RepoRecord): boolean {
  return caller.kind === "installation" && repo.installationId === caller.installationId;
}

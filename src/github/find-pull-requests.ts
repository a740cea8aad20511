import type { GitHub, PullRef } from "./client.js";

/**
 * Open pull requests whose head is `sha`. Check events list their pull
 * requests, except for forks (`pull_requests` is empty there), so those are
 * matched by head SHA among the open pull requests.
 */
export async function findPullRequestsForSha(
  gh: GitHub,
  repo: Pick<PullRef, "owner" | "repo">,
  sha: string,
  listed: readonly { number: number }[],
): Promise<number[]> {
  if (listed.length > 0) return listed.map((p) => p.number);
  const open = await gh.paginate(gh.rest.pulls.list, { owner: repo.owner, repo: repo.repo, state: "open", per_page: 100 });
  return open.filter((p) => p.head.sha === sha).map((p) => p.number);
}

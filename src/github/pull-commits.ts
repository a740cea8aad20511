import { z } from "zod";
import type { GitHub, PullRef } from "./client.js";
import { PullCommitSchema } from "./git-schemas.js";

/**
 * What `/agent undo` reads about a pull request's history: its commits with
 * their git identities, and Longview's own comments (its answers name the
 * commits it made). Validated here; the decisions are in fix/undo-plan.ts.
 */

/** A git identity as the commit records it. */
export interface GitIdentity {
  readonly name: string;
  readonly email: string;
}

export interface PullCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly message: string;
  readonly author: GitIdentity | null;
  readonly committer: GitIdentity | null;
}

/** GitHub lists at most this many commits of a pull request. */
export const MAX_PULL_COMMITS = 250;

/** The pull request's commits, oldest first (GitHub's order), at most `MAX_PULL_COMMITS`. */
export async function pullCommits(gh: GitHub, ref: PullRef): Promise<PullCommit[]> {
  const listed: unknown[] = await gh.paginate(gh.rest.pulls.listCommits, { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, per_page: 100 });
  return listed.map((raw) => {
    const c = PullCommitSchema.parse(raw);
    return { sha: c.sha, parents: c.parents.map((p) => p.sha), message: c.commit.message, author: c.commit.author, committer: c.commit.committer };
  });
}

const OwnCommentSchema = z.object({
  id: z.number().int(),
  body: z.string().nullable().optional(),
  user: z.object({ login: z.string() }).nullable().optional(),
  created_at: z.string().optional(),
});

/** Longview's own comments on the pull request (the conversation and review threads), oldest first. */
export async function longviewComments(gh: GitHub, ref: PullRef, botLogin: string): Promise<string[]> {
  const params = { owner: ref.owner, repo: ref.repo, per_page: 100 };
  const lists: unknown[][] = await Promise.all([
    gh.paginate(gh.rest.issues.listComments, { ...params, issue_number: ref.pullNumber }),
    gh.paginate(gh.rest.pulls.listReviewComments, { ...params, pull_number: ref.pullNumber }),
  ]);
  const ours = lists
    .flat()
    .map((raw) => OwnCommentSchema.parse(raw))
    .filter((c) => c.user?.login === botLogin);
  // Issue and review comment ids are different sequences: the time orders them, the id breaks ties within one list.
  ours.sort((a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? "") || a.id - b.id);
  return ours.map((c) => c.body ?? "");
}

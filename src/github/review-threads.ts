import { z } from "zod";
import type { GitHub, PullRef } from "./client.js";

/**
 * The review threads of a pull request, keyed by the database id of each
 * thread's first comment. GraphQL only: REST exposes neither a thread's id
 * (needed to resolve it) nor whether it is resolved or outdated.
 */

export interface ThreadState {
  readonly id: string;
  readonly resolved: boolean;
  readonly outdated: boolean;
  /** Login of whoever resolved the thread (GraphQL names a bot by its slug, without `[bot]`); null when open or unknown. */
  readonly resolvedBy?: string | null;
}

const THREADS_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved isOutdated resolvedBy { login } comments(first: 1) { nodes { databaseId } } }
      }
    }
  }
}`;

const ThreadsPageSchema = z.object({
  repository: z.object({
    pullRequest: z.object({
      reviewThreads: z.object({
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
        nodes: z.array(
          z.object({
            id: z.string(),
            isResolved: z.boolean(),
            isOutdated: z.boolean(),
            resolvedBy: z.object({ login: z.string() }).nullable().optional(),
            comments: z.object({ nodes: z.array(z.object({ databaseId: z.number().int().nullable() }).nullable()) }),
          }),
        ),
      }),
    }),
  }),
});

export async function readReviewThreads(gh: GitHub, ref: PullRef): Promise<Map<number, ThreadState>> {
  const byRootComment = new Map<number, ThreadState>();
  let cursor: string | null = null;
  do {
    const raw: unknown = await gh.graphql(THREADS_QUERY, { owner: ref.owner, repo: ref.repo, number: ref.pullNumber, cursor });
    const page = ThreadsPageSchema.parse(raw).repository.pullRequest.reviewThreads;
    for (const t of page.nodes) {
      const root = t.comments.nodes[0]?.databaseId;
      if (typeof root === "number")
        byRootComment.set(root, { id: t.id, resolved: t.isResolved, outdated: t.isOutdated, resolvedBy: t.resolvedBy?.login ?? null });
    }
    cursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (cursor);
  return byRootComment;
}

export async function resolveReviewThread(gh: GitHub, threadId: string): Promise<void> {
  await gh.graphql(`mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }`, { id: threadId });
}

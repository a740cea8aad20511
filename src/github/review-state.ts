import { z } from "zod";
import type { Logger } from "pino";
import { parseAllFindingMarkers, parseFindingMarker, parseFixedMarker, parseReviewMarker, type FindingMarker } from "../review/markers.js";
import type { GitHub, PullRef } from "./client.js";

/**
 * What Longview already said on a pull request, read back from GitHub: the
 * heads it reviewed, every finding it posted (by fingerprint) and the state
 * of their threads. Only Longview's own comments count: anybody can type a
 * marker.
 */

export interface PriorComment {
  readonly id: number;
  readonly path: string;
  readonly marker: FindingMarker;
  readonly threadId: string | null;
  readonly resolved: boolean;
  /** A "Fixed in …" reply was already posted in the thread. */
  readonly fixedReplied: boolean;
}

export interface PriorReviewState {
  /** Head of Longview's newest review, or null when it never reviewed this pull request. */
  readonly lastReviewedHead: string | null;
  /** Every fingerprint Longview posted, as a line/file comment or in a review body. */
  readonly fingerprints: ReadonlySet<string>;
  /** Longview's finding comments that start a thread. */
  readonly comments: readonly PriorComment[];
}

export async function readPriorReviewState(gh: GitHub, ref: PullRef, botLogin: string, log: Logger): Promise<PriorReviewState> {
  const params = { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, per_page: 100 };
  const [reviews, comments] = await Promise.all([
    gh.paginate(gh.rest.pulls.listReviews, params),
    gh.paginate(gh.rest.pulls.listReviewComments, params),
  ]);
  const ours = <T extends { user?: { login: string } | null }>(items: T[]) => items.filter((i) => i.user?.login === botLogin);

  const fingerprints = new Set<string>();
  let lastReviewedHead: string | null = null;
  for (const review of ours(reviews)) {
    const marker = parseReviewMarker(review.body);
    if (!marker) continue;
    lastReviewedHead = marker.head; // listReviews is chronological.
    for (const f of parseAllFindingMarkers(review.body)) fingerprints.add(f.fingerprint);
  }

  const fixed = new Set<number>();
  const roots: { id: number; path: string; marker: FindingMarker }[] = [];
  for (const c of ours(comments)) {
    if (c.in_reply_to_id !== undefined && c.in_reply_to_id !== null) {
      if (parseFixedMarker(c.body)) fixed.add(c.in_reply_to_id);
      continue;
    }
    const marker = parseFindingMarker(c.body);
    if (!marker) continue;
    fingerprints.add(marker.fingerprint);
    roots.push({ id: c.id, path: c.path, marker });
  }

  const threads = roots.length > 0 ? await readThreads(gh, ref) : new Map<number, ThreadState>();
  log.debug({ lastReviewedHead, fingerprints: fingerprints.size, comments: roots.length }, "prior review state read");
  return {
    lastReviewedHead,
    fingerprints,
    comments: roots.map((r) => ({
      ...r,
      threadId: threads.get(r.id)?.id ?? null,
      resolved: threads.get(r.id)?.resolved ?? false,
      fixedReplied: fixed.has(r.id),
    })),
  };
}

interface ThreadState {
  readonly id: string;
  readonly resolved: boolean;
}

const THREADS_QUERY = `query($owner: String!, $repo: String!, $number: Int!, $cursor: String) {
  repository(owner: $owner, name: $repo) {
    pullRequest(number: $number) {
      reviewThreads(first: 100, after: $cursor) {
        pageInfo { hasNextPage endCursor }
        nodes { id isResolved comments(first: 1) { nodes { databaseId } } }
      }
    }
  }
}`;

const ThreadsResponse = z.object({
  repository: z.object({
    pullRequest: z.object({
      reviewThreads: z.object({
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
        nodes: z.array(
          z.object({
            id: z.string(),
            isResolved: z.boolean(),
            comments: z.object({ nodes: z.array(z.object({ databaseId: z.number().int().nullable() })) }),
          }),
        ),
      }),
    }),
  }),
});

/** Thread id and resolution by the database id of the thread's first comment. */
async function readThreads(gh: GitHub, ref: PullRef): Promise<Map<number, ThreadState>> {
  const byComment = new Map<number, ThreadState>();
  let cursor: string | null = null;
  do {
    const raw: unknown = await gh.graphql(THREADS_QUERY, { owner: ref.owner, repo: ref.repo, number: ref.pullNumber, cursor });
    const page = ThreadsResponse.parse(raw).repository.pullRequest.reviewThreads;
    for (const t of page.nodes) {
      const first = t.comments.nodes[0]?.databaseId;
      if (first !== undefined && first !== null) byComment.set(first, { id: t.id, resolved: t.isResolved });
    }
    cursor = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (cursor);
  return byComment;
}

/** Replies "Fixed in <sha>" once in the finding's thread and resolves it. */
export async function markFixed(gh: GitHub, ref: PullRef, comment: PriorComment, body: string): Promise<void> {
  await gh.rest.pulls.createReplyForReviewComment({ owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, comment_id: comment.id, body });
  if (comment.threadId && !comment.resolved) {
    await gh.graphql(`mutation($id: ID!) { resolveReviewThread(input: { threadId: $id }) { thread { id isResolved } } }`, { id: comment.threadId });
  }
}

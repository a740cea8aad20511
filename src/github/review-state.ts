import type { Logger } from "pino";
import { parseAllFindingMarkers, parseFindingMarker, parseFixedMarker, parseReviewMarker, type FindingMarker } from "../review/markers.js";
import type { GitHub, PullRef } from "./client.js";
import { NO_PLUGIN_RETRY, writeOnce } from "./idempotent-write.js";
import { readReviewThreads, resolveReviewThread, type ThreadState } from "./review-threads.js";

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
  /** Head of its newest review that the model finished: where an incremental review may start. */
  readonly lastCompleteHead: string | null;
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
  let lastCompleteHead: string | null = null;
  for (const review of ours(reviews)) {
    const marker = parseReviewMarker(review.body);
    if (!marker) continue;
    lastReviewedHead = marker.head; // listReviews is chronological.
    if (!marker.partial) lastCompleteHead = marker.head;
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

  const threads = roots.length > 0 ? await readReviewThreads(gh, ref) : new Map<number, ThreadState>();
  log.debug({ lastReviewedHead, lastCompleteHead, fingerprints: fingerprints.size, comments: roots.length }, "prior review state read");
  return {
    lastReviewedHead,
    lastCompleteHead,
    fingerprints,
    comments: roots.map((r) => ({
      ...r,
      threadId: threads.get(r.id)?.id ?? null,
      resolved: threads.get(r.id)?.resolved ?? false,
      fixedReplied: fixed.has(r.id),
    })),
  };
}

/** Replies "Fixed in <sha>" once in the finding's thread and resolves it. */
export async function markFixed(gh: GitHub, ref: PullRef, comment: PriorComment, body: string, log: Logger): Promise<void> {
  const params = { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber };
  await writeOnce({
    what: "replying that a finding is fixed",
    log,
    write: async () => {
      await gh.rest.pulls.createReplyForReviewComment({ ...params, comment_id: comment.id, body, request: NO_PLUGIN_RETRY });
      return true;
    },
    find: async () => {
      const replies = await gh.paginate(gh.rest.pulls.listReviewComments, { ...params, per_page: 100 });
      return replies.some((r) => r.in_reply_to_id === comment.id && r.body === body) ? true : null;
    },
  });
  if (comment.threadId && !comment.resolved) await resolveReviewThread(gh, comment.threadId);
}

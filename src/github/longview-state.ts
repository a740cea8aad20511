import { z } from "zod";
import { findingFromComment, type PostedFinding } from "./finding-comment.js";
import { ReviewCommentSchema, type ReviewComment } from "./git-schemas.js";
import { parseAllFindingMarkers, parseFindingMarker, parseFixedMarker, parseReviewMarker } from "./markers.js";
import type { ThreadState } from "./review-threads.js";

/**
 * What Longview has said on a pull request, as one pure function over what
 * GitHub returns: the heads it reviewed, every fingerprint it posted, and each
 * finding thread with its state. The gate, the "Fix all" button and
 * `/agent fix` all read open findings from here, so they cannot disagree.
 *
 * Only Longview's own comments and reviews count (its login, compared as
 * GitHub does: case-insensitively; GraphQL writes `slug` where REST writes
 * `slug[bot]`, which is why logins are matched on the REST data only).
 * A thread is open until someone resolves it or Longview replied that it is
 * fixed. An outdated thread (its line left the diff) is still open: the code
 * it is about may only have moved, and whether it is gone is decided against
 * the head's content by the reader (`isFixedAt`).
 *
 * A finding a person dismissed stays dismissed on this pull request: they gave
 * it 👎, or resolved its thread while its code is unchanged at head
 * (`isDismissed`). A dismissed finding is never posted again, does not gate and
 * is no fix target.
 */

export const ReviewSummarySchema = z.object({
  user: z.object({ login: z.string() }).nullable().optional(),
  body: z.string().nullable().optional(),
  commit_id: z.string().nullable().optional(),
});
export type ReviewSummary = z.infer<typeof ReviewSummarySchema>;

export interface StateSource {
  readonly botLogin: string;
  /** `GET …/pulls/{n}/reviews`, oldest first. */
  readonly reviews: readonly ReviewSummary[];
  /** `GET …/pulls/{n}/comments`, validated. */
  readonly comments: readonly ReviewComment[];
  /** Review threads by the database id of their first comment (GraphQL). */
  readonly threads: ReadonlyMap<number, ThreadState>;
  /** Who reacted 👎 to a comment, by comment id (REST `…/pulls/comments/{id}/reactions?content=-1`); absent: nobody known. */
  readonly thumbsDown?: ReadonlyMap<number, readonly Reactor[]>;
}

/** Who left a reaction; `type` is REST's `User`/`Bot`/`Organization`. */
export interface Reactor {
  readonly login: string;
  readonly type?: string | undefined;
}

/** One of Longview's finding threads on the pull request. */
export interface FindingThread extends PostedFinding {
  readonly path: string;
  readonly fingerprint: string;
  readonly threadId: string | null;
  readonly resolved: boolean;
  /** GitHub marks the thread outdated: its line is no longer in the diff. */
  readonly outdated: boolean;
  /** Longview already replied "Fixed in …" in the thread. */
  readonly fixedReplied: boolean;
  /** Someone other than Longview resolved the thread (whether that dismisses it depends on the code at head: `isDismissed`). */
  readonly resolvedByPerson: boolean;
  /** The people (never Longview, never a bot) who gave the finding 👎: dismissed whatever the code. */
  readonly thumbsDownBy: readonly string[];
}

/** Where one of Longview's findings stands on the pull request. */
export type FindingStatus = "open" | "outdated" | "resolved" | "fixed" | "dismissed";

export interface LongviewState {
  /** Head of Longview's newest review, or null when it never reviewed this pull request. */
  readonly lastReviewedHead: string | null;
  /** Head of its newest review that the model finished: where an incremental review may start. */
  readonly lastCompleteHead: string | null;
  /** Every fingerprint Longview posted, as a line/file comment or in a review body. */
  readonly fingerprints: ReadonlySet<string>;
  /** Longview's finding threads, oldest first. */
  readonly threads: readonly FindingThread[];
}

export function isLongview(login: string | null | undefined, botLogin: string): boolean {
  return typeof login === "string" && login.toLowerCase() === botLogin.toLowerCase();
}

export function longviewState(source: StateSource): LongviewState {
  const ours = <T extends { user?: { login: string } | null }>(items: readonly T[]) => items.filter((i) => isLongview(i.user?.login, source.botLogin));

  const fingerprints = new Set<string>();
  let lastReviewedHead: string | null = null;
  let lastCompleteHead: string | null = null;
  for (const review of ours(source.reviews)) {
    const marker = parseReviewMarker(review.body);
    if (!marker) continue;
    lastReviewedHead = marker.head;
    if (!marker.partial) lastCompleteHead = marker.head;
    for (const f of parseAllFindingMarkers(review.body)) fingerprints.add(f.fingerprint);
  }

  const fixedReplied = new Set<number>();
  const threads: FindingThread[] = [];
  for (const comment of ours(source.comments)) {
    if (comment.in_reply_to_id !== undefined && comment.in_reply_to_id !== null) {
      if (parseFixedMarker(comment.body)) fixedReplied.add(comment.in_reply_to_id);
      continue;
    }
    const marker = parseFindingMarker(comment.body);
    if (!marker) continue;
    fingerprints.add(marker.fingerprint);
    // A version 1 comment whose visible text no longer reads as a finding still has its identity and severity.
    const posted = findingFromComment(comment) ?? fallbackFinding(comment, marker);
    const thread = source.threads.get(comment.id);
    const resolved = thread?.resolved ?? false;
    const thumbsDownBy = (source.thumbsDown?.get(comment.id) ?? []).filter((r) => isPerson(r, source.botLogin)).map((r) => r.login);
    threads.push({
      ...posted,
      path: comment.path,
      fingerprint: marker.fingerprint,
      anchor: marker.anchor,
      threadId: thread?.id ?? null,
      resolved,
      outdated: thread?.outdated ?? isOutdatedComment(comment),
      fixedReplied: false,
      // GitHub always names who resolved a thread; an unnamed resolver is not taken for a person's decision.
      resolvedByPerson: resolved && typeof thread?.resolvedBy === "string" && !isLongviewActor(thread.resolvedBy, source.botLogin),
      thumbsDownBy: [...new Set(thumbsDownBy)],
    });
  }
  return {
    lastReviewedHead,
    lastCompleteHead,
    fingerprints,
    threads: threads.map((t) => (fixedReplied.has(t.commentId) ? { ...t, fixedReplied: true } : t)),
  };
}

/** What Longview said on a pull request nobody reviewed: nothing. */
export function emptyLongviewState(): LongviewState {
  return { lastReviewedHead: null, lastCompleteHead: null, fingerprints: new Set(), threads: [] };
}

/** The threads whose finding still stands as far as GitHub knows: nobody resolved it or gave it 👎, Longview did not call it fixed. */
export function openThreads(state: LongviewState): FindingThread[] {
  return state.threads.filter((t) => !t.resolved && !t.fixedReplied && t.thumbsDownBy.length === 0);
}

/**
 * Whether a person dismissed the finding: 👎 by a person, or its thread resolved
 * by someone other than Longview while its anchored code is still at head (a
 * thread resolved after the code changed was fixed, not dismissed). When the
 * head's content is unknown the person's decision stands.
 */
export function isDismissed(
  thread: Pick<FindingThread, "anchor" | "path" | "resolvedByPerson" | "thumbsDownBy" | "fixedReplied">,
  anchorsAt: (path: string) => ReadonlySet<string> | null | undefined,
): boolean {
  if (thread.thumbsDownBy.length > 0) return true;
  return thread.resolvedByPerson && !thread.fixedReplied && !isFixedAt(thread, anchorsAt);
}

/** One finding's standing at head: the one place open, outdated, resolved, fixed and dismissed are told apart. */
export function findingStatus(thread: FindingThread, anchorsAt: (path: string) => ReadonlySet<string> | null | undefined): FindingStatus {
  if (isDismissed(thread, anchorsAt)) return "dismissed";
  if (thread.fixedReplied || isFixedAt(thread, anchorsAt)) return "fixed";
  if (thread.resolved) return "resolved";
  return thread.outdated ? "outdated" : "open";
}

/** The fingerprints of every finding a person dismissed on this pull request: never posted again, never gating. */
export function dismissedFingerprints(state: LongviewState, anchorsAt: (path: string) => ReadonlySet<string> | null | undefined): Set<string> {
  return new Set(state.threads.filter((t) => isDismissed(t, anchorsAt)).map((t) => t.fingerprint));
}

/** A reaction by a person: not Longview, not any other bot. */
function isPerson(reactor: Reactor, botLogin: string): boolean {
  return reactor.type !== "Bot" && !isLongviewActor(reactor.login, botLogin) && !reactor.login.toLowerCase().endsWith("[bot]");
}

/** Longview as REST (`slug[bot]`) or GraphQL (`slug`) names it. */
function isLongviewActor(login: string, botLogin: string): boolean {
  const bare = botLogin.toLowerCase().replace(/\[bot\]$/, "");
  const l = login.toLowerCase();
  return l === botLogin.toLowerCase() || l === bare || l === `${bare}[bot]`;
}

/**
 * Whether an open thread's finding is gone from the pull request's head: its
 * anchored line is nowhere in the file, or the file left the pull request.
 * `anchorsAt(path)`: the anchors of the file at head, null when the file is
 * not there; undefined when its content is not known (then nothing is judged gone).
 */
export function isFixedAt(thread: Pick<FindingThread, "anchor" | "path">, anchorsAt: (path: string) => ReadonlySet<string> | null | undefined): boolean {
  if (thread.anchor === null) return false;
  const anchors = anchorsAt(thread.path);
  if (anchors === undefined) return false;
  return anchors === null || !anchors.has(thread.anchor);
}

/** REST's own sign, for threads GraphQL did not list: a line comment whose line left the diff has no `line` any more. */
export function isOutdatedComment(comment: ReviewComment): boolean {
  return comment.subject_type !== "file" && (comment.line === null || comment.line === undefined);
}

function fallbackFinding(comment: ReviewComment, marker: NonNullable<ReturnType<typeof parseFindingMarker>>): PostedFinding {
  return {
    finding: {
      path: comment.path,
      line: comment.line ?? comment.original_line ?? 1,
      startLine: null,
      side: comment.side ?? "RIGHT",
      severity: marker.severity,
      category: marker.category,
      title: "(a Longview finding)",
      body: "",
      suggestion: null,
      confidence: 1,
      source: "agent",
      ruleId: null,
      corroboratedBy: [],
    },
    commentId: comment.id,
    fingerprint: marker.fingerprint,
    anchor: marker.anchor,
    url: comment.html_url ?? null,
  };
}

/** Validates GitHub's listings once, at the edge: a malformed entry is left out, never trusted. */
export function parseStateListings(raw: { reviews: readonly unknown[]; comments: readonly unknown[] }): {
  reviews: ReviewSummary[];
  comments: ReviewComment[];
} {
  const keep = <T>(schema: z.ZodType<T>, items: readonly unknown[]) =>
    items.flatMap((item) => {
      const parsed = schema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  return { reviews: keep(ReviewSummarySchema, raw.reviews), comments: keep(ReviewCommentSchema, raw.comments) };
}

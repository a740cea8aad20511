import type { Logger } from "pino";
import type { PlacedFinding } from "../domain/finding.js";
import { httpStatus, type GitHub, type PullRef } from "./client.js";
import { NO_PLUGIN_RETRY, writeOnce } from "./idempotent-write.js";

/**
 * Posts one review: every inline finding as a line comment in a single
 * `COMMENT` review (never APPROVE), file-level findings as file comments.
 * When GitHub rejects the review (422), the offending comments are found by
 * bisection with pending reviews and re-routed; the others are still posted.
 */

export interface PostedReview {
  readonly reviewId: number;
  readonly inline: number;
  readonly fileLevel: number;
  /** Findings GitHub refused as line/file comments; they were put in the review body. */
  readonly rerouted: readonly PlacedFinding[];
}

export interface PostReviewInput<F extends PlacedFinding = PlacedFinding> {
  readonly ref: PullRef;
  readonly commitId: string;
  readonly findings: readonly F[];
  /** Renders one finding's comment (as a line comment, or as a file comment with `placement: "file"`). */
  readonly comment: (finding: F) => string;
  /** Renders the review body, given the findings that had to move into it. */
  readonly body: (rerouted: readonly PlacedFinding[]) => string;
  readonly log: Logger;
}

interface DraftComment<F extends PlacedFinding> {
  readonly finding: F;
  readonly payload: { path: string; line: number; side: "LEFT" | "RIGHT"; start_line?: number; start_side?: "LEFT" | "RIGHT"; body: string };
}

export async function postReview<F extends PlacedFinding>(gh: GitHub, input: PostReviewInput<F>): Promise<PostedReview> {
  const { ref, commitId, log } = input;
  const rerouted: PlacedFinding[] = [];

  // File-level comments go first so that any GitHub refuses can still be listed in the review body.
  let fileLevel = 0;
  for (const finding of input.findings.filter((f) => f.placement === "file")) {
    if (await postFileComment(gh, input, finding)) fileLevel++;
    else rerouted.push({ ...finding, placement: "body", placementNote: "GitHub refused it as a file comment" });
  }

  const drafts = input.findings.filter((f) => f.placement === "inline").map((f) => toDraft(f, input.comment(f)));
  try {
    const reviewId = await createReview(gh, ref, commitId, input.body(rerouted), drafts, log);
    return { reviewId, inline: drafts.length, fileLevel, rerouted };
  } catch (error) {
    if (httpStatus(error) !== 422 || drafts.length === 0) throw error;
    log.warn({ err: error, comments: drafts.length }, "review rejected by GitHub; isolating the comments it refuses");
  }

  const { accepted, refused } = await bisectAcceptable(gh, ref, commitId, drafts);
  for (const d of refused) {
    if (await postFileComment(gh, input, d.finding)) {
      fileLevel++;
    } else {
      rerouted.push({ ...d.finding, placement: "body", placementNote: "GitHub refused it as a line comment" });
    }
  }
  log.warn({ accepted: accepted.length, refused: refused.length }, "re-posting review without refused comments");
  const reviewId = await createReview(gh, ref, commitId, input.body(rerouted), accepted, log);
  return { reviewId, inline: accepted.length, fileLevel, rerouted };
}

function toDraft<F extends PlacedFinding>(finding: F, body: string): DraftComment<F> {
  const base = { path: finding.path, line: finding.line, side: finding.side, body };
  const payload = finding.startLine !== null && finding.startLine < finding.line ? { ...base, start_line: finding.startLine, start_side: finding.side } : base;
  return { finding, payload };
}

async function createReview(
  gh: GitHub,
  ref: PullRef,
  commitId: string,
  body: string,
  comments: readonly DraftComment<PlacedFinding>[],
  log: Logger,
): Promise<number> {
  const params = { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber };
  return writeOnce({
    what: "posting the review",
    log,
    write: async () => {
      const { data } = await gh.rest.pulls.createReview({
        ...params,
        commit_id: commitId,
        event: "COMMENT",
        body,
        comments: comments.map((c) => c.payload),
        request: NO_PLUGIN_RETRY,
      });
      return data.id;
    },
    // The body carries the review marker for this head: equal text is this review.
    find: async () => {
      const reviews = await gh.paginate(gh.rest.pulls.listReviews, { ...params, per_page: 100 });
      return reviews.find((r) => r.body === body && r.commit_id === commitId)?.id ?? null;
    },
  });
}

/**
 * Splits the comments until each rejected one stands alone. Probes are
 * PENDING reviews (visible only to Longview) and are deleted straight away.
 */
async function bisectAcceptable<F extends PlacedFinding>(
  gh: GitHub,
  ref: PullRef,
  commitId: string,
  drafts: readonly DraftComment<F>[],
): Promise<{ accepted: DraftComment<F>[]; refused: DraftComment<F>[] }> {
  if (drafts.length === 0) return { accepted: [], refused: [] };
  if (await probe(gh, ref, commitId, drafts)) return { accepted: [...drafts], refused: [] };
  if (drafts.length === 1) return { accepted: [], refused: [...drafts] };
  const mid = Math.ceil(drafts.length / 2);
  const left = await bisectAcceptable(gh, ref, commitId, drafts.slice(0, mid));
  const right = await bisectAcceptable(gh, ref, commitId, drafts.slice(mid));
  return { accepted: [...left.accepted, ...right.accepted], refused: [...left.refused, ...right.refused] };
}

async function probe(gh: GitHub, ref: PullRef, commitId: string, drafts: readonly DraftComment<PlacedFinding>[]): Promise<boolean> {
  try {
    const { data } = await gh.rest.pulls.createReview({
      owner: ref.owner,
      repo: ref.repo,
      pull_number: ref.pullNumber,
      commit_id: commitId,
      comments: drafts.map((d) => d.payload),
    });
    await gh.rest.pulls.deletePendingReview({ owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, review_id: data.id });
    return true;
  } catch (error) {
    if (httpStatus(error) === 422) return false;
    throw error;
  }
}

async function postFileComment<F extends PlacedFinding>(gh: GitHub, input: PostReviewInput<F>, finding: F): Promise<boolean> {
  const { ref, commitId, log } = input;
  const params = { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber };
  const body = input.comment({ ...finding, placement: "file" });
  try {
    await writeOnce({
      what: `posting a file comment on ${finding.path}`,
      log,
      write: async () => {
        await gh.rest.pulls.createReviewComment({ ...params, commit_id: commitId, path: finding.path, subject_type: "file", body, request: NO_PLUGIN_RETRY });
        return true;
      },
      find: async () => {
        const comments = await gh.paginate(gh.rest.pulls.listReviewComments, { ...params, per_page: 100 });
        return comments.some((c) => c.body === body && c.path === finding.path) ? true : null;
      },
    });
    return true;
  } catch (error) {
    if (httpStatus(error) !== 422) throw error;
    log.warn({ err: error, path: finding.path }, "file comment refused");
    return false;
  }
}

import type { Logger } from "pino";
import type { Analyzer } from "../analyzers/analyzer.js";
import type { Reviewer } from "../agent/reviewer.js";
import { extractReviewGuidelines } from "../agent/guidelines.js";
import type { Env } from "../config/env.js";
import type { RepoConfig } from "../config/repo-config.js";
import type { GitHub, PullRef } from "../github/client.js";
import { fetchChangeSet } from "../github/fetch-change-set.js";
import { postReview, type PostedReview } from "../github/post-review.js";
import { readRepoConfig, readTextFile } from "../github/read-repo-config.js";
import { PullRequestSchema, type PullRequest } from "../github/schemas.js";
import { formatReviewBody } from "./format-review-body.js";
import { runReview, type ReviewResult } from "./run-review.js";

/**
 * One review of one pull request on GitHub: read config and PR, fetch the
 * change, run the shared pipeline, post the review. The GitHub source and
 * sink around `runReview`; the CLI has its own source and sink.
 */

export interface ReviewDeps {
  readonly env: Env;
  readonly analyzers: readonly Analyzer[];
  readonly reviewer: Reviewer | null;
}

export type ReviewOutcome =
  | { readonly kind: "reviewed"; readonly pr: PullRequest; readonly config: RepoConfig; readonly result: ReviewResult; readonly posted: PostedReview }
  | { readonly kind: "skipped"; readonly pr: PullRequest | null; readonly reason: string };

export const REVIEW_MARKER_PREFIX = "<!-- longview:review";

export async function reviewPullRequest(
  gh: GitHub,
  ref: PullRef,
  deps: ReviewDeps,
  log: Logger,
  signal?: AbortSignal,
): Promise<ReviewOutcome> {
  const { data } = await gh.rest.pulls.get({ owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber });
  const pr = PullRequestSchema.parse(data);
  if (pr.state !== "open") return { kind: "skipped", pr, reason: `the pull request is ${pr.merged ? "merged" : pr.state}` };

  const { config, problems } = await readRepoConfig(gh, ref, log);
  if (!config.enabled) return { kind: "skipped", pr, reason: "reviews are disabled in .github/longview.yml (`enabled: false`)" };
  if (pr.draft && config.drafts === "skip") return { kind: "skipped", pr, reason: "draft pull request (set `drafts: review` to review drafts)" };

  const { env } = deps;
  const changeSet = await fetchChangeSet(gh, ref, pr, {
    filter: config.paths,
    maxFileBytes: env.LONGVIEW_MAX_FILE_BYTES,
    concurrency: env.LONGVIEW_FETCH_CONCURRENCY,
    log,
  });

  // Guidelines come from the base branch: the pull request under review must not write its own rules.
  const agentsMd = await readTextFile(gh, ref, "AGENTS.md", pr.base.sha);
  const guidelines = [extractReviewGuidelines(agentsMd ?? ""), config.review.instructions].filter(Boolean).join("\n\n");

  const result = await runReview({
    changeSet,
    pr: { title: pr.title, description: pr.body },
    guidelines,
    config,
    budget: { windowTokens: env.LONGVIEW_WINDOW_TOKENS, outputTokens: env.LONGVIEW_OUTPUT_TOKENS, contextTokens: env.LONGVIEW_CONTEXT_TOKENS },
    reviewer: deps.reviewer,
    analyzers: deps.analyzers,
    windowConcurrency: env.LONGVIEW_WINDOW_CONCURRENCY,
    log,
    ...(signal ? { signal } : {}),
  });

  signal?.throwIfAborted();
  const posted = await postReview(gh, {
    ref,
    commitId: pr.head.sha,
    findings: result.findings,
    body: (rerouted) =>
      `${formatReviewBody(result, { configProblems: problems, rerouted })}\n\n${REVIEW_MARKER_PREFIX} head=${pr.head.sha} -->`,
    log,
  });
  log.info({ reviewId: posted.reviewId, inline: posted.inline, fileLevel: posted.fileLevel, rerouted: posted.rerouted.length }, "review posted");
  return { kind: "reviewed", pr, config, result, posted };
}

import type { Logger } from "pino";
import type { Analyzer } from "../analyzers/analyzer.js";
import { extractReviewGuidelines, type Reviewer } from "../reviewer/index.js";
import { repositoryLimits, type Env } from "../config/env.js";
import { DEFAULT_REPO_CONFIG, type RepoConfig } from "../config/repo-config.js";
import type { PullRef } from "../domain/pull-request.js";
import { hasVerdict, type CheckOutcome, type CheckRunHandle } from "../github/check-run.js";
import type { GitHubHost } from "../github/host.js";
import type { JobStart } from "../github/job-start-query.js";
import type { PostedReview } from "../github/post-review.js";
import type { PullRequest } from "../github/schemas.js";
import { fixAllActions } from "../fix/fix-all-action.js";
import type { ChangeSet } from "../domain/change-set.js";
import type { RepositorySnapshot } from "../domain/repository.js";
import { focusChangeSet } from "../diff/focus-change-set.js";
import { sizeLimitsFrom } from "../diff/size-budget.js";
import { formatFindingComment } from "../github/finding-comment.js";
import { dismissedFingerprints, emptyLongviewState, isFixedAt, openThreads, type LongviewState } from "../github/longview-state.js";
import { classifyError } from "./failure-class.js";
import { gatePolicyOf, type GatePolicy } from "./gate.js";
import { errorOutcome, reviewedOutcome, skippedOutcome, supersededOutcome, type OpenEarlierFinding } from "./check-output.js";
import { anchorsOf, fingerprintFindings } from "./fingerprint.js";
import { fixedMarker, reviewMarker } from "../github/markers.js";
import { formatReviewBody } from "./format-review-body.js";
import type { PlanWindows } from "./plan-windows.js";
import { runReview, type ReviewResult } from "./run-review.js";
import { isSuppressed } from "./suppressions.js";

/**
 * One review of one pull request on GitHub: read config and PR, fetch the
 * change, run the shared pipeline, post the review. The GitHub source and
 * sink around `runReview`; the CLI has its own source and sink.
 */

export interface ReviewDeps {
  readonly env: Env;
  readonly analyzers: readonly Analyzer[];
  readonly reviewer: Reviewer | null;
  /** Where windows are planned (worker threads in the app); inline when absent. */
  readonly planWindows?: PlanWindows;
  /**
   * Gets the stages' threads ready while the change is fetched (the app's compute pool), told the pull
   * request's size (null: unknown) — a small one may need none.
   */
  readonly warm?: (size: { readonly files: number; readonly changedLines: number } | null) => void;
}

export type ReviewOutcome =
  | {
      readonly kind: "reviewed";
      readonly pr: PullRequest;
      readonly config: RepoConfig;
      readonly result: ReviewResult;
      readonly posted: PostedReview | null;
      readonly checkRunId: number;
      /** The check run's verdict (the gate over this review and the earlier findings still open): what a caller's exit code follows. */
      readonly verdict: CheckOutcome;
    }
  | { readonly kind: "skipped"; readonly pr: PullRequest | null; readonly reason: string; readonly checkRunId: number | null };

export interface ReviewRequest {
  readonly ref: PullRef;
  /** The previous head (on `synchronize`): Longview's unfinished runs there are superseded. */
  readonly previousSha?: string;
  /** An existing check run to complete instead of creating one (re-run requests). */
  readonly checkRunId?: number;
  /** Do nothing when Longview already has a check run on the head (automatic `check_suite.requested`). */
  readonly onlyIfUnreviewed?: boolean;
  /** A full re-review that ignores incremental state (`/agent review`). */
  readonly force?: boolean;
  readonly signal?: AbortSignal;
  /** Told the id of a newly created check run, so a later attempt (a retry, a restart after a crash) completes the same run. */
  readonly onCheckRun?: (checkRunId: number) => Promise<void>;
  /** True when the caller will run this review again after `error`: the check run then stays in progress instead of failing. */
  readonly willRetry?: (error: unknown) => boolean;
  /** What fails the gate instead of the repository's `gate` (a GitHub Action's `fail-on`), given the repository's. */
  readonly gate?: (configured: GatePolicy) => GatePolicy;
}

export async function reviewPullRequest(github: GitHubHost, request: ReviewRequest, deps: ReviewDeps, log: Logger): Promise<ReviewOutcome> {
  const { ref, signal } = request;
  const started = performance.now();
  // One query where GitHub answers it: the pull request, the configuration, and what spares the later reads.
  const start = github.jobStart ? await github.jobStart(ref, { checkName: DEFAULT_REPO_CONFIG.gate.checkName, guidelines: deps.reviewer !== null, log }) : null;
  // The configuration does not depend on the pull request: both are read at once.
  const [pr, { config, problems }] = start
    ? [start.pr, start.config ?? (await github.repoConfig(ref, log))]
    : await Promise.all([github.pullRequest(ref), github.repoConfig(ref, log)]);
  if (pr.state !== "open") return { kind: "skipped", pr, reason: `the pull request is ${pr.merged ? "merged" : pr.state}`, checkRunId: null };
  deps.warm?.(
    pr.changed_files !== undefined && pr.additions !== undefined && pr.deletions !== undefined
      ? { files: pr.changed_files, changedLines: pr.additions + pr.deletions }
      : null,
  );

  // Why this review is skipped, or its reads under way: a review that will happen reads the change and Longview's
  // state while its check run is opened. A failed read is taken up where it is awaited (within the run's error handling).
  const startReads = (): string | Promise<ReviewReads> => {
    const skip = skipReason(pr, config);
    if (skip !== null) return skip;
    const reads = readForReview(github, request, pr, config, deps, log, start);
    reads.catch(() => undefined);
    return reads;
  };
  // An automatic event may find the head reviewed already: its reads wait for the check runs, so a repeated event costs none.
  let skipOrReads = request.onlyIfUnreviewed ? null : startReads();
  const checkName = config.gate.checkName;
  // The query proved the head has no run by this name (a renamed check is looked up).
  const headRuns = request.checkRunId || start?.noRunsNamed === checkName ? [] : await github.checkRuns(ref, pr.head.sha, checkName);
  // Automatic events review a head once: a replayed or repeated event finds the verdict already there.
  if (request.onlyIfUnreviewed && hasVerdict(headRuns)) {
    return { kind: "skipped", pr, reason: "this commit already has Longview's verdict", checkRunId: null };
  }
  skipOrReads ??= startReads();
  if (request.previousSha && request.previousSha !== pr.head.sha) {
    const previousSha = request.previousSha;
    await github.cancelSupersededRuns(ref, {
      oldSha: previousSha,
      newSha: pr.head.sha,
      name: checkName,
      complete: (run) => run.complete(supersededOutcome(pr.head.sha)),
      log,
    });
  }

  const checkRun = request.checkRunId
    ? github.attachCheckRun(ref, request.checkRunId, checkName, log)
    : await github.openCheckRun(ref, { name: checkName, headSha: pr.head.sha, externalId: `${ref.pullNumber}`, log, existing: headRuns });
  if (request.checkRunId) await checkRun.progress(0, 1);
  else await request.onCheckRun?.(checkRun.id);

  try {
    if (typeof skipOrReads === "string") {
      await checkRun.complete(skippedOutcome(skipOrReads));
      return { kind: "skipped", pr, reason: skipOrReads, checkRunId: checkRun.id };
    }
    const { result, posted, openFromEarlier, dismissed, fetchedAt, reviewedAt } = await reviewAndPost(
      github,
      request,
      pr,
      config,
      problems,
      deps,
      log,
      checkRun,
      await skipOrReads,
    );
    const policy = request.gate ? request.gate(gatePolicyOf(config)) : gatePolicyOf(config);
    const verdict = reviewedOutcome(result, { ...config.gate, ...policy }, problems, openFromEarlier, { dismissed });
    await checkRun.complete(verdict, fixAllActions([...result.findings, ...openFromEarlier], policy));
    const ms = (from: number, to: number) => Math.round(to - from);
    // Job start to the completed check run, stage by stage (`npm run bench:e2e` reads this line).
    log.info(
      {
        totalMs: ms(started, performance.now()),
        fetchMs: ms(started, fetchedAt),
        ...result.stages,
        postingMs: ms(reviewedAt, performance.now()),
      },
      "review stages",
    );
    return { kind: "reviewed", pr, config, result, posted, checkRunId: checkRun.id, verdict };
  } catch (error) {
    // Aborted by a newer push: whatever the abort surfaced as, the signal's reason says why.
    const superseded = error instanceof SupersededError ? error : signal?.reason instanceof SupersededError ? signal.reason : null;
    if (superseded) {
      await checkRun.complete(supersededOutcome(superseded.newSha));
      return { kind: "skipped", pr, reason: superseded.message, checkRunId: checkRun.id };
    }
    if (request.willRetry?.(error)) {
      log.warn({ err: error }, "review attempt failed; it will be retried, the check run stays in progress");
      throw error;
    }
    const err = signal?.aborted && signal.reason instanceof Error ? signal.reason : error instanceof Error ? error : new Error(String(error));
    log.error({ err }, "review failed");
    // Never leave the run in progress: the author must see that the review did not happen.
    await checkRun
      .complete(errorOutcome(err, config.gate.onError, classifyError(err).origin))
      .catch((e: unknown) => log.error({ err: e }, "could not complete the check run"));
    throw err;
  }
}

export class SupersededError extends Error {
  constructor(readonly newSha: string) {
    super(`superseded by ${newSha}`);
    this.name = "SupersededError";
  }
}

function skipReason(pr: PullRequest, config: RepoConfig): string | null {
  if (!config.enabled) return "reviews are disabled in .github/longview.yml (`enabled: false`)";
  if (pr.draft && config.drafts === "skip") return "draft pull request (set `drafts: review` in .github/longview.yml to review drafts)";
  return null;
}

interface Reviewed {
  readonly result: ReviewResult;
  readonly posted: PostedReview | null;
  /** Gating-relevant findings of earlier reviews that still apply. */
  readonly openFromEarlier: readonly OpenEarlierFinding[];
  /** Findings people dismissed on this pull request, left out of this review. */
  readonly dismissed: number;
  /** When the change, Longview's state and the guidelines were read, and when the pipeline finished (performance.now()). */
  readonly fetchedAt: number;
  readonly reviewedAt: number;
}

/** What a review reads before the pipeline runs. */
interface ReviewReads {
  readonly repository: RepositorySnapshot;
  readonly changeSet: ChangeSet;
  /** What Longview said before. */
  readonly prior: LongviewState;
  /** The base's AGENTS.md, or null. */
  readonly agentsMd: string | null;
  /** When all of it was read (performance.now()). */
  readonly fetchedAt: number;
}

/** The change, Longview's state and the guidelines: independent reads, made at once. */
async function readForReview(
  github: GitHubHost,
  request: ReviewRequest,
  pr: PullRequest,
  config: RepoConfig,
  { env, reviewer }: ReviewDeps,
  log: Logger,
  start: JobStart | null,
): Promise<ReviewReads> {
  const { ref, signal } = request;
  // The repository at head, read lazily for the head contents, the impact context and the model's tools: one
  // cache per job, so a file is fetched once (a fork's head commit is readable through the base repository).
  const repository = github.repository(ref, pr.head.sha, repositoryLimits(env), { tarballAfterReads: env.LONGVIEW_REPO_ARCHIVE_AFTER_READS, log });
  const [changeSet, prior, agentsMd] = await Promise.all([
    github.changeSet(ref, pr, {
      filter: config.paths,
      ...sizeLimitsFrom(env),
      concurrency: env.LONGVIEW_FETCH_CONCURRENCY,
      log,
      head: repository,
      ...(signal ? { signal } : {}),
    }),
    // What Longview said before decides what is new: an incremental range, fingerprints not to repeat, threads now fixed.
    // A pull request nobody reviewed has no review comments either: Longview said nothing yet.
    start?.unreviewed ? emptyLongviewState() : github.state(ref, log),
    // Guidelines come from the base branch: the pull request under review must not write its own rules. They are
    // the model's instructions: the analyzers alone never read them, so an offline review does not ask for them.
    reviewer === null ? null : start?.agentsMd !== undefined ? start.agentsMd : github.textFile(ref, "AGENTS.md", pr.base.sha),
  ]);
  return { repository, changeSet, prior, agentsMd, fetchedAt: performance.now() };
}

async function reviewAndPost(
  github: GitHubHost,
  request: ReviewRequest,
  pr: PullRequest,
  config: RepoConfig,
  problems: readonly string[],
  deps: ReviewDeps,
  log: Logger,
  checkRun: CheckRunHandle,
  reads: ReviewReads,
): Promise<Reviewed> {
  const { env } = deps;
  const { ref, signal } = request;
  const { repository, changeSet, prior, agentsMd } = reads;
  // Only a review the model finished is a base for the next increment: hunks whose windows failed are reviewed again.
  const increment =
    !request.force && prior.lastCompleteHead && prior.lastCompleteHead !== pr.head.sha
      ? await github.changesSince(ref, prior.lastCompleteHead, pr.head.sha)
      : null;
  const target = increment ? focusChangeSet(changeSet, increment) : changeSet;
  if (increment) log.info({ from: increment.from, files: target.files.length }, "incremental review");

  const guidelines = [extractReviewGuidelines(agentsMd ?? ""), config.review.instructions].filter(Boolean).join("\n\n");
  const fetchedAt = increment ? performance.now() : reads.fetchedAt;

  const result = await runReview({
    changeSet: target,
    pr: { title: pr.title, description: pr.body },
    guidelines,
    config,
    budget: { windowTokens: env.LONGVIEW_WINDOW_TOKENS, outputTokens: env.LONGVIEW_OUTPUT_TOKENS, contextTokens: env.LONGVIEW_CONTEXT_TOKENS },
    reviewer: deps.reviewer,
    analyzers: deps.analyzers,
    ...(deps.planWindows ? { planWindows: deps.planWindows } : {}),
    windowConcurrency: env.LONGVIEW_WINDOW_CONCURRENCY,
    repository,
    log,
    onProgress: ({ windowsDone, windowsTotal }) => checkRun.progress(windowsDone, windowsTotal),
    ...(signal ? { signal } : {}),
  });

  const reviewedAt = performance.now();
  signal?.throwIfAborted();
  // A push during the review makes it stale: the newer commit's review replaces it.
  const latest = await github.pullRequest(ref);
  if (latest.head.sha !== pr.head.sha) throw new SupersededError(latest.head.sha);

  // A finding the repository suppresses, or a person dismissed on this pull request, is neither posted nor gating.
  const anchorsAt = headAnchors(changeSet);
  const dismissed = dismissedFingerprints(prior, anchorsAt);
  const suppressions = config.review.suppress;
  // The pipeline left out what the repository suppresses; what people dismissed here is left out now.
  const found = fingerprintFindings(result.findings, changeSet);
  const current = found.filter((f) => !dismissed.has(f.fingerprint));
  const kept = new Set(current);
  const reported: ReviewResult = { ...result, findings: result.findings.filter((_, i) => kept.has(found[i]!)) };
  const currentPrints = new Set(current.map((f) => f.fingerprint));
  const fresh = request.force ? current : current.filter((f) => !prior.fingerprints.has(f.fingerprint));
  // Earlier findings still open on GitHub: fixed when their code is gone from the head, still gating otherwise.
  const earlier = openThreads(prior).filter(
    (t) => !currentPrints.has(t.fingerprint) && !dismissed.has(t.fingerprint) && !isSuppressed(t.finding, suppressions),
  );
  const fixed = earlier.filter((t) => isFixedAt(t, anchorsAt));
  const openFromEarlier = earlier.filter((t) => !fixed.includes(t)).map((t) => t.finding);
  if ((result.suppressed ?? 0) > 0 || dismissed.size > 0)
    log.info({ suppressed: result.suppressed ?? 0, dismissed: dismissed.size }, "suppressed and dismissed findings left out");

  let posted: PostedReview | null = null;
  // Say something only when there is something new: the first review of a pull request, or new findings.
  // A retried job or a redelivered event finds its own comments and stays silent (the check run still completes).
  if (fresh.length > 0 || prior.lastReviewedHead === null) {
    const shown = { ...reported, findings: fresh };
    posted = await github.postReview({
      ref,
      commitId: pr.head.sha,
      findings: fresh,
      comment: formatFindingComment,
      body: (rerouted) =>
        `${formatReviewBody(shown, {
          configProblems: problems,
          summary: config.review.summary,
          rerouted,
          alreadyReported: current.length - fresh.length,
          suppressed: result.suppressed ?? 0,
          dismissed: dismissed.size,
          ...(increment ? { incremental: { from: increment.from, to: pr.head.sha } } : {}),
        })}\n\n${reviewMarker({ head: pr.head.sha, from: increment?.from ?? null, partial: isPartial(result) })}`,
      log,
    });
    log.info(
      {
        reviewId: posted.reviewId,
        inline: posted.inline,
        fileLevel: posted.fileLevel,
        rerouted: posted.rerouted.length,
        repeated: current.length - fresh.length,
      },
      "review posted",
    );
  } else {
    log.info({ head: pr.head.sha, repeated: current.length }, "nothing new since the last review; no review posted");
  }
  for (const thread of fixed) {
    await github.markFixed(ref, thread, `Fixed in ${pr.head.sha}. ${fixedMarker(thread.fingerprint)}`, log);
  }
  if (fixed.length > 0) log.info({ fixed: fixed.length }, "fixed findings resolved");
  return { result: reported, posted, openFromEarlier, dismissed: dismissed.size, fetchedAt, reviewedAt };
}

/**
 * Whether the anchored code of an earlier finding no longer exists at head (changed, or the file left
 * the pull request). Each file's anchors are computed once, however many earlier comments it has.
 */
/** The anchors of each file at head (`isFixedAt`): null when the file left the pull request, undefined when its content is not known. */
function headAnchors(changeSet: ChangeSet): (path: string) => ReadonlySet<string> | null | undefined {
  const anchors = new Map<string, Set<string>>();
  const skipped = new Set(changeSet.skipped.map((s) => s.path));
  return (path) => {
    const content = changeSet.headContents.get(path);
    if (content !== undefined) {
      let present = anchors.get(path);
      if (!present) anchors.set(path, (present = anchorsOf(content)));
      return present;
    }
    // Not reviewable now: gone only if the file is no longer part of the pull request at all.
    return !changeSet.lineMap.hasFile(path) && !skipped.has(path) ? null : undefined;
  };
}

/**
 * Whether later reviews must not start from this head: the model could not review some windows, or
 * findings were withheld because their verification failed. Either way the next push is reviewed whole,
 * so nothing is lost for good.
 */
function isPartial(result: ReviewResult): boolean {
  return (result.windowsFailed ?? 0) > 0 || (result.funnel?.withheld ?? 0) > 0;
}

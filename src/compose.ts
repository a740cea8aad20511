import type { Logger } from "pino";
import { createDefaultAnalyzers } from "./analyzers/index.js";
import type { Analyzer } from "./analyzers/analyzer.js";
import { createCiJobHandler, createCommandJobHandler } from "./commands/command-job-handler.js";
import type { CommandDeps } from "./commands/run-command.js";
import { computeThreads, createReviewPool, fitsInline, stagedAnalyzers, stagedPlanWindows, type ChangeSize } from "./compute/review-pool.js";
import { repositoryLimits, type Env } from "./config/env.js";
import { createFixModel } from "./fix/fix-model.js";
import { createAppIdentity, type AppIdentity } from "./github/app-identity.js";
import type { GitHub } from "./github/client.js";
import { createGitHubHost, type GitHubHost } from "./github/host.js";
import { observeRateLimit } from "./github/rate-limit-observer.js";
import { createModelClient, type ModelClient, type UsageSink } from "./model/index.js";
import type { LongviewJobHandlers } from "./queue/kinds/index.js";
import type { JobIntake } from "./queue/queue.js";
import { createReviewJobHandler } from "./queue/review-job-handler.js";
import type { PlanWindows } from "./review/plan-windows.js";
import type { ReviewDeps } from "./review/review-pull-request.js";
import { createReviewer, type Reviewer, type ReviewerOptions } from "./reviewer/index.js";
import { Semaphore } from "./util/semaphore.js";
import { secretValues } from "./util/scrub-secrets.js";
import { createFixJudge } from "./fix/fix-judge.js";
import type { ReviewFix } from "./fix/prove-fix.js";
import { runReview } from "./review/run-review.js";

/**
 * The composition root: the object graph of one Longview process, built
 * from the environment in one place. The server, the worker, the CLI, the
 * eval harness and the tests all get their parts from here; nothing else
 * reads the environment to decide what to build.
 *
 * One process has one model client (every model call metered and counted
 * against one cap, reviews and fixes together), one app identity (Longview's
 * login is asked of GitHub once), and — where jobs run — one pool of worker
 * threads for the analyzers and window planning.
 */

export interface ComposeOptions {
  /** Where model usage is reported (the process's metrics). */
  readonly usage?: UsageSink;
  /** Where the analyzers and window planning run: worker threads (the app, LONGVIEW_COMPUTE_THREADS) or this thread (the CLI, eval). */
  readonly compute?: "threads" | "inline";
  /** The model client's `fetch` (tests). */
  readonly fetch?: typeof fetch;
  /** GitHub's rate limit after each response, per installation (the process's metrics). */
  readonly rateLimit?: (installationId: number, resource: string, remaining: number) => void;
  /** Review stages put somewhere else (tests: a pool whose thread crashes). */
  readonly stages?: Partial<Pick<ReviewDeps, "analyzers" | "planWindows">>;
}

export interface Longview {
  readonly env: Env;
  readonly log: Logger;
  /** Null in offline mode (no OPENAI_API_KEY). */
  readonly model: ModelClient | null;
  readonly reviewer: Reviewer | null;
  readonly analyzers: readonly Analyzer[];
  /** What a review needs besides GitHub. */
  readonly review: ReviewDeps;
  /** What an `/agent` command needs besides GitHub and the queue. */
  readonly commands: CommandDeps;
  /** GitHub through an installation client (a webhook's `context.octokit`, or `probot.auth(id)`). */
  github(octokit: GitHub): GitHubHost;
  /** The job bodies, given how to act as an installation and where the reviews commands ask for go. */
  jobHandlers(auth: (installationId: number) => Promise<GitHub>, queue: JobIntake): LongviewJobHandlers;
  /**
   * Asks GitHub for Longview's login (`GET /app`, the app's own client) in the background as the process
   * starts, so no job waits for that request; if it fails, the first job that needs the login asks again.
   */
  learnIdentity(app: () => Promise<GitHub>): void;
  /** Stops the worker threads (after the jobs finished). */
  close(): Promise<void>;
}

/** The passes around the windows as the environment sets them (a repository can still switch them off in its config). */
export function reviewerOptionsFrom(env: Env): ReviewerOptions {
  return {
    survey: env.LONGVIEW_SURVEY === "on",
    ...(env.LONGVIEW_SURVEY_MODEL ? { surveyModel: env.LONGVIEW_SURVEY_MODEL } : {}),
    synthesis: env.LONGVIEW_SYNTHESIS === "on",
    verification: env.LONGVIEW_VERIFICATION === "on",
    ...(env.LONGVIEW_VERIFICATION_MODEL ? { verificationModel: env.LONGVIEW_VERIFICATION_MODEL } : {}),
  };
}

export function compose(env: Env, log: Logger, options: ComposeOptions = {}): Longview {
  const identity: AppIdentity = createAppIdentity();
  const model = createModelClient(env, {
    log,
    ...(options.usage ? { usage: options.usage } : {}),
    slots: new Semaphore(env.LONGVIEW_MODEL_CONCURRENCY),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    secrets: secretValues([env.OPENAI_API_KEY, env.WEBHOOK_SECRET, env.PRIVATE_KEY]),
  });
  const reviewer = model && createReviewer(model, log, reviewerOptionsFrom(env));
  const inline = createDefaultAnalyzers({ log });
  const threads = options.compute === "threads" ? computeThreads(env.LONGVIEW_COMPUTE_THREADS) : 0;
  // Analyzers and window planning on worker threads: a large pull request must not hold the event loop.
  const pool =
    threads > 0 ? createReviewPool({ threads, taskTimeoutMs: env.LONGVIEW_COMPUTE_TASK_TIMEOUT_MS, log: log.child({ component: "compute" }) }) : null;
  // A small change is analyzed and planned on the event loop: ESLint, the grammars it needs and the tokenizer load there on first use.
  const analyzers = options.stages?.analyzers ?? (pool ? stagedAnalyzers(pool, inline) : inline);
  const planWindows: PlanWindows | null = options.stages?.planWindows ?? (pool ? stagedPlanWindows(pool) : null);
  // A pull request too large for the event loop gets its threads started while its change is fetched.
  const warm = pool ? (size: ChangeSize | null) => (size === null || !fitsInline(size) ? pool.warm() : undefined) : null;
  const review: ReviewDeps = { env, reviewer, analyzers, ...(planWindows ? { planWindows } : {}), ...(warm ? { warm } : {}) };
  // A fix checks a few whole files: the analyzers run inline.
  // A model-made fix is judged, then its diff is reviewed by the same pipeline before it is committed.
  const reviewFix: ReviewFix = (input) =>
    runReview({
      changeSet: input.changeSet,
      pr: input.pr,
      guidelines: input.config.review.instructions,
      config: input.config,
      budget: { windowTokens: env.LONGVIEW_WINDOW_TOKENS, outputTokens: env.LONGVIEW_OUTPUT_TOKENS, contextTokens: env.LONGVIEW_CONTEXT_TOKENS },
      reviewer,
      analyzers: inline,
      windowConcurrency: env.LONGVIEW_WINDOW_CONCURRENCY,
      log: input.log.child({ stage: "fix-review" }),
      ...(input.signal ? { signal: input.signal } : {}),
    });
  const commands: CommandDeps = {
    analyzers: inline,
    fixModel: model && createFixModel(model),
    proof: { reviewFix, judge: model && createFixJudge(model) },
    repository: { limits: repositoryLimits(env), tarballAfterReads: env.LONGVIEW_REPO_ARCHIVE_AFTER_READS },
  };
  const github = (octokit: GitHub) => createGitHubHost(octokit, identity);
  log.info({ model: model?.model ?? null, mode: model ? "model" : "offline", computeThreads: threads }, "Longview composed");

  return {
    env,
    log,
    model,
    reviewer,
    analyzers,
    review,
    commands,
    github,
    jobHandlers(auth, queue) {
      const installation = async (installationId: number): Promise<GitHubHost> => {
        const octokit = await auth(installationId);
        if (options.rateLimit) observeRateLimit(octokit, installationId, options.rateLimit);
        return github(octokit);
      };
      return {
        review: createReviewJobHandler({ github: installation, deps: review }),
        command: createCommandJobHandler({ github: installation, deps: commands, queue }),
        ci: createCiJobHandler({ github: installation, deps: commands, queue }),
      };
    },
    learnIdentity(app) {
      void app()
        .then((gh) => identity.botLogin(gh))
        .then(
          (login) => log.debug({ login }, "app identity known"),
          (err: unknown) => log.warn({ err }, "could not read the app's identity at start-up; the first job that needs it asks again"),
        );
    },
    close: async () => {
      await pool?.close();
    },
  };
}

import { generateKeyPairSync } from "node:crypto";
import { Probot } from "probot";
import { createApp } from "../../src/app.js";
import { compose } from "../../src/compose.js";
import { loadEnv, type Env } from "../../src/config/env.js";
import type { GitHub } from "../../src/github/client.js";
import { createOctokitClass } from "../../src/github/octokit.js";
import { secretValues } from "../../src/util/scrub-secrets.js";
import { InProcessQueue } from "../../src/queue/in-process-queue.js";
import { jobKinds } from "../../src/queue/kinds/index.js";
import type { FinishedAs } from "../../src/queue/queue.js";
import type { ReviewDeps } from "../../src/review/review-pull-request.js";
import { silentLog } from "./github.js";
import type { FakeGitHub } from "./nock-github.js";

/**
 * Longview as production wires it — real Probot, Longview's Octokit policy
 * with the retry and throttling plugins on, the in-process queue with its
 * retries, the job handler — against a FakeGitHub (nock) and the OpenAI API
 * (nock or any base URL). Waits are scaled down, not switched off: GitHub's
 * `retry-after: 1` and the retry plugin's 1 s / 4 s / 9 s become 5 / 20 / 45 ms.
 */

export const TIME_SCALE = 0.005;
export const PRIVATE_KEY = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
export const WEBHOOK_SECRET = "webhook-secret-0123456789";

export interface AppRun {
  /** How each job attempt ended, in order (`retrying`, then `reviewed`, …). */
  readonly attempts: readonly FinishedAs[];
}

export interface RunOptions {
  readonly env?: Record<string, string>;
  /** Job attempts (LONGVIEW_JOB_ATTEMPTS). */
  readonly attempts?: number;
  readonly rateLimitRetries?: number;
  readonly maxRetryAfterSeconds?: number;
  /** Puts review stages somewhere else (e.g. on a worker-thread pool). */
  readonly deps?: Partial<Pick<ReviewDeps, "analyzers" | "planWindows">>;
}

/**
 * The survey, synthesis and verification passes are off unless `extra` switches them on: these runs script one model
 * answer per window. The App's credentials are in the environment, as in production, so the model client knows them.
 */
export function testEnv(extra: Record<string, string> = {}): Env {
  return loadEnv({
    LONGVIEW_OPENAI_MAX_RETRIES: "0",
    LONGVIEW_GITHUB_WRITE_INTERVAL_MS: "0",
    LONGVIEW_SURVEY: "off",
    LONGVIEW_SYNTHESIS: "off",
    LONGVIEW_VERIFICATION: "off",
    WEBHOOK_SECRET,
    PRIVATE_KEY,
    ...extra,
  });
}

export async function runReviewApp(github: FakeGitHub, options: RunOptions = {}): Promise<AppRun> {
  const env = testEnv(options.env);
  const Octokit = createOctokitClass({
    writeIntervalMs: 0,
    rateLimitRetries: options.rateLimitRetries ?? env.LONGVIEW_GITHUB_RATE_LIMIT_RETRIES,
    maxRetryAfterSeconds: options.maxRetryAfterSeconds ?? env.LONGVIEW_GITHUB_MAX_RETRY_AFTER_S,
    secrets: secretValues([env.OPENAI_API_KEY, WEBHOOK_SECRET, PRIVATE_KEY]),
    retryAfterUnitMs: 1_000 * TIME_SCALE,
  }).defaults({ retry: { retryAfterBaseValue: 1_000 * TIME_SCALE } });
  const probot = new Probot({ appId: 123, privateKey: PRIVATE_KEY, secret: WEBHOOK_SECRET, log: silentLog, Octokit: Octokit as typeof Octokit });
  const attempts: FinishedAs[] = [];
  const queue = new InProcessQueue({
    kinds: jobKinds,
    settings: { concurrency: 1, installationConcurrency: 1, attempts: options.attempts ?? env.LONGVIEW_JOB_ATTEMPTS, backoffMs: 10 },
    log: silentLog,
    observer: { enqueued: () => undefined, jobFinished: (outcome) => attempts.push(outcome) },
  });
  // The composition root builds the rest, as in production (stages inline unless a test puts them elsewhere).
  const longview = compose(env, silentLog, options.deps ? { stages: options.deps } : {});
  queue.startWorker(longview.jobHandlers(async (id) => (await probot.auth(id)) as GitHub, queue));
  await probot.load(createApp({ queue, github: longview.github }));
  await probot.receive({ id: `delivery-${Math.random()}`, name: "pull_request", payload: github.openedPayload() as never });
  await queue.idle();
  return { attempts };
}

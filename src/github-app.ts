import { getPrivateKey } from "@probot/get-private-key";
import type { Logger } from "pino";
import { Probot } from "probot";
import { ConfigError, type Env } from "./config/env.js";
import { createOctokitClass } from "./github/octokit.js";
import { secretValues } from "./util/scrub-secrets.js";

/**
 * The GitHub App's identity, shared by the webhook server and worker
 * processes: both build Probot from the same credentials, so a worker's
 * `probot.auth(installationId)` yields the same installation client a
 * webhook handler gets.
 */

export interface AppCredentials {
  readonly appId: string;
  readonly privateKey: string;
  /** Absent for worker processes, which receive no webhooks. */
  readonly secret?: string;
}

/** Who needs the credentials: the webhook server must verify signatures, a worker only calls GitHub. */
export type CredentialUse = "webhooks" | "worker";

/** A Probot class preconfigured with the App's credentials and the GitHub host. */
export function createProbotClass(env: Env, log: Logger, use: CredentialUse): typeof Probot {
  const credentials = appCredentials(env, use);
  return Probot.defaults({
    Octokit: createOctokitClass({
      writeIntervalMs: env.LONGVIEW_GITHUB_WRITE_INTERVAL_MS,
      rateLimitRetries: env.LONGVIEW_GITHUB_RATE_LIMIT_RETRIES,
      maxRetryAfterSeconds: env.LONGVIEW_GITHUB_MAX_RETRY_AFTER_S,
      secrets: secretValues([env.OPENAI_API_KEY, env.WEBHOOK_SECRET, credentials.privateKey]),
    }),
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    ...(credentials.secret ? { secret: credentials.secret } : {}),
    baseUrl: gitHubApiUrl(env),
    log,
  });
}

export function gitHubApiUrl(env: Pick<Env, "GHE_HOST" | "GHE_PROTOCOL">): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}/api/v3` : "https://api.github.com";
}

/** Every missing or unreadable credential at once, as a ConfigError. */
export function appCredentials(env: Env, use: CredentialUse): AppCredentials {
  const problems: string[] = [];
  if (!env.APP_ID) problems.push("APP_ID: required to run the GitHub App (the App's numeric id)");
  let privateKey: string | null = null;
  try {
    privateKey = getPrivateKey({ env: { PRIVATE_KEY: env.PRIVATE_KEY, PRIVATE_KEY_PATH: env.PRIVATE_KEY_PATH } });
  } catch (error) {
    problems.push(`PRIVATE_KEY / PRIVATE_KEY_PATH: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!privateKey && problems.every((p) => !p.startsWith("PRIVATE_KEY"))) {
    problems.push("PRIVATE_KEY or PRIVATE_KEY_PATH: required (the App's PEM private key)");
  }
  if (use === "webhooks" && !env.WEBHOOK_SECRET) problems.push("WEBHOOK_SECRET: required; webhooks are verified with it");
  if (problems.length > 0 || !env.APP_ID || !privateKey) throw new ConfigError(problems);
  return { appId: env.APP_ID, privateKey, ...(env.WEBHOOK_SECRET ? { secret: env.WEBHOOK_SECRET } : {}) };
}

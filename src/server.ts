import { getPrivateKey } from "@probot/get-private-key";
import type { Logger } from "pino";
import { Probot, Server } from "probot";
import { createReviewer } from "./agent/index.js";
import { createDefaultAnalyzers } from "./analyzers/index.js";
import { createApp } from "./app.js";
import { ConfigError, type Env } from "./config/env.js";
import { createOctokitClass } from "./github/octokit.js";

/**
 * The GitHub App server: Probot's webhook endpoint (signature verification
 * included) with Longview loaded. `main.ts` runs it; end-to-end tests start
 * the same process against the GitHub simulator.
 */

export interface RunningServer {
  readonly port: number;
  stop(): Promise<void>;
}

export async function startServer(env: Env, log: Logger): Promise<RunningServer> {
  const credentials = appCredentials(env);
  const ProbotWithConfig = Probot.defaults({
    Octokit: createOctokitClass({
      writeIntervalMs: env.LONGVIEW_GITHUB_WRITE_INTERVAL_MS,
      rateLimitRetries: env.LONGVIEW_GITHUB_RATE_LIMIT_RETRIES,
      maxRetryAfterSeconds: env.LONGVIEW_GITHUB_MAX_RETRY_AFTER_S,
    }),
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    secret: credentials.secret,
    baseUrl: env.GHE_HOST ? `${env.GHE_PROTOCOL ?? "https"}://${env.GHE_HOST}/api/v3` : "https://api.github.com",
    log,
  });
  const server = new Server({ Probot: ProbotWithConfig, host: env.HOST, port: env.PORT, log, enableStaticFiles: false });
  const reviewer = createReviewer(env, log);
  await server.load(createApp({ env, reviewer, analyzers: createDefaultAnalyzers() }));
  await server.start();
  log.info({ port: server.port, model: reviewer?.model ?? null, mode: reviewer ? "model" : "offline" }, "Longview is listening");
  return { port: server.port, stop: () => server.stop() };
}

function appCredentials(env: Env): { appId: string; privateKey: string; secret: string } {
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
  if (!env.WEBHOOK_SECRET) problems.push("WEBHOOK_SECRET: required; webhooks are verified with it");
  if (problems.length > 0 || !env.APP_ID || !privateKey || !env.WEBHOOK_SECRET) throw new ConfigError(problems);
  return { appId: env.APP_ID, privateKey, secret: env.WEBHOOK_SECRET };
}

import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Probot } from "probot";
import type { AppDeps } from "../../src/app.js";
import { createAppIdentity } from "../../src/github/app-identity.js";
import type { GitHub } from "../../src/github/client.js";
import { createGitHubHost, type GitHubHost } from "../../src/github/host.js";
import type { JobIntake } from "../../src/queue/queue.js";
import { createOctokitClass } from "../../src/github/octokit.js";

export const GITHUB_API = "https://api.github.com";

/** Longview's Octokit class without waits: no write spacing, no retries (nock answers instantly). */
export const TestOctokit = createOctokitClass({ writeIntervalMs: 0, rateLimitRetries: 0, maxRetryAfterSeconds: 1 }).defaults({
  retry: { enabled: false },
});

export function testOctokit(): GitHub {
  return new TestOctokit({ auth: "test-token" }) as GitHub;
}

export const silentLog = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

let cachedKey: string | null = null;
function privateKey(): string {
  cachedKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return cachedKey;
}

/** A real Probot instance (retries and throttling off) for `probot.receive` tests. */
export function testProbot(): Probot {
  return new Probot({
    appId: 123,
    privateKey: privateKey(),
    log: silentLog,
    Octokit: TestOctokit,
  });
}

/** GitHub as the installation of a job, through a (test) Probot: what production's composition gives job handlers. */
export function installationHost(probot: Probot): (installationId: number) => Promise<GitHubHost> {
  const identity = createAppIdentity();
  return async (installationId) => createGitHubHost((await probot.auth(installationId)) as GitHub, identity);
}

/** The app's dependencies around a queue, as production wires them. */
export function appDeps(queue: JobIntake): AppDeps {
  const identity = createAppIdentity();
  return { queue, github: (octokit) => createGitHubHost(octokit, identity) };
}

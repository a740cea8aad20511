import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Probot } from "probot";
import type { GitHub } from "../../src/github/client.js";
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

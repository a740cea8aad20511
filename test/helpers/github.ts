import { generateKeyPairSync } from "node:crypto";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import type { GitHub } from "../../src/github/client.js";

export const GITHUB_API = "https://api.github.com";

/** A token-authenticated Octokit with Probot's plugins, retries and throttling off (nock answers instantly). */
export function testOctokit(): GitHub {
  return new (ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }))({ auth: "test-token" }) as GitHub;
}

export const silentLog = pino({ level: "silent" });

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
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
}

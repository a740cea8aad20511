import { createPrivateKey, sign } from "node:crypto";
import { beforeAll } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import nock from "nock";
import { ProbotOctokit } from "probot";
import type { Simulator } from "../../tools/github-simulator/index.js";

/** An app JWT as @octokit/auth-app makes it: RS256, iss = app id, iat 30 s back, 10 minutes of life. */
export function appJwt(privateKeyPem: string, appId: number | string, options: { now?: Date; lifetimeSeconds?: number } = {}): string {
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const iat = nowSeconds - 30;
  const header = Buffer.from(JSON.stringify({ alg: "RS256", typ: "JWT" })).toString("base64url");
  const payload = Buffer.from(JSON.stringify({ iat, exp: iat + (options.lifetimeSeconds ?? 600), iss: appId })).toString("base64url");
  const signature = sign("RSA-SHA256", Buffer.from(`${header}.${payload}`), createPrivateKey(privateKeyPem)).toString("base64url");
  return `${header}.${payload}.${signature}`;
}

export async function installationToken(sim: Simulator, installationId: number): Promise<string> {
  const response = await fetch(`${sim.url}/app/installations/${installationId}/access_tokens`, {
    method: "POST",
    headers: { authorization: `Bearer ${appJwt(sim.app.privateKey, sim.app.id)}`, accept: "application/vnd.github+json" },
  });
  if (response.status !== 201) throw new Error(`access token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

// Octokit logs every failed request with console.error; tests expect failures and assert on them instead.
const silentLog = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A plain @octokit/rest client with an installation token of the owner's installation. */
export async function installationOctokit(sim: Simulator, owner: string): Promise<Octokit> {
  const installationId = sim.installationId(owner);
  if (installationId === null) throw new Error(`no installation for ${owner}`);
  return new Octokit({ baseUrl: sim.url, auth: await installationToken(sim, installationId), log: silentLog });
}

/**
 * nock 15.0.0 (pinned, see TOOLCHAIN.md) intercepts fetch and, for requests it
 * lets through to 127.0.0.1, loses their body: every POST/PATCH with a body
 * fails with "TypeError: unusable". Tests that talk to a real local server over
 * fetch (Octokit, Probot) switch nock off for their file.
 */
export function releaseFetchFromNock(): void {
  beforeAll(() => {
    nock.restore();
  });
}

/**
 * ProbotOctokit with throttling and retries really off. The documented
 * `ProbotOctokit.defaults({ throttle: { enabled: false } })` is undone inside
 * Probot 14 (its own throttle options replace the object shallowly), and the
 * throttling plugin then spaces writes that notify (reviews, comments) 3 s apart.
 * A function default runs last, so it wins.
 */
export const UnthrottledProbotOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  throttle: { ...(options["throttle"] as object | undefined), enabled: false },
  retry: { enabled: false },
}));

import { generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { Octokit } from "@octokit/rest";
import { Probot, ProbotOctokit } from "probot";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { appJwt, installationToken, releaseFetchFromNock } from "./helpers.js";

let sim: Simulator;
let installationId: number;

releaseFetchFromNock();

beforeAll(async () => {
  sim = await startSimulator();
  await sim.createRepo({ owner: "acme", name: "widgets" });
  installationId = sim.installationId("acme") ?? -1;
});

afterAll(async () => {
  await sim.close();
});

async function requestToken(jwt: string): Promise<Response> {
  return fetch(`${sim.url}/app/installations/${installationId}/access_tokens`, { method: "POST", headers: { authorization: `Bearer ${jwt}` } });
}

describe("GitHub App authentication", () => {
  test("a JWT signed with the app's key buys an installation token that opens the API", async () => {
    const response = await requestToken(appJwt(sim.app.privateKey, sim.app.id));
    expect(response.status).toBe(201);
    const body = (await response.json()) as { token: string; expires_at: string };
    expect(body.token).toMatch(/^ghs_/);
    expect(new Date(body.expires_at).getTime()).toBeGreaterThan(Date.now() + 3500_000);

    const octokit = new Octokit({ baseUrl: sim.url, auth: body.token });
    const repo = await octokit.repos.get({ owner: "acme", repo: "widgets" });
    expect(repo.data.full_name).toBe("acme/widgets");
  });

  test("a JWT signed with another key is refused with 401", async () => {
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    const response = await requestToken(appJwt(otherKey, sim.app.id));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ message: "A JSON web token could not be decoded" });
  });

  test("JWTs that expired, live too long or name another app are refused", async () => {
    const expired = await requestToken(appJwt(sim.app.privateKey, sim.app.id, { now: new Date(Date.now() - 3600_000) }));
    expect(expired.status).toBe(401);
    const tooLong = await requestToken(appJwt(sim.app.privateKey, sim.app.id, { lifetimeSeconds: 3600 }));
    expect(tooLong.status).toBe(401);
    expect(await tooLong.json()).toMatchObject({ message: "'Expiration time' claim ('exp') is too far in the future" });
    const otherApp = await requestToken(appJwt(sim.app.privateKey, sim.app.id + 1));
    expect(otherApp.status).toBe(401);
    const garbage = await requestToken("not-a-jwt");
    expect(garbage.status).toBe(401);
  });

  test("an installation token cannot stand in for the app JWT, nor a JWT for a token", async () => {
    const token = await installationToken(sim, installationId);
    expect((await requestToken(token)).status).toBe(401);
    const repo = await fetch(`${sim.url}/repos/acme/widgets`, { headers: { authorization: `Bearer ${appJwt(sim.app.privateKey, sim.app.id)}` } });
    expect(repo.status).toBe(401);
  });

  test("requests without credentials or with unknown tokens get 401", async () => {
    expect((await fetch(`${sim.url}/repos/acme/widgets`)).status).toBe(401);
    const unknown = await fetch(`${sim.url}/repos/acme/widgets`, { headers: { authorization: "token ghs_unknown" } });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ message: "Bad credentials" });
  });

  test("expired tokens stop working; a new token works again", async () => {
    const token = await installationToken(sim, installationId);
    const before = await fetch(`${sim.url}/repos/acme/widgets`, { headers: { authorization: `token ${token}` } });
    expect(before.status).toBe(200);
    sim.expireTokens();
    const after = await fetch(`${sim.url}/repos/acme/widgets`, { headers: { authorization: `token ${token}` } });
    expect(after.status).toBe(401);
    const fresh = await installationToken(sim, installationId);
    expect((await fetch(`${sim.url}/repos/acme/widgets`, { headers: { authorization: `token ${fresh}` } })).status).toBe(200);
  });

  test("Probot authenticates as the app and as the installation, as it does for webhooks", async () => {
    const probot = new Probot({
      appId: sim.app.id,
      privateKey: sim.app.privateKey,
      baseUrl: sim.url,
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    });
    const asApp = await probot.auth();
    const installation = await asApp.rest.apps.getRepoInstallation({ owner: "acme", repo: "widgets" });
    expect(installation.data.id).toBe(installationId);
    const asInstallation = await probot.auth(installationId);
    const repo = await asInstallation.rest.repos.get({ owner: "acme", repo: "widgets" });
    expect(repo.data.default_branch).toBe("main");
    expect(sim.violations).toEqual([]);
  });
});

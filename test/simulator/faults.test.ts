import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { SECONDARY_RATE_LIMIT_MESSAGE, secondaryRateLimit, startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { createWidgetsPullRequest } from "./fixtures.js";
import { installationOctokit, releaseFetchFromNock } from "./helpers.js";

releaseFetchFromNock();

const PR = { owner: "acme", repo: "widgets", pull_number: 1 } as const;

let sim: Simulator;
let gh: Octokit;

beforeAll(async () => {
  sim = await startSimulator();
  await createWidgetsPullRequest(sim);
  gh = await installationOctokit(sim, "acme");
});

afterAll(async () => {
  await sim.close();
});

describe("fault injection", () => {
  test("a secondary rate limit on one endpoint, for a counted number of requests", async () => {
    sim.faults.inject({ method: "POST", route: "/repos/{owner}/{repo}/pulls/{pull_number}/reviews", times: 2, ...secondaryRateLimit(1) });

    for (let i = 0; i < 2; i++) {
      const error = await gh.pulls.createReview({ ...PR, event: "COMMENT", body: "x" }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 403, response: { headers: { "retry-after": "1" }, data: { message: SECONDARY_RATE_LIMIT_MESSAGE } } });
    }
    // Other endpoints are untouched; the third review goes through.
    expect((await gh.pulls.get(PR)).status).toBe(200);
    expect((await gh.pulls.createReview({ ...PR, event: "COMMENT", body: "x" })).status).toBe(200);
    expect(sim.state.reviews("acme/widgets", 1)).toHaveLength(1);
    expect(sim.faults.all[0]).toMatchObject({ hits: 2, remaining: 0 });
    expect(sim.requests.filter((r) => r.fault).map((r) => r.status)).toEqual([403, 403]);
  });

  test("server errors, matched by concrete path or template, with default or custom bodies", async () => {
    sim.faults.inject({ route: "/repos/acme/widgets/pulls/1/files", status: 502 });
    sim.faults.inject({ method: "GET", route: "/repos/{owner}/{repo}/pulls/{pull_number}", status: 503, body: { message: "down for maintenance" } });
    sim.faults.inject({ method: "GET", route: "/repos/{owner}/{repo}", status: 429, headers: { "retry-after": "3" } });

    await expect(gh.pulls.listFiles(PR)).rejects.toMatchObject({ status: 502 });
    await expect(gh.pulls.get(PR)).rejects.toMatchObject({ status: 503, response: { data: { message: "down for maintenance" } } });
    await expect(gh.repos.get({ owner: "acme", repo: "widgets" })).rejects.toMatchObject({ status: 429, response: { headers: { "retry-after": "3" } } });
    expect((await gh.pulls.listFiles(PR)).status).toBe(200);
  });

  test("a fault applies before authentication, like an outage", async () => {
    sim.faults.inject({ method: "POST", route: "/app/installations/{installation_id}/access_tokens", status: 500 });
    const response = await fetch(`${sim.url}/app/installations/${sim.installationId("acme")}/access_tokens`, { method: "POST" });
    expect(response.status).toBe(500);
    expect(sim.violations).toEqual([]);
  });

  test("a fault after the request applied: the write happened, the client sees a 502", async () => {
    sim.faults.inject({ method: "POST", route: "/repos/{owner}/{repo}/issues/{issue_number}/comments", status: 502, when: "after" });
    const before = sim.state.issueComments("acme/widgets", 1).length;
    await expect(gh.issues.createComment({ owner: "acme", repo: "widgets", issue_number: 1, body: "applied" })).rejects.toMatchObject({ status: 502 });
    expect(
      sim.state
        .issueComments("acme/widgets", 1)
        .map((c) => c.body)
        .slice(before),
    ).toEqual(["applied"]);
    expect(sim.requests.filter((r) => r.applied).map((r) => r.status)).toEqual([502]);
  });

  test("times must be positive", () => {
    expect(() => sim.faults.inject({ route: "/x", status: 500, times: 0 })).toThrow(RangeError);
  });
});

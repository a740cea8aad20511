import { describe, expect, test } from "@jest/globals";
import pino from "pino";
import { loadEnv } from "../../../src/config/env.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import type { GitHubHost } from "../../../src/github/host.js";
import type { JobStart, JobStartOptions } from "../../../src/github/job-start-query.js";
import { reviewPullRequest } from "../../../src/review/review-pull-request.js";
import { FakeGitHubHost } from "../../helpers/fake-github-host.js";

/**
 * The review with a host that answers the job-start query: what the query settles is not read again (the
 * pull request once before posting, the state, the head's check runs, the configuration), what it leaves
 * open is read as before.
 */

const repo = { owner: "acme", repo: "widgets" };
const ref = { ...repo, pullNumber: 7 };
const log = pino({ level: "silent" });
const deps = { env: loadEnv({}), reviewer: null, analyzers: [] };

function world(): FakeGitHubHost {
  const fake = new FakeGitHubHost();
  fake.addRepo(repo, { files: { "README.md": "# widgets\n" } });
  fake.push(repo, "feature", { "src/answer.ts": "export const answer = 42;\n" }, "answer");
  fake.addPullRequest(repo, { number: 7, head: "feature" });
  return fake;
}

/** The fake host with a job-start query that settles what `settled` says (the pull request always comes from it). */
function withJobStart(fake: FakeGitHubHost, settled: Partial<Omit<JobStart, "pr">>): { host: GitHubHost; asked: JobStartOptions[] } {
  const asked: JobStartOptions[] = [];
  const host: GitHubHost = Object.assign(Object.create(fake) as FakeGitHubHost, {
    jobStart: async (r: typeof ref, options: JobStartOptions): Promise<JobStart> => {
      asked.push(options);
      return { pr: await fake.pullRequest(r), config: null, agentsMd: undefined, unreviewed: false, noRunsNamed: null, ...settled };
    },
  });
  return { host, asked };
}

describe("the job-start query in the review", () => {
  test("settled: no state, check-run or configuration reads; the pull request is read once more, before posting", async () => {
    const fake = world();
    const { host, asked } = withJobStart(fake, { config: { config: DEFAULT_REPO_CONFIG, problems: [] }, unreviewed: true, noRunsNamed: "Longview" });
    fake.calls.length = 0;
    const outcome = await reviewPullRequest(host, { ref }, deps, log);
    expect(outcome.kind).toBe("reviewed");
    expect(asked).toEqual([expect.objectContaining({ checkName: "Longview", guidelines: false })]);
    expect(fake.calls).not.toContain("state");
    expect(fake.calls).not.toContain("checkRuns");
    expect(fake.calls).not.toContain("repoConfig");
    expect(fake.calls).not.toContain("textFile");
    expect(fake.calls.filter((c) => c === "pullRequest")).toHaveLength(2);
    expect(fake.reviews).toHaveLength(1);
  });

  test("not settled: the configuration, the state and the check runs are read as without the query", async () => {
    const fake = world();
    const { host } = withJobStart(fake, {});
    fake.calls.length = 0;
    const outcome = await reviewPullRequest(host, { ref }, deps, log);
    expect(outcome.kind).toBe("reviewed");
    expect(fake.calls).toEqual(expect.arrayContaining(["repoConfig", "state", "checkRuns"]));
  });

  test("a renamed check run is looked up: the query proved only the default name absent", async () => {
    const fake = world();
    const renamed = { config: { ...DEFAULT_REPO_CONFIG, gate: { ...DEFAULT_REPO_CONFIG.gate, checkName: "Review" } }, problems: [] };
    const { host } = withJobStart(fake, { config: renamed, unreviewed: true, noRunsNamed: "Longview" });
    fake.calls.length = 0;
    await reviewPullRequest(host, { ref }, deps, log);
    expect(fake.calls).toContain("checkRuns");
    expect(fake.checkRunsOn((await fake.pullRequest(ref)).head.sha).map((r) => r.name)).toEqual(["Review"]);
  });
});

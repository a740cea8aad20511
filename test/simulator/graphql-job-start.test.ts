import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import pino from "pino";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { readBlobsBatched } from "../../src/github/blob-batch.js";
import type { GitHub } from "../../src/github/client.js";
import { JOB_START_QUERY, readJobStart } from "../../src/github/job-start-query.js";
import { BASE_APP, createWidgetsPullRequest, HEAD_APP } from "./fixtures.js";
import { installationOctokit, releaseFetchFromNock } from "./helpers.js";

const REF = { owner: "acme", repo: "widgets", pullNumber: 1 } as const;
const log = pino({ level: "silent" });

const world: { sim?: Simulator; gh?: Octokit; headSha?: string } = {};
releaseFetchFromNock();
beforeAll(async () => {
  world.sim = await startSimulator();
  world.headSha = (await createWidgetsPullRequest(world.sim)).headSha;
  world.gh = await installationOctokit(world.sim, "acme");
}, 60_000);
afterAll(() => world.sim?.close());

/** The simulator, its pull request's head and an installation client, once `beforeAll` ran. */
function the(): { sim: Simulator; gh: Octokit; headSha: string } {
  if (!world.sim || !world.gh || !world.headSha) throw new Error("the simulator is not started");
  return { sim: world.sim, gh: world.gh, headSha: world.headSha };
}

const variables = { owner: "acme", name: "widgets", number: 1, checkName: "Longview", guidelines: true, orgConfig: true };

describe("the job-start query on the simulator", () => {
  test("answers as GitHub does: the pull request's fields, NOT_FOUND with a path and partial data for a missing .github repository", async () => {
    const { gh, headSha } = the();
    const error = (await gh.graphql(JOB_START_QUERY, variables).catch((e: unknown) => e)) as { errors: unknown[]; data: Record<string, unknown> };
    expect(error.errors).toEqual([expect.objectContaining({ type: "NOT_FOUND", path: ["org"] })]);
    expect(error.data["org"]).toBeNull();
    const rest = (await gh.pulls.get({ owner: "acme", repo: "widgets", pull_number: 1 })).data;
    expect(error.data["repository"]).toMatchObject({
      nameWithOwner: "acme/widgets",
      pullRequest: {
        number: 1,
        title: "Feature",
        body: "Adds things",
        state: "OPEN",
        isDraft: false,
        changedFiles: rest.changed_files,
        additions: rest.additions,
        deletions: rest.deletions,
        author: { __typename: "User", login: "dev" },
        headRefOid: headSha,
        headRefName: "feature",
        baseRefOid: rest.base.sha,
        baseRef: { target: { __typename: "Commit", oid: rest.base.sha, file: null } },
        reviews: { totalCount: 0 },
        commits: { nodes: [{ commit: { oid: headSha, checkSuites: { totalCount: 0, nodes: [] } } }] },
      },
      config: null,
    });
  });

  test("readJobStart maps it onto the REST pull request, proves an unreviewed head without runs, and takes defaults", async () => {
    const { gh } = the();
    const start = await readJobStart(gh as unknown as GitHub, REF, { checkName: "Longview", guidelines: true, log });
    const rest = (await gh.pulls.get({ owner: "acme", repo: "widgets", pull_number: 1 })).data;
    expect(start).not.toBeNull();
    expect(start?.pr).toEqual({
      number: 1,
      title: "Feature",
      body: "Adds things",
      state: "open",
      draft: false,
      merged: false,
      user: { login: "dev", type: rest.user.type },
      changed_files: rest.changed_files,
      additions: rest.additions,
      deletions: rest.deletions,
      maintainer_can_modify: rest.maintainer_can_modify,
      head: { sha: rest.head.sha, ref: rest.head.ref, repo: { full_name: "acme/widgets" } },
      base: { sha: rest.base.sha, ref: rest.base.ref, repo: { full_name: "acme/widgets" } },
    });
    expect(start?.config?.problems).toEqual([]);
    expect(start?.agentsMd).toBeNull();
    expect(start?.unreviewed).toBe(true);
    expect(start?.noRunsNamed).toBe("Longview");
  });

  test("a check run by that name on the head, or a review, is seen", async () => {
    const { gh, headSha } = the();
    await gh.checks.create({ owner: "acme", repo: "widgets", name: "Longview", head_sha: headSha, status: "in_progress" });
    await gh.pulls.createReview({ owner: "acme", repo: "widgets", pull_number: 1, commit_id: headSha, event: "COMMENT", body: "seen" });
    const start = await readJobStart(gh as unknown as GitHub, REF, { checkName: "Longview", guidelines: false, log });
    expect(start?.noRunsNamed).toBeNull();
    expect(start?.unreviewed).toBe(false);
    expect(start?.agentsMd).toBeUndefined();
    const other = await readJobStart(gh as unknown as GitHub, REF, { checkName: "Other", guidelines: false, log });
    expect(other?.noRunsNamed).toBe("Other");
  });

  test("the configuration and AGENTS.md come from the default branch; the organisation's .github repository is the fallback", async () => {
    const { sim, gh } = the();
    await sim.createRepo({
      owner: "acme",
      name: ".github",
      commits: [{ message: "org", files: { ".github/longview.yml": "drafts: review\n" } }],
    });
    const start = await readJobStart(gh as unknown as GitHub, REF, { checkName: "Longview", guidelines: true, log });
    expect(start?.config?.config.drafts).toBe("review");
    await sim.pushCommit("acme/widgets", "main", { message: "rules", files: { ".github/longview.yml": "drafts: skip\n", "AGENTS.md": "# Guide\n" } });
    const again = await readJobStart(gh as unknown as GitHub, REF, { checkName: "Longview", guidelines: true, log });
    expect(again?.config?.config.drafts).toBe("skip");
    // The simulator's base sha is the base branch's tip (as its REST pull request says): the tip's AGENTS.md is the base's.
    expect(again?.agentsMd).toBe("# Guide\n");
  });
});

describe("batched blobs on the simulator", () => {
  test("texts by id in one query; a missing id is null", async () => {
    const { gh, headSha } = the();
    const tree = (await gh.git.getTree({ owner: "acme", repo: "widgets", tree_sha: headSha, recursive: "true" })).data.tree;
    const app = tree.find((e) => e.path === "src/app.ts")?.sha ?? "";
    const readme = tree.find((e) => e.path === "README.md")?.sha ?? "";
    const missing = "0".repeat(40);
    const blobs = await readBlobsBatched(gh as unknown as GitHub, { owner: "acme", repo: "widgets" }, [app, readme, missing]);
    expect(blobs.get(app)?.toString("utf8")).toBe(HEAD_APP);
    expect(blobs.get(readme)?.toString("utf8")).toBe("# widgets\n");
    expect(blobs.get(missing)).toBeNull();
    expect(HEAD_APP).not.toBe(BASE_APP);
  });
});

import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { installationOctokit, releaseFetchFromNock } from "./helpers.js";

const run = promisify(execFile);
const OWNER = "acme";

let sim: Simulator;
let gh: Octokit;
let gitDir: string;

function numbered(count: number, prefix: string): string {
  return Array.from({ length: count }, (_, i) => `${prefix} line ${i + 1}`).join("\n") + "\n";
}

releaseFetchFromNock();

beforeAll(async () => {
  sim = await startSimulator({ limits: { maxPatchBytes: 2_000 } });
  const many: Record<string, string> = {};
  for (let i = 0; i < 250; i++) many[`pkg/file-${String(i).padStart(3, "0")}.ts`] = `export const v${i} = ${i};\n`;
  const repo = await sim.createRepo({
    owner: OWNER,
    name: "big",
    commits: [
      {
        message: "base",
        files: { "keep.ts": numbered(40, "keep"), "gone.ts": "bye\n", "old-name.ts": numbered(30, "moved"), "huge.txt": numbered(10, "huge") },
      },
    ],
    branches: {
      feature: {
        commits: [
          {
            message: "many changes",
            files: {
              ...many,
              "keep.ts": numbered(40, "keep").replace("keep line 5\n", "keep line five\n").replace("keep line 35\n", "keep line 35\nadded after 35\n"),
              "gone.ts": null,
              "old-name.ts": null,
              "new-name.ts": numbered(30, "moved"),
              "huge.txt": numbered(400, "huge changed"),
            },
          },
        ],
      },
    },
  });
  gitDir = repo.gitDir;
  await sim.createPullRequest({ repo: "acme/big", head: "feature", base: "main", title: "Big" });
  gh = await installationOctokit(sim, OWNER);
});

afterAll(async () => {
  await sim.close();
});

describe("pulls.listFiles", () => {
  test("pages of at most 100 with GitHub's Link header, and octokit.paginate collects them all", async () => {
    const first = await gh.pulls.listFiles({ owner: OWNER, repo: "big", pull_number: 1, per_page: 100 });
    expect(first.data).toHaveLength(100);
    expect(first.headers.link).toMatch(/<[^>]*\/repos\/acme\/big\/pulls\/1\/files\?per_page=100&page=2>; rel="next"/);
    expect(first.headers.link).toMatch(/page=3>; rel="last"/);

    const last = await gh.pulls.listFiles({ owner: OWNER, repo: "big", pull_number: 1, per_page: 100, page: 3 });
    expect(last.data).toHaveLength(254 - 200);
    expect(last.headers.link).toMatch(/rel="prev"/);
    expect(last.headers.link).toMatch(/rel="first"/);
    expect(last.headers.link).not.toMatch(/rel="next"/);

    const capped = await gh.pulls.listFiles({ owner: OWNER, repo: "big", pull_number: 1, per_page: 500 });
    expect(capped.data).toHaveLength(100);

    const all = await gh.paginate(gh.pulls.listFiles, { owner: OWNER, repo: "big", pull_number: 1, per_page: 100 });
    expect(all).toHaveLength(254);
    expect(new Set(all.map((f) => f.filename)).size).toBe(254);
  });

  test("statuses, counts and blob shas follow git; renames carry previous_filename", async () => {
    const all = await gh.paginate(gh.pulls.listFiles, { owner: OWNER, repo: "big", pull_number: 1, per_page: 100 });
    const byName = new Map(all.map((f) => [f.filename, f]));
    expect(byName.get("gone.ts")).toMatchObject({ status: "removed", additions: 0, deletions: 1 });
    expect(byName.get("new-name.ts")).toMatchObject({ status: "renamed", previous_filename: "old-name.ts", changes: 0 });
    expect(byName.get("new-name.ts")?.patch).toBeUndefined();
    expect(byName.get("pkg/file-007.ts")).toMatchObject({ status: "added", additions: 1, deletions: 0, patch: "@@ -0,0 +1 @@\n+export const v7 = 7;" });
    const keep = byName.get("keep.ts");
    expect(keep).toMatchObject({ status: "modified", additions: 2, deletions: 1, changes: 3 });
    const { stdout } = await run("git", ["--git-dir", gitDir, "rev-parse", "feature:keep.ts"]);
    expect(keep?.sha).toBe(stdout.trim());
  });

  test("patch is git's diff without the file header lines", async () => {
    const all = await gh.paginate(gh.pulls.listFiles, { owner: OWNER, repo: "big", pull_number: 1, per_page: 100 });
    const keep = all.find((f) => f.filename === "keep.ts");
    const { stdout } = await run("git", ["--git-dir", gitDir, "diff", "main...feature", "--", "keep.ts"]);
    const hunks = stdout.slice(stdout.indexOf("@@")).replace(/\n$/, "");
    expect(keep?.patch).toBe(hunks);
    expect(keep?.patch?.split("\n").filter((l) => l.startsWith("@@"))).toHaveLength(2);
  });

  test("a patch above the size limit is left out, as GitHub does for very large diffs", async () => {
    const all = await gh.paginate(gh.pulls.listFiles, { owner: OWNER, repo: "big", pull_number: 1, per_page: 100 });
    const huge = all.find((f) => f.filename === "huge.txt");
    expect(huge).toMatchObject({ status: "modified", additions: 400, deletions: 10 });
    expect(huge?.patch).toBeUndefined();
    expect(sim.violations).toEqual([]);
  });
});

describe("GitHub's 3,000-file cap", () => {
  test("listFiles stops at 3,000 files while the diff has more", async () => {
    const capSim = await startSimulator();
    try {
      const files: Record<string, string> = {};
      for (let i = 0; i < 3_010; i++) files[`gen/${i}.txt`] = `${i}\n`;
      await capSim.createRepo({ owner: OWNER, name: "huge", branches: { wide: { commits: [{ message: "wide", files }] } } });
      const created = await capSim.createPullRequest({ repo: "acme/huge", head: "wide", base: "main", title: "Wide" });
      expect(created.pullRequest["changed_files"]).toBe(3_010);
      const octokit = await installationOctokit(capSim, OWNER);
      const last = await octokit.pulls.listFiles({ owner: OWNER, repo: "huge", pull_number: 1, per_page: 100, page: 30 });
      expect(last.data).toHaveLength(100);
      expect(last.headers.link).not.toMatch(/rel="next"/);
      const beyond = await octokit.pulls.listFiles({ owner: OWNER, repo: "huge", pull_number: 1, per_page: 100, page: 31 });
      expect(beyond.data).toHaveLength(0);
      await expect(octokit.pulls.get({ owner: OWNER, repo: "huge", pull_number: 1, mediaType: { format: "diff" } })).rejects.toMatchObject({ status: 406 });
    } finally {
      await capSim.close();
    }
  });
});

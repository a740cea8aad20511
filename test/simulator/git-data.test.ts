import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { startSimulator, type SimulatorEvent, type Simulator } from "../../tools/github-simulator/index.js";
import { createWidgetsPullRequest } from "./fixtures.js";
import { installationOctokit, releaseFetchFromNock } from "./helpers.js";

releaseFetchFromNock();

const run = promisify(execFile);
const REPO = { owner: "acme", repo: "widgets" } as const;

let sim: Simulator;
let gh: Octokit;
let gitDir: string;
const events: SimulatorEvent[] = [];

beforeAll(async () => {
  sim = await startSimulator({ onWebhook: (event) => void events.push(event) });
  ({ gitDir } = await createWidgetsPullRequest(sim));
  gh = await installationOctokit(sim, "acme");
});

afterAll(async () => {
  await sim.close();
});

async function git(dir: string, ...args: string[]): Promise<string> {
  return (await run("git", ["--git-dir", dir, ...args])).stdout;
}

/** Commits `files` on top of the feature branch through the Git Data API, the way an app pushes a fix. */
async function commitOnFeature(files: Record<string, string | null>, message: string): Promise<string> {
  const ref = await gh.git.getRef({ ...REPO, ref: "heads/feature" });
  const parent = await gh.git.getCommit({ ...REPO, commit_sha: ref.data.object.sha });
  const blob = await gh.git.createBlob({ ...REPO, content: Buffer.from("blob via API\n").toString("base64"), encoding: "base64" });
  const tree = await gh.git.createTree({
    ...REPO,
    base_tree: parent.data.tree.sha,
    tree: [
      ...Object.entries(files).map(([path, content]) =>
        content === null
          ? { path, mode: "100644" as const, type: "blob" as const, sha: null }
          : { path, mode: "100644" as const, type: "blob" as const, content },
      ),
      { path: "docs/blob.txt", mode: "100644" as const, type: "blob" as const, sha: blob.data.sha },
    ],
  });
  const commit = await gh.git.createCommit({ ...REPO, message, tree: tree.data.sha, parents: [parent.data.sha] });
  return commit.data.sha;
}

describe("Git Data API", () => {
  test("blob, tree, commit and ref writes make a real commit that git itself reads; the PR head follows", async () => {
    const before = sim.state.pullRequest("acme/widgets", 1).headSha;
    const sha = await commitOnFeature({ "src/util.ts": "a\nB\nc\n", "README.md": null }, "Apply suggestion");
    const updated = await gh.git.updateRef({ ...REPO, ref: "heads/feature", sha });
    expect(updated.data.object.sha).toBe(sha);

    expect((await git(gitDir, "rev-parse", "refs/heads/feature")).trim()).toBe(sha);
    expect(await git(gitDir, "log", "-1", "--format=%s%n%P", sha)).toBe(`Apply suggestion\n${before}\n`);
    expect(await git(gitDir, "show", `${sha}:src/util.ts`)).toBe("a\nB\nc\n");
    expect(await git(gitDir, "show", `${sha}:docs/blob.txt`)).toBe("blob via API\n");
    await expect(git(gitDir, "show", `${sha}:README.md`)).rejects.toThrow();
    expect(await git(gitDir, "fsck", "--no-dangling")).toBe("");

    expect(sim.state.pullRequest("acme/widgets", 1).headSha).toBe(sha);
    expect(await sim.state.fileAt("acme/widgets", "feature", "src/util.ts")).toBe("a\nB\nc\n");
    await sim.settleWebhooks();
    const sync = events.find((e) => e.payload["action"] === "synchronize");
    expect(sync?.name).toBe("pull_request");
    expect(sync?.payload).toMatchObject({ before, after: sha, number: 1, pull_request: { head: { sha } }, installation: { id: sim.installationId("acme") } });
    const files = await gh.pulls.listFiles({ ...REPO, pull_number: 1 });
    expect(files.data.map((f) => f.filename)).toContain("docs/blob.txt");
    expect(sim.violations).toEqual([]);
  });

  test("a non-fast-forward ref update is refused unless forced", async () => {
    const tip = (await gh.git.getRef({ ...REPO, ref: "heads/feature" })).data.object.sha;
    const main = (await gh.git.getRef({ ...REPO, ref: "heads/main" })).data.object.sha;
    const sideways = await gh.git.createCommit({
      ...REPO,
      message: "rewrite",
      tree: (await gh.git.getCommit({ ...REPO, commit_sha: main })).data.tree.sha,
      parents: [main],
    });

    const refused = await gh.git.updateRef({ ...REPO, ref: "heads/feature", sha: sideways.data.sha }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 422, response: { data: { message: "Update is not a fast forward" } } });
    expect((await gh.git.getRef({ ...REPO, ref: "heads/feature" })).data.object.sha).toBe(tip);

    const forced = await gh.git.updateRef({ ...REPO, ref: "heads/feature", sha: sideways.data.sha, force: true });
    expect(forced.data.object.sha).toBe(sideways.data.sha);
    expect(sim.state.pullRequest("acme/widgets", 1).headSha).toBe(sideways.data.sha);
  });

  test("createRef, missing refs and bad objects answer like GitHub", async () => {
    const main = (await gh.git.getRef({ ...REPO, ref: "heads/main" })).data.object.sha;
    const created = await gh.git.createRef({ ...REPO, ref: "refs/heads/longview/fix-1", sha: main });
    expect(created.status).toBe(201);
    await expect(gh.git.createRef({ ...REPO, ref: "refs/heads/longview/fix-1", sha: main })).rejects.toMatchObject({ status: 422 });
    await expect(gh.git.getRef({ ...REPO, ref: "heads/nope" })).rejects.toMatchObject({ status: 404 });
    await expect(gh.git.createCommit({ ...REPO, message: "m", tree: "e".repeat(40) })).rejects.toMatchObject({ status: 422 });
    await expect(gh.git.getBlob({ ...REPO, file_sha: "e".repeat(40) })).rejects.toMatchObject({ status: 404 });
  });

  test("sim.pushCommit moves the branch and returns a synchronize payload", async () => {
    const pushed = await sim.pushCommit("acme/widgets", "feature", { message: "developer push", files: { "src/new.ts": "export {};\n" } }, { sender: "dev" });
    expect(pushed.events).toHaveLength(1);
    expect(pushed.events[0]?.payload).toMatchObject({ action: "synchronize", after: pushed.sha, sender: { login: "dev" } });
    const commits = await sim.state.commits("acme/widgets", "feature");
    expect(commits[0]).toMatchObject({ sha: pushed.sha, message: "developer push" });
    const tree = await gh.git.getTree({ ...REPO, tree_sha: pushed.sha, recursive: "1" });
    expect(tree.data.tree.map((e) => e.path)).toEqual(expect.arrayContaining(["src", "src/new.ts", "src/app.ts"]));
    expect(sim.violations).toEqual([]);
  });
});

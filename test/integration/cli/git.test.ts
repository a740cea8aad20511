import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { diffStream, findDefaultBranch, findRepoRoot, mergeBase, readBlobs, resolveCommit } from "../../../src/cli/git.js";
import { UsageError } from "../../../src/cli/io.js";
import { loadLocalChange } from "../../../src/cli/local-change.js";
import { parseUnifiedDiff } from "../../../src/diff/parse-unified-diff.js";
import { createGitFixture, HEAD_SERVER, type GitFixture } from "./git-fixture.js";

const noStdin = { cwd: "/", stdin: (async function* () {})() };

async function text(stream: AsyncIterable<string | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

let repo: GitFixture;
beforeAll(async () => {
  repo = await createGitFixture();
});
afterAll(async () => {
  await repo.cleanup();
});

describe("git helpers", () => {
  test("repository root, refs and merge base", async () => {
    expect(await findRepoRoot(`${repo.dir}/src`)).toMatch(/longview-cli-/);
    expect(await findRepoRoot("/")).toBeNull();
    expect(await resolveCommit(repo.dir, "main")).toBe(repo.base);
    await expect(resolveCommit(repo.dir, "no-such-branch")).rejects.toThrow(`unknown git ref "no-such-branch" in ${repo.dir}`);
    await expect(resolveCommit(repo.dir, "--output=x")).rejects.toBeInstanceOf(UsageError);
    expect(await mergeBase(repo.dir, repo.base, repo.clean)).toBe(repo.base);
    expect(await findDefaultBranch(repo.dir)).toBe("main");
  });

  test("diff is a plain unified diff with renames and deletions", async () => {
    const files = parseUnifiedDiff(await text(diffStream(repo.dir, repo.base, repo.head)));
    expect(files.map((f) => [f.path, f.status])).toEqual([
      ["package-lock.json", "modified"],
      ["src/old.js", "removed"],
      ["src/server.js", "modified"],
    ]);
  });

  test("readBlobs reads many files in one process", async () => {
    const blobs = await readBlobs(repo.dir, repo.head, ["src/server.js", "src/old.js", "src"]);
    expect(blobs.get("src/server.js")?.toString("utf8")).toBe(HEAD_SERVER);
    expect(blobs.get("src/old.js")).toBeNull();
    expect(blobs.get("src")).toBeNull();
  });
});

test("a missing git binary is a usage error, not 'not a repository'", async () => {
  const path = process.env.PATH;
  process.env.PATH = "/nonexistent";
  try {
    await expect(findRepoRoot(repo.dir)).rejects.toThrow("git is not installed or not on PATH");
    await expect(readBlobs(repo.dir, repo.head, ["src/server.js"])).rejects.toThrow("git is not installed or not on PATH");
  } finally {
    process.env.PATH = path;
  }
});

describe("loadLocalChange", () => {
  test("a git range defaults to the default branch...HEAD and uses the commit as title", async () => {
    const change = await loadLocalChange({ kind: "git", repo: repo.dir, base: undefined, head: undefined, workingTree: false }, noStdin, 1_000_000);
    expect(change.title).toBe("Add calculator and user lookup");
    expect(change.description).toBe("Two new endpoints.");
    expect(change.label).toMatch(/^main\.\.\.HEAD \([0-9a-f]{7}\.\.[0-9a-f]{7}\)$/);
    expect(change.repoRoot).toMatch(/longview-cli-/);
    const heads = await change.readHead!(["src/server.js"]);
    expect(heads.get("src/server.js")).toEqual({ kind: "text", text: HEAD_SERVER });
  });

  test("several commits: the range as title, every message as description", async () => {
    const change = await loadLocalChange({ kind: "git", repo: repo.dir, base: "main", head: repo.clean, workingTree: false }, noStdin, 1_000_000);
    expect(change.title).toBe(`Local changes main...${repo.clean}`);
    expect(change.description).toContain("Add a clean helper");
    expect(change.description).toContain("Two new endpoints.");
  });

  test("working tree: uncommitted edits of tracked files are part of the change", async () => {
    await repo.write("src/server.js", `${HEAD_SERVER}// uncommitted\n`);
    try {
      const change = await loadLocalChange({ kind: "git", repo: repo.dir, base: "main", head: undefined, workingTree: true }, noStdin, 1_000_000);
      expect(await text(change.diff)).toContain("+// uncommitted");
      expect((await change.readHead!(["src/server.js"])).get("src/server.js")).toEqual({ kind: "text", text: `${HEAD_SERVER}// uncommitted\n` });
    } finally {
      await repo.git("checkout", "-q", "--", "src/server.js");
    }
  });

  test("input errors are usage errors with one clear line", async () => {
    const load = (o: Parameters<typeof loadLocalChange>[0]) => loadLocalChange(o, noStdin, 1_000_000);
    await expect(load({ kind: "git", repo: "/nonexistent-dir", base: undefined, head: undefined, workingTree: false })).rejects.toThrow(
      "--repo: cannot access /nonexistent-dir: no such file or directory",
    );
    await expect(load({ kind: "git", repo: "/", base: undefined, head: undefined, workingTree: false })).rejects.toThrow("not a git repository: /");
    await expect(load({ kind: "git", repo: repo.dir, base: "nope", head: undefined, workingTree: false })).rejects.toThrow('unknown git ref "nope"');
    await expect(load({ kind: "diff", diff: "/nonexistent.diff", repo: undefined })).rejects.toThrow(
      "cannot read diff file /nonexistent.diff: no such file or directory",
    );
  });
});

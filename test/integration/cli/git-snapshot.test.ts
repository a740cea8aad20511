import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { DEFAULT_REPOSITORY_LIMITS, type RepositoryLimits } from "../../../src/domain/repository.js";
import { loadLocalChange } from "../../../src/cli/local-change.js";
import { gitCommitSnapshot, workingTreeSnapshot, type LocalSnapshot } from "../../../src/repo/git-snapshot.js";

const run = promisify(execFile);
const HOSTILE = ["../outside.txt", "/etc/passwd", "src/../secret.txt", "src//a.ts", "", "a\0b", ".git/config"];

let parent: string;
let dir: string;
let commit: string;
const open: LocalSnapshot[] = [];

async function git(...args: string[]): Promise<string> {
  const env = { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" };
  return (await run("git", args, { cwd: dir, env })).stdout;
}

function track<T extends LocalSnapshot>(snapshot: T): T {
  open.push(snapshot);
  return snapshot;
}

beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), "longview-git-snapshot-"));
  dir = join(parent, "repo");
  await mkdir(join(dir, "src"), { recursive: true });
  await writeFile(join(parent, "outside.txt"), "outside the repository\n");
  await writeFile(join(dir, "src/a.ts"), "export const a = 1;\n");
  await writeFile(join(dir, "src/b.ts"), "export const b = 2;\n");
  await writeFile(join(dir, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
  await writeFile(join(dir, "big.txt"), "x".repeat(3_000));
  await writeFile(join(dir, "line\nbreak.txt"), "a path with a newline\n");
  await writeFile(join(dir, "ünïcode name.md"), "# unicode\n");
  await writeFile(join(dir, ".gitignore"), ".env\ndist/\n");
  await writeFile(join(dir, ".env"), "TOKEN=ignored-and-never-read\n");
  await symlink("../outside.txt", join(dir, "escape.txt"));
  await symlink("src/a.ts", join(dir, "alias.ts"));
  await git("init", "--quiet", "--initial-branch=main");
  await git("add", "--all");
  await git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "--quiet", "-m", "base");
  commit = (await git("rev-parse", "HEAD")).trim();
  // Working tree changes after the commit: one edit, one untracked file, one ignored build output.
  await writeFile(join(dir, "src/a.ts"), "export const a = 100;\n");
  await writeFile(join(dir, "src/new.ts"), "export const fresh = true;\n");
  await mkdir(join(dir, "dist"));
  await writeFile(join(dir, "dist/bundle.js"), "ignored();\n");
});

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await rm(parent, { recursive: true, force: true });
});

const limits = (overrides: Partial<RepositoryLimits> = {}): RepositoryLimits => ({ ...DEFAULT_REPOSITORY_LIMITS, ...overrides });

describe("gitCommitSnapshot", () => {
  test("lists the commit's regular files, NUL-separated names intact, symlinks left out", async () => {
    const repo = track(gitCommitSnapshot(dir, commit, limits()));
    const { paths, truncated } = await repo.paths();
    expect(truncated).toBe(false);
    expect(paths).toEqual(expect.arrayContaining(["src/a.ts", "line\nbreak.txt", "ünïcode name.md", ".gitignore"]));
    expect(paths).not.toContain(".env");
    expect(paths).not.toContain("escape.txt");
    expect(paths).not.toContain("src/new.ts");
  });

  test("reads the committed text through one cat-file process; binary, absent and hostile paths are null", async () => {
    const repo = track(gitCommitSnapshot(dir, commit, limits()));
    expect(await repo.read("src/a.ts")).toBe("export const a = 1;\n");
    expect(await repo.read("line\nbreak.txt")).toBe("a path with a newline\n");
    expect(await repo.read("ünïcode name.md")).toBe("# unicode\n");
    expect(await repo.read("logo.png")).toBeNull();
    expect(await repo.read("escape.txt")).toBeNull();
    expect(await repo.read("src/new.ts")).toBeNull();
    for (const path of HOSTILE) expect(await repo.read(path)).toBeNull();
    const texts = await Promise.all(["src/a.ts", "src/b.ts", "big.txt", "src/b.ts"].map((p) => repo.read(p)));
    expect(texts.map((t) => t?.length)).toEqual([20, 20, 3_000, 20]);
  });

  test("caches reads, and refuses what is over the per-file, byte or request caps", async () => {
    const repo = track(gitCommitSnapshot(dir, commit, limits({ maxFileBytes: 1_000, maxRequests: 3 })));
    await repo.read("src/a.ts");
    await repo.read("src/a.ts");
    expect(repo.stats()).toMatchObject({ requests: 2, filesRead: 1, refused: 0 });
    expect(await repo.read("big.txt")).toBeNull();
    expect(await repo.read("src/b.ts")).not.toBeNull();
    expect(await repo.read("ünïcode name.md")).toBeNull();
    expect(repo.stats()).toMatchObject({ requests: 3, filesRead: 2, refused: 2 });

    const small = track(gitCommitSnapshot(dir, commit, limits({ maxTotalBytes: 30 })));
    expect(await small.read("src/a.ts")).not.toBeNull();
    expect(await small.read("src/b.ts")).toBeNull();
    expect(small.stats().refused).toBe(1);
  });

  test("keeps working after close, and refuses an id that is not a full commit", async () => {
    const repo = track(gitCommitSnapshot(dir, commit, limits()));
    expect(await repo.read("src/a.ts")).not.toBeNull();
    await repo.close();
    expect(await repo.read("src/b.ts")).toBe("export const b = 2;\n");
    expect(() => gitCommitSnapshot(dir, "HEAD", limits())).toThrow(/full commit/);
    expect(() => gitCommitSnapshot(dir, "--output=/tmp/x", limits())).toThrow(/full commit/);
  });
});

describe("workingTreeSnapshot", () => {
  test("lists tracked and untracked files, not what .gitignore excludes", async () => {
    const repo = workingTreeSnapshot(dir, limits());
    const { paths } = await repo.paths();
    expect(paths).toEqual(expect.arrayContaining(["src/a.ts", "src/new.ts", ".gitignore", "line\nbreak.txt"]));
    expect(paths).not.toContain(".env");
    expect(paths).not.toContain("dist/bundle.js");
    expect(repo.commit).toBe("WORKTREE");
  });

  test("reads files on disk; ignored files, links out of the tree and hostile paths are null", async () => {
    const repo = workingTreeSnapshot(dir, limits());
    expect(await repo.read("src/a.ts")).toBe("export const a = 100;\n");
    expect(await repo.read("src/new.ts")).toBe("export const fresh = true;\n");
    expect(await repo.read("alias.ts")).toBe("export const a = 100;\n");
    expect(await repo.read("escape.txt")).toBeNull();
    expect(await repo.read(".env")).toBeNull();
    expect(await repo.read("dist/bundle.js")).toBeNull();
    expect(await repo.read("logo.png")).toBeNull();
    for (const path of HOSTILE) expect(await repo.read(path)).toBeNull();
  });

  test("refuses files over the per-file cap and reads past the request budget", async () => {
    const repo = workingTreeSnapshot(dir, limits({ maxFileBytes: 1_000, maxRequests: 2 }));
    expect(await repo.read("big.txt")).toBeNull();
    expect(await repo.read("src/a.ts")).not.toBeNull();
    expect(await repo.read("src/b.ts")).toBeNull();
    expect(repo.stats()).toMatchObject({ requests: 2, filesRead: 1, refused: 2 });
  });
});

describe("the CLI's change source", () => {
  test("a git range offers the head commit's snapshot, a working-tree review the working tree's", async () => {
    const head = await loadLocalChange(
      { kind: "git", repo: dir, base: commit, head: commit, workingTree: false },
      { cwd: dir, stdin: process.stdin },
      1_000_000,
    );
    const atHead = track(head.repository!(limits()));
    expect(atHead.commit).toBe(commit);
    expect(await atHead.read("src/a.ts")).toBe("export const a = 1;\n");

    const worktree = await loadLocalChange(
      { kind: "git", repo: dir, base: commit, head: undefined, workingTree: true },
      { cwd: dir, stdin: process.stdin },
      1_000_000,
    );
    const onDisk = track(worktree.repository!(limits()));
    expect(await onDisk.read("src/a.ts")).toBe("export const a = 100;\n");

    const patch = join(parent, "change.diff");
    await writeFile(patch, "");
    const diffInSubdir = await loadLocalChange({ kind: "diff", diff: patch, repo: join(dir, "src") }, { cwd: dir, stdin: process.stdin }, 1_000_000);
    const underRepo = track(diffInSubdir.repository!(limits()));
    expect(await underRepo.read("a.ts")).toBe("export const a = 100;\n");
    expect((await underRepo.paths()).paths).toEqual(["a.ts", "b.ts", "new.ts"]);

    const outsideGit = await loadLocalChange({ kind: "diff", diff: patch, repo: parent }, { cwd: dir, stdin: process.stdin }, 1_000_000);
    expect(outsideGit.repository).toBeNull();

    const noRepo = await loadLocalChange({ kind: "diff", diff: "-", repo: undefined }, { cwd: dir, stdin: process.stdin }, 1_000_000);
    expect(noRepo.repository).toBeNull();
  });
});

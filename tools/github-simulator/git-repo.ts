import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { buildFastImportStream, type ImportCommit } from "./fast-import.js";

/**
 * A bare git repository on disk, driven through the `git` CLI with explicit
 * arguments (execFile, never a shell) and an isolated configuration, so the
 * user's ~/.gitconfig cannot change what the simulator produces.
 */

export class GitCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(" ")} failed (${exitCode ?? "signal"}): ${stderr.trim()}`);
    this.name = "GitCommandError";
  }
}

export type GitObjectType = "blob" | "tree" | "commit" | "tag";

export interface GitPerson {
  readonly name: string;
  readonly email: string;
  readonly date: Date;
}

export interface CommitObject {
  readonly sha: string;
  readonly tree: string;
  readonly parents: readonly string[];
  readonly author: GitPerson;
  readonly committer: GitPerson;
  readonly message: string;
}

export interface TreeEntry {
  readonly mode: string;
  readonly type: GitObjectType;
  readonly sha: string;
  /** Blob size in bytes; null for trees and submodules. */
  readonly size: number | null;
  readonly path: string;
}

/** One change to a tree: a blob or subtree at `path`, or `sha: null` to delete what is there. */
export interface TreeEdit {
  readonly path: string;
  readonly mode: string;
  readonly type: GitObjectType;
  readonly sha: string | null;
}

const MAX_OUTPUT = 1024 * 1024 * 1024;

export class GitRepository {
  private constructor(readonly dir: string) {}

  static async init(dir: string, defaultBranch: string): Promise<GitRepository> {
    await runGit(process.cwd(), ["init", "--quiet", "--bare", `--initial-branch=${defaultBranch}`, "--", dir]);
    return new GitRepository(dir);
  }

  /** A fork: a bare clone whose new objects the parent can read through `objects/info/alternates`. */
  static async fork(parent: GitRepository, dir: string): Promise<GitRepository> {
    await runGit(process.cwd(), ["clone", "--quiet", "--bare", "--", parent.dir, dir]);
    await appendFile(join(parent.dir, "objects", "info", "alternates"), `${join(dir, "objects")}\n`);
    return new GitRepository(dir);
  }

  run(args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
    return runGit(this.dir, args, options);
  }

  async text(args: readonly string[], options: RunOptions = {}): Promise<string> {
    return (await this.run(args, options)).toString("utf8");
  }

  /** Appends commits to `branch` (created from `from` when new) in one fast-import run; returns their shas. */
  async importCommits(branch: string, from: string | null, commits: readonly ImportCommit[], options: { force?: boolean } = {}): Promise<string[]> {
    if (commits.length === 0) return [];
    const args = ["fast-import", "--quiet", "--done", ...(options.force ? ["--force"] : [])];
    await this.run(args, { input: buildFastImportStream(`refs/heads/${branch}`, from, commits) });
    const shas = (await this.text(["rev-list", `--max-count=${commits.length}`, "--reverse", `refs/heads/${branch}`, "--"])).split("\n").filter(Boolean);
    return shas;
  }

  async resolveCommit(ref: string): Promise<string | null> {
    return this.revParse(`${ref}^{commit}`);
  }

  async revParse(expression: string): Promise<string | null> {
    try {
      const out = await this.text(["rev-parse", "--verify", "--quiet", "--end-of-options", expression]);
      return out.trim() || null;
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode === 1) return null;
      throw error;
    }
  }

  async objectType(sha: string): Promise<GitObjectType | null> {
    if (!/^[0-9a-f]{40}$/.test(sha)) return null;
    try {
      return (await this.text(["cat-file", "-t", sha])).trim() as GitObjectType;
    } catch (error) {
      if (error instanceof GitCommandError) return null;
      throw error;
    }
  }

  async readBlob(sha: string): Promise<Buffer | null> {
    if ((await this.objectType(sha)) !== "blob") return null;
    return this.run(["cat-file", "blob", sha]);
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (await this.text(["hash-object", "-w", "--stdin"], { input: content })).trim();
  }

  async readCommit(sha: string): Promise<CommitObject | null> {
    const resolved = await this.resolveCommit(sha);
    if (!resolved) return null;
    return parseCommit(resolved, await this.text(["cat-file", "commit", resolved]));
  }

  /** Entries of a tree (a commit, branch or tree sha); `path` narrows to one entry or, ending in "/", one directory. */
  async listTree(treeish: string, options: { recursive?: boolean; path?: string } = {}): Promise<TreeEntry[]> {
    const args = ["ls-tree", "-z", "-l", "--full-tree"];
    if (options.recursive) args.push("-r", "-t");
    args.push("--end-of-options", treeish);
    if (options.path !== undefined) args.push("--", options.path);
    return parseLsTree(await this.text(args));
  }

  /** The blob at `path` in `ref`, or null when there is none (absent, a directory or a submodule). */
  async fileAt(ref: string, path: string): Promise<{ entry: TreeEntry; content: Buffer } | null> {
    const commit = await this.resolveCommit(ref);
    if (!commit || path === "") return null;
    const [entry] = await this.listTree(commit, { path });
    if (!entry || entry.type !== "blob" || entry.path !== path) return null;
    return { entry, content: await this.run(["cat-file", "blob", entry.sha]) };
  }

  /** Applies edits to `baseTree` (or an empty tree) in a private index and writes the resulting tree. */
  async writeTree(baseTree: string | null, edits: readonly TreeEdit[]): Promise<string> {
    const index = join(this.dir, `sim-index-${randomBytes(6).toString("hex")}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await this.run(baseTree ? ["read-tree", baseTree] : ["read-tree", "--empty"], { env });
      for (const edit of edits) {
        await this.removeFromIndex(edit.path, env);
        if (edit.sha === null) continue;
        // A subtree goes in entry by entry: `read-tree --prefix` would need a work tree.
        const entries = edit.type === "tree" ? (await this.listTree(edit.sha, { recursive: true })).filter((e) => e.type !== "tree") : [{ ...edit, path: "" }];
        const records = entries.map((e) => `${e.mode} ${e.sha}\t${e.path === "" ? edit.path : `${edit.path}/${e.path}`}\0`);
        if (records.length > 0) await this.run(["update-index", "-z", "--index-info"], { env, input: records.join("") });
      }
      return (await this.text(["write-tree"], { env })).trim();
    } finally {
      await rm(index, { force: true });
    }
  }

  async commitTree(input: { tree: string; parents: readonly string[]; message: string; author: GitPerson; committer: GitPerson }): Promise<string> {
    const args = ["commit-tree", input.tree];
    for (const parent of input.parents) args.push("-p", parent);
    const env = {
      GIT_AUTHOR_NAME: input.author.name,
      GIT_AUTHOR_EMAIL: input.author.email,
      GIT_AUTHOR_DATE: gitDate(input.author.date),
      GIT_COMMITTER_NAME: input.committer.name,
      GIT_COMMITTER_EMAIL: input.committer.email,
      GIT_COMMITTER_DATE: gitDate(input.committer.date),
    };
    return (await this.text(args, { env, input: input.message })).trim();
  }

  /** Moves `ref` to `sha`; with `expectedOld` the update is atomic against concurrent moves. */
  async updateRef(ref: string, sha: string, expectedOld?: string | null): Promise<void> {
    const args = ["update-ref", ref, sha];
    if (expectedOld !== undefined) args.push(expectedOld ?? "");
    await this.run(args);
  }

  async branchTip(branch: string): Promise<string | null> {
    return this.revParse(`refs/heads/${branch}^{commit}`);
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    try {
      return (await this.text(["merge-base", a, b])).trim() || null;
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode === 1) return null;
      throw error;
    }
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.run(["merge-base", "--is-ancestor", ancestor, descendant]);
      return true;
    } catch (error) {
      if (error instanceof GitCommandError && error.exitCode === 1) return false;
      throw error;
    }
  }

  /** Commits reachable from `head` but not from `base`, oldest first. */
  async commitsBetween(base: string | null, head: string): Promise<string[]> {
    const args = ["rev-list", "--reverse", head];
    if (base) args.push(`^${base}`);
    args.push("--");
    return (await this.text(args)).split("\n").filter(Boolean);
  }

  private async removeFromIndex(path: string, env: Record<string, string>): Promise<void> {
    const listed = (await this.text(["ls-files", "-z", "--cached"], { env })).split("\0").filter(Boolean);
    const doomed = listed.filter((p) => p === path || p.startsWith(`${path}/`));
    if (doomed.length === 0) return;
    // Mode 0 removes an entry; unlike --force-remove it needs no work tree (these repositories are bare).
    const zero = "0".repeat(40);
    await this.run(["update-index", "-z", "--index-info"], { env, input: doomed.map((p) => `0 ${zero}\t${p}\0`).join("") });
  }
}

interface RunOptions {
  readonly input?: Buffer | string;
  readonly env?: Readonly<Record<string, string>>;
}

function runGit(cwd: string, args: readonly string[], options: RunOptions = {}): Promise<Buffer> {
  const env = {
    PATH: process.env["PATH"] ?? "/usr/bin:/bin",
    HOME: cwd,
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    ...options.env,
  };
  return new Promise((resolve, reject) => {
    const child = execFile("git", [...args], { cwd, env, encoding: "buffer", maxBuffer: MAX_OUTPUT }, (error, stdout, stderr) => {
      if (error) reject(new GitCommandError(args, typeof error.code === "number" ? error.code : null, stderr.toString("utf8")));
      else resolve(stdout);
    });
    child.stdin?.on("error", () => {
      // EPIPE when git exits before reading its input; the exit status above carries the real error.
    });
    child.stdin?.end(options.input ?? "");
  });
}

function gitDate(date: Date): string {
  return `${Math.floor(date.getTime() / 1000)} +0000`;
}

function parseCommit(sha: string, text: string): CommitObject {
  const split = text.indexOf("\n\n");
  const headers = (split === -1 ? text : text.slice(0, split)).split("\n");
  const message = split === -1 ? "" : text.slice(split + 2);
  let tree = "";
  const parents: string[] = [];
  let author: GitPerson | null = null;
  let committer: GitPerson | null = null;
  for (const line of headers) {
    const space = line.indexOf(" ");
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === "tree") tree = value;
    else if (key === "parent") parents.push(value);
    else if (key === "author") author = parsePerson(value);
    else if (key === "committer") committer = parsePerson(value);
  }
  const unknown: GitPerson = { name: "unknown", email: "unknown", date: new Date(0) };
  return { sha, tree, parents, author: author ?? unknown, committer: committer ?? author ?? unknown, message };
}

function parsePerson(value: string): GitPerson {
  const match = /^(.*) <(.*)> (\d+) [+-]\d{4}$/.exec(value);
  if (!match) return { name: value, email: "", date: new Date(0) };
  return { name: match[1] ?? "", email: match[2] ?? "", date: new Date(Number(match[3]) * 1000) };
}

function parseLsTree(output: string): TreeEntry[] {
  return output
    .split("\0")
    .filter(Boolean)
    .map((record) => {
      const tab = record.indexOf("\t");
      const [mode = "", type = "blob", sha = "", size = "-"] = record.slice(0, tab).split(/\s+/);
      return { mode, type: type as GitObjectType, sha, size: size === "-" ? null : Number(size), path: record.slice(tab + 1) };
    });
}

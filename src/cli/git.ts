import { execFile, spawn } from "node:child_process";
import { systemErrorCode, UsageError } from "./io.js";

/**
 * The few git operations the CLI needs, each one `git` process started with
 * `execFile`/`spawn` (no shell). Options that user configuration could change
 * (prefixes, external diff drivers, colour, quoting) are pinned so the output
 * is always the plain unified diff our parser expects.
 */

export class GitError extends Error {
  constructor(
    message: string,
    readonly args: readonly string[],
    readonly stderr: string,
  ) {
    super(message);
    this.name = "GitError";
  }
}

/** Output of the small commands (refs, commit messages); diffs are streamed. The limit only guards against runaway memory. */
const MAX_OUTPUT_BYTES = 1024 * 1024 * 1024;

const PINNED_CONFIG = ["-c", "core.quotePath=false", "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", "-c", "color.ui=never"];

export async function git(dir: string, args: readonly string[]): Promise<string> {
  const full = [...PINNED_CONFIG, ...args];
  return new Promise((resolve, reject) => {
    execFile("git", full, { cwd: dir, maxBuffer: MAX_OUTPUT_BYTES, encoding: "utf8", env: gitEnv() }, (error, stdout, stderr) => {
      if (error) {
        if (systemErrorCode(error) === "ENOENT") return reject(new UsageError("git is not installed or not on PATH"));
        const detail = stderr.trim().split("\n")[0] || error.message;
        reject(new GitError(`git ${args[0] ?? ""} failed: ${detail}`, full, stderr));
      } else resolve(stdout);
    });
  });
}

/** The repository's top-level directory, or null when `dir` is not inside a git work tree. */
export async function findRepoRoot(dir: string): Promise<string | null> {
  try {
    return (await git(dir, ["rev-parse", "--show-toplevel"])).trim() || null;
  } catch (error) {
    if (error instanceof GitError) return null;
    throw error;
  }
}

/** Resolves a user-given ref to a commit id; an unknown ref is a usage error. */
export async function resolveCommit(dir: string, ref: string): Promise<string> {
  // A ref starting with "-" would be read as an option by git.
  if (ref.startsWith("-") || ref.trim() === "") throw new UsageError(`invalid git ref "${ref}"`);
  try {
    return (await git(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])).trim();
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(`unknown git ref "${ref}" in ${dir}`, { cause: error });
    throw error;
  }
}

/** `origin/HEAD`'s target, else `main`, else `master`: the branch a pull request would target. */
export async function findDefaultBranch(dir: string): Promise<string | null> {
  try {
    const target = (await git(dir, ["symbolic-ref", "--quiet", "refs/remotes/origin/HEAD"])).trim();
    if (target.startsWith("refs/remotes/")) return target.slice("refs/remotes/".length);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
  }
  for (const candidate of ["main", "master"]) {
    try {
      await git(dir, ["rev-parse", "--verify", "--quiet", `refs/heads/${candidate}^{commit}`]);
      return candidate;
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
    }
  }
  return null;
}

export async function mergeBase(dir: string, a: string, b: string): Promise<string> {
  try {
    return (await git(dir, ["merge-base", a, b])).trim();
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(`${a.slice(0, 12)} and ${b.slice(0, 12)} have no common ancestor`, { cause: error });
    throw error;
  }
}

/**
 * Unified diff (3 lines of context, renames detected) from `base` to `head`, or
 * to the working tree when `head` is null, as git writes it: a diff can be far
 * larger than what a review holds, so it is streamed, never buffered.
 */
export async function* diffStream(dir: string, base: string, head: string | null): AsyncGenerator<Buffer> {
  const args = ["diff", "--no-ext-diff", "--no-color", "--no-relative", "--no-textconv", "-M", "--unified=3", "--src-prefix=a/", "--dst-prefix=b/", base];
  if (head !== null) args.push(head);
  const full = [...PINNED_CONFIG, ...args, "--"];
  const child = spawn("git", full, { cwd: dir, env: gitEnv(), stdio: ["ignore", "pipe", "pipe"] });
  const errors: Buffer[] = [];
  child.stderr.on("data", (c: Buffer) => errors.push(c));
  const closed = new Promise<{ code: number | null; error: Error | null }>((resolve) => {
    child.once("error", (error) => resolve({ code: null, error }));
    child.once("close", (code) => resolve({ code, error: null }));
  });
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
  } finally {
    // The reader stopped early (an error downstream): git must not keep running.
    if (child.exitCode === null) child.kill();
  }
  const { code, error } = await closed;
  if (error) throw systemErrorCode(error) === "ENOENT" ? new UsageError("git is not installed or not on PATH") : error;
  if (code !== 0) {
    const stderr = Buffer.concat(errors).toString("utf8");
    throw new GitError(`git diff failed: ${stderr.trim().split("\n")[0] || `exit code ${code}`}`, full, stderr);
  }
}

/** Full commit messages of base..head, oldest first: the local stand-in for a PR description. */
export async function commitMessages(dir: string, base: string, head: string): Promise<string[]> {
  const out = await git(dir, ["log", "--reverse", "--format=%B%x00", `${base}..${head}`]);
  return out
    .split("\0")
    .map((m) => m.trim())
    .filter((m) => m !== "");
}

/**
 * Reads many files at one commit through a single `git cat-file --batch`
 * process (one process per file is slow on large changes); null where the
 * path is not a file at that commit.
 */
export async function readBlobs(dir: string, commit: string, paths: readonly string[]): Promise<Map<string, Buffer | null>> {
  const results = new Map<string, Buffer | null>();
  // The batch protocol is line-based; a path with a newline cannot be asked for.
  const askable = paths.filter((p) => !p.includes("\n"));
  for (const p of paths) if (p.includes("\n")) results.set(p, null);
  if (askable.length === 0) return results;

  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn("git", [...PINNED_CONFIG, "cat-file", "--batch"], { cwd: dir, env: gitEnv(), stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => errors.push(c));
    child.on("error", (error) => reject(systemErrorCode(error) === "ENOENT" ? new UsageError("git is not installed or not on PATH") : error));
    child.on("close", (code) => {
      const stderr = Buffer.concat(errors).toString("utf8");
      if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new GitError(`git cat-file failed: ${stderr.trim() || `exit code ${code}`}`, ["cat-file", "--batch"], stderr));
    });
    child.stdin.on("error", reject);
    child.stdin.end(askable.map((p) => `${commit}:${p}\n`).join(""));
  });

  let offset = 0;
  for (const path of askable) {
    const eol = output.indexOf(0x0a, offset);
    if (eol === -1) throw new GitError(`git cat-file: output ended before ${path}`, ["cat-file", "--batch"], "");
    const header = output.subarray(offset, eol).toString("utf8");
    offset = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      results.set(path, null);
      continue;
    }
    const size = Number(m[2]);
    const content = output.subarray(offset, offset + size);
    offset += size + 1;
    results.set(path, m[1] === "blob" ? content : null);
  }
  return results;
}

/** Git must answer for the given directory, not for a repository an outer process pointed it to. */
function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS"]) delete env[key];
  return { ...env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
}

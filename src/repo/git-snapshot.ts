import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { constants } from "node:fs";
import { open, realpath } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { RepositoryAccessStats, RepositoryLimits, RepositoryListing, RepositorySnapshot } from "../domain/repository.js";
import { decodeText, isRepositoryPath } from "./repository-path.js";

/**
 * A local repository as a snapshot, for the CLI: at a commit from git's
 * objects (`git ls-tree`, then one long-lived `git cat-file --batch` for every
 * read), or the working tree (`git ls-files`: tracked and untracked files
 * that .gitignore does not exclude). Git is started with explicit arguments,
 * never a shell; its output is NUL-separated, and every path it lists is the
 * repository's (untrusted): a path that is not a plain relative path is
 * dropped, and in the working tree a file is read only if it is listed and
 * its real location (symlinks resolved) is inside the repository.
 *
 * Each object read, file read and listing counts as one request, so
 * `maxRequests` bounds a local job as it does a GitHub one.
 */

export class GitSnapshotError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
    this.name = "GitSnapshotError";
  }
}

export interface LocalSnapshot extends RepositorySnapshot {
  /** Stops the `git cat-file` process, if one runs; reads after it start a new one. */
  close(): Promise<void>;
}

/** A listing larger than this (NUL-separated paths) is cut short and marked truncated. */
const MAX_LISTING_BYTES = 64 * 1024 * 1024;
const REGULAR_FILE = new Set(["100644", "100755"]);

interface Blob {
  readonly sha: string;
  readonly size: number;
}

export function gitCommitSnapshot(root: string, commit: string, limits: RepositoryLimits): LocalSnapshot {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) throw new GitSnapshotError(`not a full commit id: ${commit}`, "");
  const counter = new Counter(limits);
  let listing: Promise<{ blobs: Map<string, Blob>; listing: RepositoryListing }> | null = null;
  const reads = new Map<string, Promise<string | null>>();
  let batch: CatFileBatch | null = null;

  const list = () => {
    listing ??= (async () => {
      counter.requests++;
      const { records, truncated } = await gitRecords(root, ["ls-tree", "-r", "-z", "-l", "--full-tree", commit]);
      const blobs = new Map<string, Blob>();
      for (const record of records) {
        const tab = record.indexOf("\t");
        const [mode = "", type = "", sha = "", size = ""] = record.slice(0, tab).split(/ +/);
        const path = record.slice(tab + 1);
        if (tab === -1 || type !== "blob" || !REGULAR_FILE.has(mode) || !isRepositoryPath(path) || !/^\d+$/.test(size)) continue;
        blobs.set(path, { sha, size: Number(size) });
      }
      return { blobs, listing: { paths: [...blobs.keys()].sort(), truncated } };
    })();
    return listing;
  };

  const load = async (path: string): Promise<string | null> => {
    const blob = (await list()).blobs.get(path);
    if (!blob) return null;
    if (!counter.allows(blob.size)) return counter.refuse();
    counter.requests++;
    // A reader that died (killed, or git failed) is replaced; what it was reading failed with it.
    if (!batch || batch.failed) batch = new CatFileBatch(root);
    const bytes = await batch.read(blob.sha, blob.size);
    counter.fetched(bytes?.length ?? 0);
    return bytes === null ? null : decodeText(bytes);
  };

  return {
    commit,
    paths: async (signal) => {
      signal?.throwIfAborted();
      return (await list()).listing;
    },
    read: (path, signal) => {
      signal?.throwIfAborted();
      if (!isRepositoryPath(path)) return Promise.resolve(null);
      return cached(reads, path, () => load(path));
    },
    stats: () => counter.stats(),
    close: async () => {
      const running = batch;
      batch = null;
      await running?.close();
    },
  };
}

/** The files under `root` (the repository's top level, or a directory in it: paths are relative to it). */
export function workingTreeSnapshot(root: string, limits: RepositoryLimits): LocalSnapshot {
  const counter = new Counter(limits);
  let listing: Promise<{ listed: Set<string>; listing: RepositoryListing; realRoot: string }> | null = null;
  const reads = new Map<string, Promise<string | null>>();

  const list = () => {
    listing ??= (async () => {
      counter.requests++;
      const realRoot = await realpath(root);
      const { records, truncated } = await gitRecords(realRoot, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]);
      const listed = new Set(records.filter(isRepositoryPath));
      return { listed, realRoot, listing: { paths: [...listed].sort(), truncated } };
    })();
    return listing;
  };

  const load = async (path: string): Promise<string | null> => {
    const { listed, realRoot } = await list();
    // What .gitignore excludes (a .env, build output) is never read, even when asked for by name.
    if (!listed.has(path)) return null;
    let real: string;
    try {
      real = await realpath(resolve(realRoot, path));
    } catch {
      return null; // deleted since it was listed, or a dangling link
    }
    if (!isInside(realRoot, real) || isInside(resolve(realRoot, ".git"), real) || real === resolve(realRoot, ".git")) return null;
    if (!counter.allows(0)) return counter.refuse();
    const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => null);
    if (!handle) return null;
    try {
      const info = await handle.stat();
      if (!info.isFile()) return null;
      if (info.size > limits.maxFileBytes || !counter.allows(info.size)) return counter.refuse();
      counter.requests++;
      // Read at most one byte past the cap: a file that grew since stat is still bounded.
      const buffer = Buffer.alloc(Math.min(info.size, limits.maxFileBytes) + 1);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      if (bytesRead > limits.maxFileBytes) return counter.refuse();
      counter.fetched(bytesRead);
      return decodeText(buffer.subarray(0, bytesRead));
    } finally {
      await handle.close();
    }
  };

  return {
    commit: "WORKTREE",
    paths: async (signal) => {
      signal?.throwIfAborted();
      return (await list()).listing;
    },
    read: (path, signal) => {
      signal?.throwIfAborted();
      if (!isRepositoryPath(path)) return Promise.resolve(null);
      return cached(reads, path, () => load(path));
    },
    stats: () => counter.stats(),
    close: async () => undefined,
  };
}

function cached(reads: Map<string, Promise<string | null>>, path: string, load: () => Promise<string | null>): Promise<string | null> {
  let pending = reads.get(path);
  if (!pending) {
    pending = load();
    reads.set(path, pending);
    pending.catch(() => reads.delete(path));
  }
  return pending;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

class Counter {
  requests = 0;
  private bytesFetched = 0;
  private filesRead = 0;
  private refused = 0;

  constructor(private readonly limits: RepositoryLimits) {}

  /** Whether one more read of `size` bytes fits; takes the request from the budget when the caller goes on. */
  allows(size: number): boolean {
    return size <= this.limits.maxFileBytes && this.bytesFetched + size <= this.limits.maxTotalBytes && this.requests < this.limits.maxRequests;
  }

  fetched(bytes: number): void {
    this.bytesFetched += bytes;
    this.filesRead++;
  }

  refuse(): null {
    this.refused++;
    return null;
  }

  stats(): RepositoryAccessStats {
    return { requests: this.requests, bytesFetched: this.bytesFetched, filesRead: this.filesRead, refused: this.refused };
  }
}

/** Git must answer for the given directory, with its output unchanged by user configuration. */
function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES"]) delete env[key];
  return { ...env, GIT_TERMINAL_PROMPT: "0", LC_ALL: "C" };
}

const PINNED_CONFIG = ["-c", "core.quotePath=false"];

function startGit(root: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  return spawn("git", [...PINNED_CONFIG, ...args], { cwd: root, env: gitEnv(), stdio: ["pipe", "pipe", "pipe"] });
}

/** NUL-separated records of one git command, at most MAX_LISTING_BYTES of them. */
async function gitRecords(root: string, args: readonly string[]): Promise<{ records: string[]; truncated: boolean }> {
  const child = startGit(root, args);
  child.stdin.end();
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  let size = 0;
  let truncated = false;
  child.stderr.on("data", (c: Buffer) => errors.push(c));
  const closed = new Promise<{ code: number | null; error: Error | null }>((done) => {
    child.once("error", (error) => done({ code: null, error }));
    child.once("close", (code) => done({ code, error: null }));
  });
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_LISTING_BYTES) {
      truncated = true;
      chunks.push(chunk.subarray(0, chunk.length - (size - MAX_LISTING_BYTES)));
      child.kill();
      break;
    }
    chunks.push(chunk);
  }
  const { code, error } = await closed;
  if (error) throw new GitSnapshotError(`git could not be started: ${error.message}`, "", { cause: error });
  const stderr = Buffer.concat(errors).toString("utf8");
  if (!truncated && code !== 0) throw new GitSnapshotError(`git ${args[0] ?? ""} failed: ${stderr.trim().split("\n")[0] || `exit code ${code}`}`, stderr);
  const records = Buffer.concat(chunks).toString("utf8").split("\0");
  // The last record is empty (a complete listing ends with NUL) or cut short (a truncated one): never a path.
  records.pop();
  return { records, truncated };
}

/**
 * One `git cat-file --batch` process answering object reads in order. Only
 * blobs whose size the listing gave are asked for, so every answer is bounded.
 */
class CatFileBatch {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { expected: number; resolve: (bytes: Buffer | null) => void; reject: (error: Error) => void }[] = [];
  private buffered: Buffer[] = [];
  private failure: Error | null = null;
  private readonly errors: Buffer[] = [];

  constructor(root: string) {
    this.child = startGit(root, ["cat-file", "--batch"]);
    this.child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on("data", (chunk: Buffer) => this.errors.push(chunk));
    this.child.stdin.on("error", (error) => this.fail(error));
    this.child.once("error", (error) => this.fail(error));
    this.child.once("close", (code) =>
      this.fail(new GitSnapshotError(`git cat-file exited (${code ?? "signal"})`, Buffer.concat(this.errors).toString("utf8"))),
    );
    this.hold(false);
  }

  /** Keeps the process (and so Node) alive only while reads wait: an idle reader must not keep the CLI running. */
  private hold(waiting: boolean): void {
    if (waiting) this.child.ref();
    else this.child.unref();
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      const handle = stream as unknown as { ref?: () => void; unref?: () => void };
      if (waiting) handle.ref?.();
      else handle.unref?.();
    }
  }

  get failed(): boolean {
    return this.failure !== null;
  }

  read(sha: string, expected: number): Promise<Buffer | null> {
    if (this.failure) return Promise.reject(this.failure);
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      if (this.waiting.length === 0) this.hold(true);
      this.waiting.push({ expected, resolve, reject });
      this.child.stdin.write(`${sha}\n`);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((done) => this.child.once("close", () => done()));
    // Held while it exits: an unreferenced process would leave nothing for Node to wait on, and the await would never end.
    this.hold(true);
    this.child.stdin.end();
    await exited;
  }

  private receive(chunk: Buffer): void {
    this.buffered.push(chunk);
    for (;;) {
      const next = this.waiting[0];
      if (!next) return this.hold(false);
      const all = this.buffered.length === 1 ? this.buffered[0]! : Buffer.concat(this.buffered);
      this.buffered = [all];
      const eol = all.indexOf(0x0a);
      if (eol === -1) return;
      const header = all.subarray(0, eol).toString("latin1");
      const found = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
      if (!found) {
        // "<sha> missing" (or ambiguous): no content follows.
        this.take(eol + 1);
        this.waiting.shift();
        next.resolve(null);
        continue;
      }
      const size = Number(found[2]);
      if (size > next.expected) {
        this.fail(new GitSnapshotError(`git cat-file answered ${size} bytes where ${next.expected} were listed`, ""));
        return;
      }
      if (all.length < eol + 1 + size + 1) return;
      const content = Buffer.from(all.subarray(eol + 1, eol + 1 + size));
      this.take(eol + 1 + size + 1);
      this.waiting.shift();
      next.resolve(found[1] === "blob" ? content : null);
    }
  }

  private take(n: number): void {
    const all = this.buffered[0]!;
    this.buffered = all.length > n ? [all.subarray(n)] : [];
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

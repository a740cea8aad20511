import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream } from "node:stream/web";
import { createGunzip } from "node:zlib";
import type { Logger } from "pino";
import { decodeText, isRepositoryPath } from "../repo/repository-path.js";
import type { RepositoryAccessStats, RepositoryLimits, RepositoryListing, RepositorySnapshot } from "../domain/repository.js";
import type { GitHub, PullRef } from "./client.js";
import { statusOf, toGitHubError } from "./errors.js";
import { GitTreeSchema, type GitTreeEntry } from "./git-schemas.js";
import { BlobSchema } from "./schemas.js";
import { MAX_BATCHED_BLOBS, readBlobsBatched } from "./blob-batch.js";
import { tarFiles } from "./tar-entries.js";
import { mapConcurrent } from "../util/map-concurrent.js";

/**
 * The repository at one commit, read lazily through GitHub for one job: the
 * listing from one recursive Git Trees request, files from the Blobs API, or,
 * once a job reads many files, every file at once from the commit's tarball
 * (docs/decisions/0005-repository-access.md has the measurements). Each read
 * is cached for the snapshot's life; the limits bound requests, bytes and
 * file sizes, and a read a limit stops is null and counted as `refused`.
 */

type Repo = Pick<PullRef, "owner" | "repo">;

/**
 * "blobs": one Blobs request per file. "tarball": the whole commit in one
 * archive on the first read. "auto" (default): blobs, then the archive once
 * `tarballAfterReads` files were read and the listing says it fits the budget.
 */
export type RepositoryStrategy = "blobs" | "tarball" | "auto";

export interface GitHubSnapshotOptions {
  readonly limits: RepositoryLimits;
  readonly strategy?: RepositoryStrategy;
  readonly tarballAfterReads?: number;
  readonly log?: Logger;
}

/** Where "auto" moves from blobs to the archive (decision 0005: the archive is cheaper past this many reads). */
export const DEFAULT_TARBALL_AFTER_READS = 20;

const REGULAR_FILE = new Set(["100644", "100755"]);
/** Tar headers and padding per file, on top of the files' bytes, when bounding a decompressed archive. */
const TAR_OVERHEAD_PER_ENTRY = 2 * 512;

interface Listing {
  readonly entries: ReadonlyMap<string, GitTreeEntry>;
  readonly paths: readonly string[];
  readonly truncated: boolean;
  /** The tree's root (the commit's tree), for walking a truncated listing. */
  readonly rootSha: string;
}

/** A file at the snapshot's commit whose blob id is already known (a pull request's file list names it). */
export interface KnownFile {
  readonly path: string;
  readonly sha: string;
}

/**
 * Reads many files of the commit at once: the change set's head contents go
 * through the same snapshot as the impact context and the model's tools, so
 * each file is fetched once per job and a large pull request costs the
 * archive's requests, not one per file.
 */
export interface KnownFileReader {
  /**
   * The texts of `files` (null: binary, over the per-file cap, or gone): from
   * the commit's archive when there are `tarballAfterReads` of them or more and
   * the repository fits the byte budget, else one Blobs request each
   * (`concurrency` in flight). Cached with the snapshot's other reads.
   */
  readKnown(files: readonly KnownFile[], concurrency: number, signal?: AbortSignal): Promise<Map<string, string | null>>;
}

export function isKnownFileReader(snapshot: RepositorySnapshot): snapshot is RepositorySnapshot & KnownFileReader {
  return typeof (snapshot as Partial<KnownFileReader>).readKnown === "function";
}

export function gitHubRepositorySnapshot(gh: GitHub, repo: Repo, commit: string, options: GitHubSnapshotOptions): RepositorySnapshot & KnownFileReader {
  return new GitHubRepositorySnapshot(gh, repo, commit, options);
}

class GitHubRepositorySnapshot implements RepositorySnapshot, KnownFileReader {
  private listing: Promise<Listing> | null = null;
  private readonly reads = new Map<string, Promise<string | null>>();
  private readonly blobs = new Map<string, Promise<Buffer | null | undefined>>();
  private readonly subtrees = new Map<string, Promise<Map<string, GitTreeEntry> | null>>();
  /** Files of the archive once it was fetched; null when it was not, or could not be, used. */
  private archive: Promise<Map<string, Buffer> | null> | null = null;
  private requests = 0;
  private bytesFetched = 0;
  private filesRead = 0;
  private refused = 0;
  private blobReads = 0;
  private readonly limits: RepositoryLimits;
  private readonly strategy: RepositoryStrategy;
  private readonly tarballAfterReads: number;

  constructor(
    private readonly gh: GitHub,
    private readonly repo: Repo,
    readonly commit: string,
    private readonly options: GitHubSnapshotOptions,
  ) {
    this.limits = options.limits;
    this.strategy = options.strategy ?? "auto";
    this.tarballAfterReads = options.tarballAfterReads ?? DEFAULT_TARBALL_AFTER_READS;
  }

  async paths(signal?: AbortSignal): Promise<RepositoryListing> {
    const listing = await this.list(signal);
    return { paths: listing.paths, truncated: listing.truncated };
  }

  read(path: string, signal?: AbortSignal): Promise<string | null> {
    if (!isRepositoryPath(path)) return Promise.resolve(null);
    let pending = this.reads.get(path);
    if (!pending) {
      pending = this.load(path, signal);
      this.reads.set(path, pending);
      // A failed read (GitHub down, an abort) may succeed later; a null answer is final.
      pending.catch(() => this.reads.delete(path));
    }
    return pending;
  }

  async readKnown(files: readonly KnownFile[], concurrency: number, signal?: AbortSignal): Promise<Map<string, string | null>> {
    const texts = new Map<string, string | null>();
    // Each text is also what a later `read` of the path answers.
    const keep = (path: string, text: string | null): void => {
      texts.set(path, text);
      if (!this.reads.has(path)) this.reads.set(path, Promise.resolve(text));
    };
    const wanted = files.filter((f) => isRepositoryPath(f.path));
    if (this.strategy !== "blobs" && wanted.length > 0 && wanted.length >= this.tarballAfterReads) {
      const listing = await this.list(signal).catch((error: unknown) => {
        if (signal?.aborted) throw error;
        // The listing is needed only for the archive: without it, files are read one by one.
        this.options.log?.warn({ err: error, repo: `${this.repo.owner}/${this.repo.repo}` }, "repository listing unavailable; reading files one by one");
        return null;
      });
      const archive = !listing || listing.truncated ? null : await this.fetchArchive(listing, signal);
      for (const file of archive ? wanted : []) {
        const entry = listing?.entries.get(file.path);
        // The listing is the archive's table of contents: a listed file it lacks was over the per-file cap.
        if (!entry || entry.type !== "blob") continue;
        const bytes = archive?.get(file.path);
        const text = bytes ? decodeText(bytes) : null;
        if (bytes) this.filesRead++;
        else this.refused++;
        keep(file.path, text);
      }
    }
    const batched = await this.readBatched(
      wanted.filter((f) => !texts.has(f.path)),
      signal,
    );
    for (const [path, text] of batched) keep(path, text);
    const rest = wanted.filter((f) => !texts.has(f.path));
    const read = await mapConcurrent(
      rest,
      concurrency,
      async (file) => this.settle(await this.blob({ path: file.path, sha: file.sha, type: "blob", mode: "100644" }, signal)),
      signal,
    );
    rest.forEach((file, i) => keep(file.path, read[i] ?? null));
    return texts;
  }

  /**
   * A few files (a small change: fewer than the archive's threshold) in one GraphQL request instead of one
   * Blobs request each; the texts it settles, by path. A blob GraphQL did not return whole is left to the
   * Blobs API, and so is everything when the query fails.
   */
  private async readBatched(files: readonly KnownFile[], signal: AbortSignal | undefined): Promise<Map<string, string | null>> {
    const settled = new Map<string, string | null>();
    const fresh = files.filter((f) => !this.blobs.has(f.sha));
    if (this.strategy !== "auto" || fresh.length < 2 || fresh.length > MAX_BATCHED_BLOBS || !this.spend()) return settled;
    const bytesBySha = await readBlobsBatched(
      this.gh,
      this.repo,
      fresh.map((f) => f.sha),
      signal,
    ).catch((error: unknown) => {
      if (signal?.aborted) throw error;
      this.options.log?.warn({ err: error, repo: `${this.repo.owner}/${this.repo.repo}` }, "batched blob read failed; reading files one by one");
      return new Map<string, Buffer | null>();
    });
    for (const file of fresh) {
      const bytes = bytesBySha.get(file.sha);
      if (!bytes) continue;
      // As a Blobs read: counted against the budgets, cached by id, refused over the per-file cap.
      const known = this.blobs.get(file.sha);
      if (!known) {
        if (this.bytesFetched > this.limits.maxTotalBytes) {
          settled.set(file.path, this.refuse());
          continue;
        }
        this.bytesFetched += bytes.length;
        this.blobReads++;
        this.blobs.set(file.sha, Promise.resolve(bytes.length > this.limits.maxFileBytes ? undefined : bytes));
      }
      settled.set(file.path, this.settle(await this.blobs.get(file.sha)));
    }
    return settled;
  }

  stats(): RepositoryAccessStats {
    return { requests: this.requests, bytesFetched: this.bytesFetched, filesRead: this.filesRead, refused: this.refused };
  }

  private async load(path: string, signal: AbortSignal | undefined): Promise<string | null> {
    const listing = await this.list(signal);
    const entry = listing.entries.get(path) ?? (listing.truncated ? await this.walk(listing.rootSha, path, signal) : null);
    if (entry === undefined) return this.refuse();
    if (!entry || entry.type !== "blob" || !REGULAR_FILE.has(entry.mode)) return null;
    if (entry.size !== undefined && entry.size > this.limits.maxFileBytes) return this.refuse();

    if (this.wantsArchive(listing)) {
      const files = await this.fetchArchive(listing, signal);
      const bytes = files?.get(path);
      if (bytes) {
        this.filesRead++;
        return decodeText(bytes);
      }
    }
    return this.settle(await this.blob(entry, signal));
  }

  /** A blob read as text: refused by a limit (undefined), absent (null), or read. */
  private settle(bytes: Buffer | null | undefined): string | null {
    if (bytes === undefined) return this.refuse();
    if (bytes === null) return null;
    this.filesRead++;
    return decodeText(bytes);
  }

  private refuse(): null {
    this.refused++;
    return null;
  }

  /** Takes one request from the budget; false when none is left. */
  private spend(): boolean {
    if (this.requests >= this.limits.maxRequests) return false;
    this.requests++;
    return true;
  }

  private list(signal: AbortSignal | undefined): Promise<Listing> {
    if (!this.listing) {
      const listing = this.fetchListing(signal);
      this.listing = listing;
      listing.catch(() => {
        if (this.listing === listing) this.listing = null;
      });
    }
    return this.listing;
  }

  private async fetchListing(signal: AbortSignal | undefined): Promise<Listing> {
    // The listing is what every read needs: it is taken even from a spent budget, and counted.
    this.requests++;
    // GitHub resolves a commit to its tree here, which saves reading the commit first.
    const data = await this.call(() =>
      this.gh.rest.git.getTree({ owner: this.repo.owner, repo: this.repo.repo, tree_sha: this.commit, recursive: "true", request: { signal } }),
    );
    const tree = GitTreeSchema.parse(data);
    const entries = new Map<string, GitTreeEntry>();
    const paths: string[] = [];
    for (const entry of tree.tree) {
      if (!isRepositoryPath(entry.path)) continue;
      entries.set(entry.path, entry);
      if (entry.type === "blob" && REGULAR_FILE.has(entry.mode)) paths.push(entry.path);
    }
    paths.sort();
    const truncated = tree.truncated === true;
    if (truncated) this.options.log?.info({ repo: `${this.repo.owner}/${this.repo.repo}`, listed: paths.length }, "repository listing truncated by GitHub");
    return { entries, paths, truncated, rootSha: tree.sha };
  }

  /** The entry at `path` one directory at a time, when the recursive listing was truncated before it; undefined when the budget ran out. */
  private async walk(rootSha: string, path: string, signal: AbortSignal | undefined): Promise<GitTreeEntry | null | undefined> {
    const parts = path.split("/");
    let treeSha = rootSha;
    for (const [i, part] of parts.entries()) {
      const children = await this.subtree(treeSha, signal);
      if (children === null) return undefined;
      const entry = children.get(part);
      if (!entry) return null;
      if (i === parts.length - 1) return { ...entry, path };
      if (entry.type !== "tree") return null;
      treeSha = entry.sha;
    }
    return null;
  }

  /** One tree's entries by name; null when the request budget is spent. */
  private subtree(sha: string, signal: AbortSignal | undefined): Promise<Map<string, GitTreeEntry> | null> {
    let pending = this.subtrees.get(sha);
    if (!pending) {
      pending = (async () => {
        if (!this.spend()) return null;
        const data = await this.call(() => this.gh.rest.git.getTree({ owner: this.repo.owner, repo: this.repo.repo, tree_sha: sha, request: { signal } }));
        return new Map(GitTreeSchema.parse(data).tree.map((e) => [e.path, e]));
      })();
      this.subtrees.set(sha, pending);
      pending.catch(() => this.subtrees.delete(sha));
    }
    return pending;
  }

  /** The blob's bytes; null when GitHub has none; undefined when a limit refused it. */
  private async blob(entry: GitTreeEntry, signal: AbortSignal | undefined): Promise<Buffer | null | undefined> {
    const cached = this.blobs.get(entry.sha);
    if (cached) return cached;
    const listed = entry.size ?? 0;
    if (this.bytesFetched + listed > this.limits.maxTotalBytes || !this.spend()) return undefined;
    // Reserved now, so reads in flight together cannot overrun the byte budget; settled with the real size.
    this.bytesFetched += listed;
    const pending = (async () => {
      let bytes: Buffer;
      try {
        const data = await this.call(() =>
          this.gh.rest.git.getBlob({ owner: this.repo.owner, repo: this.repo.repo, file_sha: entry.sha, request: { signal } }),
        );
        const blob = BlobSchema.parse(data);
        bytes = Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8");
      } catch (error) {
        this.bytesFetched -= listed;
        if (statusOf(error) === 404) return null;
        throw error;
      }
      this.bytesFetched += bytes.length - listed;
      this.blobReads++;
      // The listing's size is GitHub's word; the content is what counts.
      if (bytes.length > this.limits.maxFileBytes) return undefined;
      return bytes;
    })();
    this.blobs.set(entry.sha, pending);
    pending.catch(() => this.blobs.delete(entry.sha));
    return pending;
  }

  private wantsArchive(listing: Listing): boolean {
    if (this.strategy === "blobs" || listing.truncated) return false;
    if (this.archive) return true;
    return this.strategy === "tarball" || this.blobReads >= this.tarballAfterReads;
  }

  private fetchArchive(listing: Listing, signal: AbortSignal | undefined): Promise<Map<string, Buffer> | null> {
    if (!this.archive) {
      const archive = this.downloadArchive(listing, signal).catch((error: unknown) => {
        // The caller gave up: a later read may still use the archive.
        if (signal?.aborted) {
          if (this.archive === archive) this.archive = null;
          throw error;
        }
        // Otherwise the archive is an optimisation lost for this job: reads go on file by file.
        this.options.log?.warn({ err: error, repo: `${this.repo.owner}/${this.repo.repo}` }, "repository archive unusable; reading files one by one");
        return null;
      });
      this.archive = archive;
    }
    return this.archive;
  }

  private async downloadArchive(listing: Listing, signal: AbortSignal | undefined): Promise<Map<string, Buffer> | null> {
    let expanded = 0;
    for (const entry of listing.entries.values()) if (entry.type === "blob") expanded += (entry.size ?? 0) + TAR_OVERHEAD_PER_ENTRY;
    const remaining = this.limits.maxTotalBytes - this.bytesFetched;
    // Compressed, the archive is smaller than its files; a repository whose files exceed what is left is read file by file.
    if (expanded > remaining || !this.spend()) return null;
    const { data } = await this.callResponse(() =>
      this.gh.rest.repos.downloadTarballArchive({
        owner: this.repo.owner,
        repo: this.repo.repo,
        ref: this.commit,
        request: { signal, parseSuccessResponseBody: false },
      }),
    );
    if (!(data instanceof globalThis.ReadableStream)) throw new Error("the archive response has no body stream");
    const files = new Map<string, Buffer>();
    const compressedCap = remaining;
    const decompressedCap = expanded + 1024 * 1024;
    let decompressed = 0;
    const limits = this.limits;
    const onBytes = (n: number): number => (this.bytesFetched += n);
    const count = async function* (source: AsyncIterable<Buffer>) {
      let received = 0;
      for await (const chunk of source) {
        received += chunk.length;
        if (onBytes(chunk.length) > limits.maxTotalBytes || received > compressedCap) throw new Error("the archive is over the byte budget");
        yield chunk;
      }
    };
    const bound = async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        decompressed += chunk.length;
        if (decompressed > decompressedCap) throw new Error("the archive expands past its listed size");
        yield chunk;
      }
    };
    const wanted = (archived: string, size: number): string | null => {
      const path = withoutTopDirectory(archived);
      if (path === null || size > this.limits.maxFileBytes) return null;
      const entry = listing.entries.get(path);
      return entry && entry.type === "blob" && REGULAR_FILE.has(entry.mode) ? path : null;
    };
    await pipeline(
      Readable.fromWeb(data as ReadableStream<Uint8Array>),
      count,
      createGunzip(),
      bound,
      async (source: AsyncIterable<Buffer>) => {
        for await (const file of tarFiles(source, { wanted: (p, size) => wanted(p, size) !== null })) {
          const path = wanted(file.path, file.content.length);
          if (path !== null) files.set(path, Buffer.from(file.content));
        }
      },
      { signal },
    );
    this.options.log?.debug({ repo: `${this.repo.owner}/${this.repo.repo}`, files: files.size, bytes: this.bytesFetched }, "repository archive read");
    return files;
  }

  private async call<T>(request: () => Promise<{ data: T }>): Promise<T> {
    return (await this.callResponse(request)).data;
  }

  /** GitHub's failures leave as GitHubErrors, whichever Octokit made the request. */
  private async callResponse<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw toGitHubError(error);
    }
  }
}

/** GitHub's archives hold the commit under one `owner-repo-sha/` directory. */
function withoutTopDirectory(path: string): string | null {
  const slash = path.indexOf("/");
  if (slash === -1) return null;
  const rest = path.slice(slash + 1);
  return isRepositoryPath(rest) ? rest : null;
}

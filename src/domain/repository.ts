/**
 * Repository: read-only access to the whole repository at one commit (the
 * pull request's head, or a local working tree), beyond the changed files.
 * One interface for the app (fetched lazily through GitHub, cached per job),
 * the CLI (git objects / the working tree) and tests (in memory). Everything
 * a snapshot returns is the pull request's code: untrusted, and redacted
 * before any model sees it (repo/redacted-snapshot.ts).
 *
 * The search, read-range and symbol tools the reviewer and the impact context
 * use are built over this in `repo/`, so each implementation only lists and
 * reads files.
 */

export interface RepositorySnapshot {
  /** The commit the snapshot reads (a sha), or "WORKTREE" for a local working tree. */
  readonly commit: string;
  /** Every text-candidate file path at the commit, sorted; `truncated` when the listing hit a limit. */
  paths(signal?: AbortSignal): Promise<RepositoryListing>;
  /**
   * A file's text, or null when there is none at the commit, it is binary, or
   * it is over the per-file byte cap. Repeated reads are served from cache.
   */
  read(path: string, signal?: AbortSignal): Promise<string | null>;
  /** What the snapshot has cost so far (requests to the host, bytes fetched, files read). */
  stats(): RepositoryAccessStats;
}

export interface RepositoryListing {
  readonly paths: readonly string[];
  /** True when the host's listing was incomplete (GitHub's truncated tree, a file cap): searches say so. */
  readonly truncated: boolean;
}

export interface RepositoryAccessStats {
  /** Requests made to the host (GitHub API calls, git processes). */
  readonly requests: number;
  readonly bytesFetched: number;
  readonly filesRead: number;
  /** Reads refused by a cap (bytes, requests, files). */
  readonly refused: number;
}

export interface RepositoryLimits {
  /** Largest file read, in bytes (larger files read as null). */
  readonly maxFileBytes: number;
  /** Total bytes fetched per snapshot (per job). */
  readonly maxTotalBytes: number;
  /** Requests to the host per snapshot (per job). */
  readonly maxRequests: number;
}

export const DEFAULT_REPOSITORY_LIMITS: RepositoryLimits = { maxFileBytes: 512 * 1024, maxTotalBytes: 64 * 1024 * 1024, maxRequests: 400 };

import type { TokenStore } from "./auth.js";
import type { OpenApiValidator } from "./openapi-validator.js";
import type { DiffCache } from "./pr-diff.js";
import type { Urls } from "./render/urls.js";
import type { AppRecord, SimState } from "./state.js";
import type { PullEvents } from "./pull-events.js";
import type { Violation } from "./types.js";

/** Limits that make the simulator behave like GitHub on big pull requests. */
export interface SimulatorLimits {
  /** A file's `patch` is left out of listFiles/compare above this many bytes. */
  readonly maxPatchBytes: number;
  /** `pulls.listFiles` lists at most this many files (GitHub: 3,000). */
  readonly maxListedFiles: number;
  /** `repos.compareCommits` lists at most this many files (GitHub: 300). */
  readonly maxCompareFiles: number;
  /** `application/vnd.github.diff` is refused above this many files (GitHub: 300). */
  readonly maxDiffFiles: number;
  /** A recursive `git/trees` listing stops at this many entries and says `truncated` (GitHub: 100,000 entries or 7 MB). */
  readonly maxTreeEntries: number;
}

/** Everything a route needs, built once per simulator. */
export interface World {
  readonly state: SimState;
  readonly app: AppRecord;
  readonly urls: Urls;
  readonly diffs: DiffCache;
  readonly tokens: TokenStore;
  readonly limits: SimulatorLimits;
  readonly events: PullEvents;
  /** Null when OpenAPI validation is switched off. */
  readonly validator: OpenApiValidator | null;
  readonly violations: Violation[];
}

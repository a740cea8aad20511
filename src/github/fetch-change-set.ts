import type { Logger } from "pino";
import type { ChangedFile, ChangeSet, FileStatus, SkippedFile } from "../domain/change-set.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import { computeFileDiff, looksBinary } from "../diff/compute-file-diff.js";
import { applyContentRules, classifyFile, partitionFiles, type FileFilterOptions } from "../diff/file-filter.js";
import { DiffParseError, parseFilePatch } from "../diff/parse-unified-diff.js";
import { count, overFiles, SizeBudget, type SizeLimits } from "../diff/size-budget.js";
import { mapConcurrent } from "../util/map-concurrent.js";
import { httpStatus, type GitHub, type PullRef } from "./client.js";
import { BlobSchema, ContentFileSchema, PullRequestFileSchema, type PullRequest, type PullRequestFile } from "./schemas.js";
import { CommitFiles } from "./commit-files.js";
import { classifyUnpatched } from "./unpatched-file.js";
import type { RepositorySnapshot } from "../domain/repository.js";
import { isKnownFileReader } from "./repository-snapshot.js";

export interface FetchOptions extends SizeLimits {
  readonly filter: FileFilterOptions;
  readonly concurrency: number;
  readonly log: Logger;
  /**
   * The repository at the head commit, as the rest of the job reads it: head
   * contents come through it (one archive for many files, shared with the
   * impact context and the model's tools) instead of one blob request each.
   */
  readonly head?: RepositorySnapshot;
  readonly signal?: AbortSignal;
}

/**
 * Builds the ChangeSet of a pull request from GitHub: the file list with its
 * patches (recomputed from blobs where GitHub omits them), head contents for
 * context, and every skipped file with its reason. Size limits (files, changed
 * lines, bytes per file, bytes in total) are applied in GitHub's file order
 * after the path rules, so excluded files use up no budget; every file they
 * leave out is skipped as `too-large` naming the limit, and memory stays
 * bounded by `maxTotalBytes` plus what is in flight.
 */
export async function fetchChangeSet(gh: GitHub, ref: PullRef, pr: PullRequest, options: FetchOptions): Promise<ChangeSet> {
  const all = await listPullRequestFiles(gh, ref);
  const skipped: SkippedFile[] = [];
  const listed = all.slice(0, options.maxFiles);
  for (const file of all.slice(options.maxFiles)) skipped.push(tooLarge(file, overFiles(options.maxFiles)));

  // GitHub lists at most 3,000 files and says so nowhere but in the pull request's own count.
  const declared = pr.changed_files ?? all.length;
  if (declared > all.length) {
    const listedLines = all.reduce((n, f) => n + f.additions + f.deletions, 0);
    const totalLines = (pr.additions ?? 0) + (pr.deletions ?? 0);
    skipped.push({
      path: `(${declared - all.length} more files)`,
      reason: "github-file-cap",
      lines: Math.max(0, totalLines - listedLines),
      detail: `GitHub lists at most ${count(all.length)} files of a pull request; this one changes ${count(declared)}`,
      files: declared - all.length,
    });
  }

  // Path rules first: files left out by configuration or as lockfiles/vendored/generated use up no size budget.
  const candidates: PullRequestFile[] = [];
  for (const file of listed) {
    const verdict = classifyFile(file.filename, options.filter);
    if (verdict) skipped.push({ path: file.filename, reason: verdict.reason, lines: file.additions + file.deletions, detail: verdict.detail });
    else candidates.push(file);
  }
  const budget = new SizeBudget(options);
  const admitted: PullRequestFile[] = [];
  for (const file of candidates) {
    const over = budget.admitDiff({ lines: file.additions + file.deletions, bytes: Buffer.byteLength(file.patch ?? "") });
    if (over) skipped.push(tooLarge(file, over));
    else admitted.push(file);
  }

  const baseBlob = baseBlobReader(gh, ref, pr.base.sha);
  const parsed = await mapConcurrent(admitted, options.concurrency, async (file) => {
    try {
      return await toChangedFile(gh, ref, pr, file, { budget, baseBlob, log: options.log });
    } catch (error) {
      if (httpStatus(error) === 404) return { skip: patchUnavailable(file, "file not found at base or head (deleted meanwhile?)") };
      // A patch whose structure cannot be trusted is not reviewed, and the reader is told why.
      if (error instanceof DiffParseError) return { skip: patchUnavailable(file, `the diff cannot be read: ${error.message}`) };
      throw error;
    }
  });
  const files: ChangedFile[] = [];
  for (const p of parsed) {
    if ("skip" in p) skipped.push(p.skip);
    else files.push(p.file);
  }

  const { kept, skipped: filtered } = partitionFiles(files, options.filter);
  skipped.push(...filtered);

  const shaByPath = new Map(listed.map((f) => [f.filename, f.sha ?? null]));
  const known = kept.flatMap((file) => {
    const sha = shaByPath.get(file.path);
    return file.status === "removed" || !sha ? [] : [{ path: file.path, sha }];
  });
  const head = options.head && isKnownFileReader(options.head) ? options.head : null;
  const shared = head ? await head.readKnown(known, options.concurrency, options.signal) : null;
  const contents = await mapConcurrent(kept, options.concurrency, async (file) => {
    const sha = shaByPath.get(file.path);
    const text =
      file.status === "removed" || !sha
        ? null
        : shared
          ? withinFileCap(shared.get(file.path) ?? null, options.maxFileBytes)
          : await fetchBlobText(gh, ref, sha, options.maxFileBytes).catch(gone);
    // Context only: past the total budget a file is reviewed from its diff alone.
    return text !== null && budget.admitContent(text.length) ? text : null;
  });
  const byPath = new Map(kept.map((f, i) => [f.path, contents[i] ?? null]));
  const { reviewable, skipped: generated, headContents } = applyContentRules(kept, (path) => byPath.get(path) ?? null, options.filter.skipGenerated);
  skipped.push(...generated);
  skipped.sort((a, b) => a.path.localeCompare(b.path));

  options.log.info({ files: listed.length, reviewable: reviewable.length, skipped: skipped.length, ...budget.usage() }, "change set fetched");
  return buildChangeSet({ files: reviewable, skipped, headContents });
}

export async function listPullRequestFiles(gh: GitHub, ref: PullRef): Promise<PullRequestFile[]> {
  const raw = await gh.paginate(gh.rest.pulls.listFiles, { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, per_page: 100 });
  return raw.map((f) => PullRequestFileSchema.parse(f));
}

function tooLarge(file: PullRequestFile, detail: string): SkippedFile {
  return { path: file.filename, reason: "too-large", lines: file.additions + file.deletions, detail };
}

type Parsed = { file: ChangedFile } | { skip: SkippedFile };

async function toChangedFile(
  gh: GitHub,
  ref: PullRef,
  pr: PullRequest,
  file: PullRequestFile,
  { budget, baseBlob, log }: { budget: SizeBudget; baseBlob: (path: string) => Promise<string | null>; log: Logger },
): Promise<Parsed> {
  const status = mapStatus(file.status);
  const previousPath = file.previous_filename ?? null;
  if (file.patch !== undefined) {
    return { file: parseFilePatch({ path: file.filename, previousPath, status, patch: file.patch }) };
  }
  if (file.changes === 0) {
    // No patch and no changed lines: binary content, an empty file, a mode change, or a rename that kept its content.
    const kind = await classifyUnpatched(file, baseBlob);
    if (kind === "binary") return { skip: binary(file) };
    const unchanged = kind === "same-content" && (status === "modified" || file.status === "changed");
    return { file: { path: file.filename, previousPath, status: unchanged ? "mode-only" : status, hunks: [], additions: 0, deletions: 0 } };
  }
  // GitHub omits the patch of binary files and of diffs too large for the API: fetch both sides and diff locally.
  const maxBytes = budget.maxFileBytes;
  const oldText = status === "added" ? "" : await fetchContentText(gh, ref, previousPath ?? file.filename, pr.base.sha, maxBytes);
  const newText = status === "removed" ? "" : await fetchContentText(gh, ref, file.filename, pr.head.sha, maxBytes);
  if (oldText === TOO_LARGE || newText === TOO_LARGE) {
    return { skip: tooLarge(file, `GitHub sent no diff and the file is over ${count(maxBytes)} bytes (LONGVIEW_MAX_FILE_BYTES)`) };
  }
  if (oldText === null || newText === null) return { skip: binary(file) };
  log.debug({ path: file.filename }, "patch recomputed from blobs");
  const computed = computeFileDiff({ path: file.filename, previousPath, status, oldText, newText });
  const over = budget.admitComputedDiff(diffBytes(computed));
  return over ? { skip: tooLarge(file, over) } : { file: computed };
}

/** Blob ids at base, read (once, and only if asked) from the base commit's tree. */
function baseBlobReader(gh: GitHub, ref: PullRef, baseSha: string): (path: string) => Promise<string | null> {
  let base: Promise<CommitFiles | null> | null = null;
  return async (path) => {
    base ??= CommitFiles.read(gh, ref, baseSha).catch(gone);
    const entry = await (await base)?.entry(path);
    return entry?.type === "blob" ? entry.sha : null;
  };
}

function binary(file: PullRequestFile): SkippedFile {
  const how = file.previous_filename !== undefined ? `${file.status} from ${file.previous_filename}` : file.status;
  return { path: file.filename, reason: "binary", lines: file.additions + file.deletions, detail: `binary file (${how}); binary content is not reviewed` };
}

/** Bytes of a computed diff as a patch would hold them. */
function diffBytes(file: ChangedFile): number {
  return file.hunks.reduce((n, h) => n + h.lines.reduce((m, l) => m + l.text.length + 2, h.header.length + 1), 0);
}

const TOO_LARGE = Symbol("too large");

/** A head version deleted meanwhile (a force-push, a deleted branch) is context lost, not a failed review. */
function gone(error: unknown): null {
  if (httpStatus(error) === 404) return null;
  throw error;
}

function patchUnavailable(file: PullRequestFile, detail: string): SkippedFile {
  return { path: file.filename, reason: "patch-unavailable", lines: file.additions + file.deletions, detail };
}

function mapStatus(status: PullRequestFile["status"]): FileStatus {
  switch (status) {
    case "added":
    case "removed":
    case "renamed":
    case "copied":
    case "modified":
      return status;
    case "changed":
    case "unchanged":
      return "modified";
  }
}

/** A file's text at a ref, or null when it is binary, or TOO_LARGE over `maxBytes` (not downloaded). Large files fall back to the blob API. */
async function fetchContentText(gh: GitHub, ref: PullRef, path: string, sha: string, maxBytes: number): Promise<string | null | typeof TOO_LARGE> {
  const { data } = await gh.rest.repos.getContent({ owner: ref.owner, repo: ref.repo, path, ref: sha });
  const file = ContentFileSchema.parse(data);
  if (file.size > maxBytes) return TOO_LARGE;
  // The contents API leaves `content` empty for files over 1 MB; the blob API serves up to 100 MB.
  const buffer = file.content && file.encoding === "base64" ? Buffer.from(file.content, "base64") : await fetchBlob(gh, ref, file.sha);
  return looksBinary(buffer) ? null : buffer.toString("utf8");
}

/** The change set's own per-file cap, which may be tighter than the repository's. */
function withinFileCap(text: string | null, maxBytes: number): string | null {
  return text !== null && Buffer.byteLength(text) <= maxBytes ? text : null;
}

async function fetchBlobText(gh: GitHub, ref: PullRef, sha: string, maxBytes: number): Promise<string | null> {
  const buffer = await fetchBlob(gh, ref, sha);
  if (buffer.length > maxBytes || looksBinary(buffer)) return null;
  return buffer.toString("utf8");
}

async function fetchBlob(gh: GitHub, ref: PullRef, sha: string): Promise<Buffer> {
  const { data } = await gh.rest.git.getBlob({ owner: ref.owner, repo: ref.repo, file_sha: sha });
  const blob = BlobSchema.parse(data);
  return Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8");
}

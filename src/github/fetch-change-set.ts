import type { Logger } from "pino";
import type { ChangedFile, ChangeSet, FileStatus, SkippedFile } from "../domain/change-set.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import { computeFileDiff, looksBinary } from "../diff/compute-file-diff.js";
import { applyContentRules, classifyFile, partitionFiles, type FileFilterOptions } from "../diff/file-filter.js";
import { DiffParseError, parseFilePatch } from "../diff/parse-unified-diff.js";
import { mapConcurrent } from "../util/map-concurrent.js";
import { httpStatus, type GitHub, type PullRef } from "./client.js";
import { BlobSchema, ContentFileSchema, PullRequestFileSchema, type PullRequest, type PullRequestFile } from "./schemas.js";

/** GitHub's pulls.listFiles returns at most this many files. */
export const GITHUB_FILE_CAP = 3_000;

export interface FetchOptions {
  readonly filter: FileFilterOptions;
  /** Per file: a larger diff is not reviewed; a larger head version is not used as context. */
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  /** Changed lines (additions + deletions) reviewed per pull request; default: no limit. */
  readonly maxChangedLines?: number;
  /** Bytes of diff and head content held for one review; default: no limit. */
  readonly maxTotalBytes?: number;
  readonly concurrency: number;
  readonly log: Logger;
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
  for (const file of all.slice(options.maxFiles)) {
    skipped.push(tooLarge(file, `over the limit of ${count(options.maxFiles)} files per review (LONGVIEW_MAX_FILES)`));
  }

  const declared = pr.changed_files ?? all.length;
  if (declared > all.length) {
    const listedLines = all.reduce((n, f) => n + f.additions + f.deletions, 0);
    const totalLines = (pr.additions ?? 0) + (pr.deletions ?? 0);
    skipped.push({
      path: `(${declared - all.length} more files)`,
      reason: "github-file-cap",
      lines: Math.max(0, totalLines - listedLines),
      detail: `GitHub lists at most ${GITHUB_FILE_CAP} files of a pull request; this one changes ${declared}`,
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
    const over = budget.admitDiff(file);
    if (over) skipped.push(tooLarge(file, over));
    else admitted.push(file);
  }

  const parsed = await mapConcurrent(admitted, options.concurrency, async (file) => {
    try {
      return await toChangedFile(gh, ref, pr, file, budget, options.log);
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
  const contents = await mapConcurrent(kept, options.concurrency, async (file) => {
    const sha = shaByPath.get(file.path);
    const text = file.status === "removed" || !sha ? null : await fetchBlobText(gh, ref, sha, options.maxFileBytes).catch(gone);
    // Context only: past the total budget a file is reviewed from its diff alone.
    return text !== null && budget.admitContent(text) ? text : null;
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

/**
 * The size limits of one review, spent in GitHub's file order: changed lines
 * and diff bytes when a file is admitted, head-content bytes as they arrive.
 */
class SizeBudget {
  private lines = 0;
  private bytes = 0;
  private readonly maxLines: number;
  private readonly maxTotal: number;
  readonly maxFileBytes: number;

  constructor(options: FetchOptions) {
    this.maxLines = options.maxChangedLines ?? Infinity;
    this.maxTotal = options.maxTotalBytes ?? Infinity;
    this.maxFileBytes = options.maxFileBytes;
  }

  /** Null when the file's diff fits; otherwise why it does not (the skip's detail). */
  admitDiff(file: PullRequestFile): string | null {
    const lines = file.additions + file.deletions;
    const bytes = Buffer.byteLength(file.patch ?? "");
    if (bytes > this.maxFileBytes) return `its diff is over ${count(this.maxFileBytes)} bytes (LONGVIEW_MAX_FILE_BYTES)`;
    if (this.lines + lines > this.maxLines) return `over the limit of ${count(this.maxLines)} changed lines per review (LONGVIEW_MAX_CHANGED_LINES)`;
    if (this.bytes + bytes > this.maxTotal) return `over the limit of ${count(this.maxTotal)} bytes per review (LONGVIEW_MAX_TOTAL_BYTES)`;
    this.lines += lines;
    this.bytes += bytes;
    return null;
  }

  /** A diff computed here (GitHub sent none) is charged when it exists. */
  admitComputedDiff(file: ChangedFile): string | null {
    const bytes = file.hunks.reduce((n, h) => n + h.lines.reduce((m, l) => m + l.text.length + 2, h.header.length + 1), 0);
    if (bytes > this.maxFileBytes) return `its diff is over ${count(this.maxFileBytes)} bytes (LONGVIEW_MAX_FILE_BYTES)`;
    if (this.bytes + bytes > this.maxTotal) return `over the limit of ${count(this.maxTotal)} bytes per review (LONGVIEW_MAX_TOTAL_BYTES)`;
    this.bytes += bytes;
    return null;
  }

  admitContent(text: string): boolean {
    const bytes = text.length;
    if (this.bytes + bytes > this.maxTotal) return false;
    this.bytes += bytes;
    return true;
  }

  usage(): { changedLines: number; bytes: number } {
    return { changedLines: this.lines, bytes: this.bytes };
  }
}

function tooLarge(file: PullRequestFile, detail: string): SkippedFile {
  return { path: file.filename, reason: "too-large", lines: file.additions + file.deletions, detail };
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

type Parsed = { file: ChangedFile } | { skip: SkippedFile };

async function toChangedFile(gh: GitHub, ref: PullRef, pr: PullRequest, file: PullRequestFile, budget: SizeBudget, log: Logger): Promise<Parsed> {
  const status = mapStatus(file.status);
  const previousPath = file.previous_filename ?? null;
  if (file.patch !== undefined) {
    return { file: parseFilePatch({ path: file.filename, previousPath, status, patch: file.patch }) };
  }
  if (file.changes === 0) {
    // No patch and no line changes: a pure rename, a mode change, or a binary file.
    return { file: { path: file.filename, previousPath, status: status === "modified" ? "mode-only" : status, hunks: [], additions: 0, deletions: 0 } };
  }
  // GitHub omits the patch of binary files and of diffs too large for the API: fetch both sides and diff locally.
  const maxBytes = budget.maxFileBytes;
  const oldText = status === "added" ? "" : await fetchContentText(gh, ref, previousPath ?? file.filename, pr.base.sha, maxBytes);
  const newText = status === "removed" ? "" : await fetchContentText(gh, ref, file.filename, pr.head.sha, maxBytes);
  if (oldText === TOO_LARGE || newText === TOO_LARGE) {
    return { skip: tooLarge(file, `GitHub sent no diff and the file is over ${count(maxBytes)} bytes (LONGVIEW_MAX_FILE_BYTES)`) };
  }
  if (oldText === null || newText === null) {
    return { skip: { path: file.filename, reason: "binary", lines: file.changes, detail: "binary content (no text diff)" } };
  }
  log.debug({ path: file.filename }, "patch recomputed from blobs");
  const computed = computeFileDiff({ path: file.filename, previousPath, status, oldText, newText });
  const over = budget.admitComputedDiff(computed);
  return over ? { skip: tooLarge(file, over) } : { file: computed };
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
  const buffer =
    file.content && file.encoding === "base64" ? Buffer.from(file.content, "base64") : await fetchBlob(gh, ref, file.sha);
  return looksBinary(buffer) ? null : buffer.toString("utf8");
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

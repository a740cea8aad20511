import type { Logger } from "pino";
import type { ChangedFile, ChangeSet, FileStatus, SkippedFile } from "../domain/change-set.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import { computeFileDiff, looksBinary } from "../diff/compute-file-diff.js";
import { applyContentRules, partitionFiles, type FileFilterOptions } from "../diff/file-filter.js";
import { parseFilePatch } from "../diff/parse-unified-diff.js";
import { mapConcurrent } from "../util/map-concurrent.js";
import { httpStatus, type GitHub, type PullRef } from "./client.js";
import { BlobSchema, ContentFileSchema, PullRequestFileSchema, type PullRequest, type PullRequestFile } from "./schemas.js";

/** GitHub's pulls.listFiles returns at most this many files. */
export const GITHUB_FILE_CAP = 3_000;

export interface FetchOptions {
  readonly filter: FileFilterOptions;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
  readonly concurrency: number;
  readonly log: Logger;
}

/**
 * Builds the ChangeSet of a pull request from GitHub: the file list with its
 * patches (recomputed from blobs where GitHub omits them), head contents for
 * context, and every skipped file with its reason.
 */
export async function fetchChangeSet(gh: GitHub, ref: PullRef, pr: PullRequest, options: FetchOptions): Promise<ChangeSet> {
  const all = await listPullRequestFiles(gh, ref);
  const skipped: SkippedFile[] = [];
  const listed = all.slice(0, options.maxFiles);
  for (const file of all.slice(options.maxFiles)) {
    skipped.push({
      path: file.filename,
      reason: "too-large",
      lines: file.additions + file.deletions,
      detail: `over the limit of ${options.maxFiles} files per review (LONGVIEW_MAX_FILES)`,
    });
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

  const parsed = await mapConcurrent(listed, options.concurrency, async (file) => {
    try {
      return await toChangedFile(gh, ref, pr, file, options.log);
    } catch (error) {
      if (httpStatus(error) === 404) return { skip: patchUnavailable(file, "file not found at base or head (deleted meanwhile?)") };
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
    return file.status === "removed" || !sha ? null : fetchBlobText(gh, ref, sha, options.maxFileBytes);
  });
  const byPath = new Map(kept.map((f, i) => [f.path, contents[i] ?? null]));
  const { reviewable, skipped: generated, headContents } = applyContentRules(kept, (path) => byPath.get(path) ?? null, options.filter.skipGenerated);
  skipped.push(...generated);
  skipped.sort((a, b) => a.path.localeCompare(b.path));

  options.log.info({ files: listed.length, reviewable: reviewable.length, skipped: skipped.length }, "change set fetched");
  return buildChangeSet({ files: reviewable, skipped, headContents });
}

export async function listPullRequestFiles(gh: GitHub, ref: PullRef): Promise<PullRequestFile[]> {
  const raw = await gh.paginate(gh.rest.pulls.listFiles, { owner: ref.owner, repo: ref.repo, pull_number: ref.pullNumber, per_page: 100 });
  return raw.map((f) => PullRequestFileSchema.parse(f));
}

type Parsed = { file: ChangedFile } | { skip: SkippedFile };

async function toChangedFile(gh: GitHub, ref: PullRef, pr: PullRequest, file: PullRequestFile, log: Logger): Promise<Parsed> {
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
  const oldText = status === "added" ? "" : await fetchContentText(gh, ref, previousPath ?? file.filename, pr.base.sha);
  const newText = status === "removed" ? "" : await fetchContentText(gh, ref, file.filename, pr.head.sha);
  if (oldText === null || newText === null) {
    return { skip: { path: file.filename, reason: "binary", lines: file.changes, detail: "binary content (no text diff)" } };
  }
  log.debug({ path: file.filename }, "patch recomputed from blobs");
  return { file: computeFileDiff({ path: file.filename, previousPath, status, oldText, newText }) };
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

/** A file's text at a ref, or null when it is binary. Large files fall back to the blob API. */
async function fetchContentText(gh: GitHub, ref: PullRef, path: string, sha: string): Promise<string | null> {
  const { data } = await gh.rest.repos.getContent({ owner: ref.owner, repo: ref.repo, path, ref: sha });
  const file = ContentFileSchema.parse(data);
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

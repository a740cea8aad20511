import type { DiffFile } from "../pr-diff.js";
import type { RepoRecord } from "../state.js";
import { encodePath, type Urls } from "./urls.js";

/**
 * GitHub's `diff-entry`. `patch` is left out when it is longer than the
 * simulator's limit, as GitHub does for very large diffs.
 */
export function renderDiffEntry(urls: Urls, repo: RepoRecord, headSha: string, file: DiffFile, maxPatchBytes: number): Record<string, unknown> {
  const path = encodePath(file.filename);
  const showPatch = file.patch !== null && Buffer.byteLength(file.patch, "utf8") <= maxPatchBytes;
  const removed = file.status === "removed";
  return {
    // A removed file has no head blob; the simulator reports the blob it had at base.
    sha: removed ? file.oldSha : file.newSha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: urls.html(`/${repo.fullName}/blob/${headSha}/${path}`),
    raw_url: urls.html(`/${repo.fullName}/raw/${headSha}/${path}`),
    contents_url: urls.api(`/repos/${repo.fullName}/contents/${path}?ref=${headSha}`),
    ...(showPatch ? { patch: file.patch } : {}),
    ...(file.previousFilename !== null ? { previous_filename: file.previousFilename } : {}),
  };
}

import type { TreeEntry } from "../git-repo.js";
import type { RepoRecord } from "../state.js";
import { base64Lines } from "./git.js";
import { encodePath, type Urls } from "./urls.js";

/** GitHub's `content-file` for `GET /repos/{owner}/{repo}/contents/{path}`. */
export function renderContentFile(urls: Urls, repo: RepoRecord, ref: string, entry: TreeEntry, content: Buffer): Record<string, unknown> {
  return { ...contentEntry(urls, repo, ref, entry, "file", content.length), content: base64Lines(content), encoding: "base64" };
}

/** One entry of a directory listing (`content-directory`). */
export function renderDirectoryEntry(urls: Urls, repo: RepoRecord, ref: string, entry: TreeEntry): Record<string, unknown> {
  const type = entry.type === "tree" ? "dir" : entry.type === "commit" ? "submodule" : entry.mode === "120000" ? "symlink" : "file";
  return contentEntry(urls, repo, ref, entry, type, entry.size ?? 0);
}

function contentEntry(urls: Urls, repo: RepoRecord, ref: string, entry: TreeEntry, type: string, size: number): Record<string, unknown> {
  const path = encodePath(entry.path);
  const self = urls.api(`/repos/${repo.fullName}/contents/${path}?ref=${encodeURIComponent(ref)}`);
  const gitKind = entry.type === "tree" ? "trees" : "blobs";
  const git = urls.api(`/repos/${repo.fullName}/git/${gitKind}/${entry.sha}`);
  const html = urls.html(`/${repo.fullName}/${entry.type === "tree" ? "tree" : "blob"}/${encodeURIComponent(ref)}/${path}`);
  return {
    type,
    size,
    name: entry.path.split("/").pop() ?? entry.path,
    path: entry.path,
    sha: entry.sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: type === "file" ? urls.html(`/${repo.fullName}/raw/${encodeURIComponent(ref)}/${path}`) : null,
    _links: { self, git, html },
  };
}

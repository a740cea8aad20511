import type { CommitObject, GitPerson, TreeEntry } from "../git-repo.js";
import type { RepoRecord } from "../state.js";
import { isoTime, nodeId, type Urls } from "./urls.js";

const UNSIGNED = { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };

/** GitHub's `git-commit` (Git Data API). */
export function renderGitCommit(urls: Urls, repo: RepoRecord, commit: CommitObject): Record<string, unknown> {
  const api = urls.api(`/repos/${repo.fullName}`);
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", shaNumber(commit.sha)),
    url: `${api}/git/commits/${commit.sha}`,
    html_url: urls.html(`/${repo.fullName}/commit/${commit.sha}`),
    author: person(commit.author),
    committer: person(commit.committer),
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message.replace(/\n$/, ""),
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/git/commits/${sha}`, html_url: urls.html(`/${repo.fullName}/commit/${sha}`) })),
    verification: UNSIGNED,
  };
}

/** GitHub's `commit` (REST commits and compare); authors are not linked to accounts. */
export function renderCommit(urls: Urls, repo: RepoRecord, commit: CommitObject): Record<string, unknown> {
  const api = urls.api(`/repos/${repo.fullName}`);
  return {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: nodeId("Commit", shaNumber(commit.sha)),
    html_url: urls.html(`/${repo.fullName}/commit/${commit.sha}`),
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: person(commit.author),
      committer: person(commit.committer),
      message: commit.message.replace(/\n$/, ""),
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: UNSIGNED,
    },
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: urls.html(`/${repo.fullName}/commit/${sha}`) })),
  };
}

export function renderTree(urls: Urls, repo: RepoRecord, sha: string, entries: readonly TreeEntry[], truncated = false): Record<string, unknown> {
  const api = urls.api(`/repos/${repo.fullName}`);
  return {
    sha,
    url: `${api}/git/trees/${sha}`,
    tree: entries.map((entry) => ({
      path: entry.path,
      mode: entry.mode,
      type: entry.type,
      sha: entry.sha,
      ...(entry.size !== null ? { size: entry.size } : {}),
      url: `${api}/git/${entry.type === "blob" ? "blobs" : entry.type === "tree" ? "trees" : "commits"}/${entry.sha}`,
    })),
    truncated,
  };
}

export function renderRef(urls: Urls, repo: RepoRecord, ref: string, sha: string): Record<string, unknown> {
  const api = urls.api(`/repos/${repo.fullName}`);
  return {
    ref,
    node_id: Buffer.from(`REF_${repo.id}_${ref}`).toString("base64"),
    url: `${api}/git/${ref}`,
    object: { type: "commit", sha, url: `${api}/git/commits/${sha}` },
  };
}

export function renderBlob(urls: Urls, repo: RepoRecord, sha: string, content: Buffer): Record<string, unknown> {
  return {
    sha,
    node_id: nodeId("Blob", shaNumber(sha)),
    size: content.length,
    url: urls.api(`/repos/${repo.fullName}/git/blobs/${sha}`),
    content: base64Lines(content),
    encoding: "base64",
  };
}

/** GitHub wraps base64 content at 60 characters per line. */
export function base64Lines(content: Buffer): string {
  const encoded = content.toString("base64");
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 60) lines.push(encoded.slice(i, i + 60));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

function person(p: GitPerson): Record<string, unknown> {
  return { name: p.name, email: p.email, date: isoTime(p.date) };
}

function shaNumber(sha: string): number {
  return Number.parseInt(sha.slice(0, 8), 16);
}

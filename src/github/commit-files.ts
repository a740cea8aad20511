import type { GitHub, PullRef } from "./client.js";
import { httpStatus } from "./client.js";
import { BlobSchema } from "./schemas.js";
import { GitCommitSchema, GitTreeSchema, type GitTreeEntry } from "./git-schemas.js";

/**
 * The files of one commit, read through the Git Data API of the repository
 * that holds the branch (a fork for fork pull requests): exactly what the
 * fix commit will be built on, file modes included.
 */

/** Files larger than this are not edited: they are generated or data, and too big to send to a model. */
export const MAX_FIX_FILE_BYTES = 512_000;

const REGULAR_FILE = new Set(["100644", "100755"]);

export type FileRead = { readonly ok: true; readonly text: string; readonly entry: GitTreeEntry } | { readonly ok: false; readonly reason: string };

/**
 * The files of one commit as the fix reads and builds on them. `CommitFiles`
 * is the one over GitHub; the fix depends on this, so a test's GitHub can
 * hand out its own.
 */
export interface CommitSnapshot {
  readonly commitSha: string;
  readonly treeSha: string;
  /** The tree entry at `path`, or null when there is none. */
  entry(path: string): Promise<GitTreeEntry | null>;
  /** A text file's content, or why it cannot be edited. */
  readText(path: string): Promise<FileRead>;
}

export class CommitFiles implements CommitSnapshot {
  private readonly trees = new Map<string, Promise<Map<string, GitTreeEntry>>>();

  private constructor(
    private readonly gh: GitHub,
    private readonly repo: Pick<PullRef, "owner" | "repo">,
    readonly commitSha: string,
    readonly treeSha: string,
    /** Every entry of the commit when one recursive listing had them all; null when GitHub truncated it. */
    private readonly all: Map<string, GitTreeEntry> | null,
  ) {}

  static async read(gh: GitHub, repo: Pick<PullRef, "owner" | "repo">, commitSha: string): Promise<CommitFiles> {
    const { data: commit } = await gh.rest.git.getCommit({ owner: repo.owner, repo: repo.repo, commit_sha: commitSha });
    const treeSha = GitCommitSchema.parse(commit).tree.sha;
    const { data } = await gh.rest.git.getTree({ owner: repo.owner, repo: repo.repo, tree_sha: treeSha, recursive: "true" });
    const tree = GitTreeSchema.parse(data);
    const all = tree.truncated ? null : new Map(tree.tree.map((e) => [e.path, e]));
    return new CommitFiles(gh, repo, commitSha, treeSha, all);
  }

  async entry(path: string): Promise<GitTreeEntry | null> {
    if (this.all) return this.all.get(path) ?? null;
    // A truncated listing: walk down one directory at a time.
    const parts = path.split("/");
    let treeSha = this.treeSha;
    for (const [i, part] of parts.entries()) {
      const entry = (await this.listTree(treeSha)).get(part);
      if (!entry) return null;
      if (i === parts.length - 1) return { ...entry, path };
      if (entry.type !== "tree") return null;
      treeSha = entry.sha;
    }
    return null;
  }

  /** A text file's content, or why it cannot be edited. */
  async readText(path: string): Promise<FileRead> {
    const entry = await this.entry(path);
    const refused = uneditableEntry(entry);
    if (refused !== null || entry === null) return { ok: false, reason: refused ?? "it does not exist at the pull request's head" };
    let raw;
    try {
      raw = (await this.gh.rest.git.getBlob({ owner: this.repo.owner, repo: this.repo.repo, file_sha: entry.sha })).data;
    } catch (error) {
      if (httpStatus(error) === 404) return { ok: false, reason: "GitHub could not find its content" };
      throw error;
    }
    const blob = BlobSchema.parse(raw);
    return editableText(entry, Buffer.from(blob.content, blob.encoding === "base64" ? "base64" : "utf8"));
  }

  private listTree(sha: string): Promise<Map<string, GitTreeEntry>> {
    let listing = this.trees.get(sha);
    if (!listing) {
      listing = this.gh.rest.git
        .getTree({ owner: this.repo.owner, repo: this.repo.repo, tree_sha: sha })
        .then(({ data }) => new Map(GitTreeSchema.parse(data).tree.map((e) => [e.path, e])));
      this.trees.set(sha, listing);
    }
    return listing;
  }
}

/** Why the file at a tree entry cannot be edited (before its content is read), or null when it may be. */
export function uneditableEntry(entry: GitTreeEntry | null): string | null {
  if (!entry) return "it does not exist at the pull request's head";
  if (entry.type !== "blob" || !REGULAR_FILE.has(entry.mode)) return entry.mode === "120000" ? "it is a symbolic link" : "it is not a regular file";
  if (entry.size !== undefined && entry.size > MAX_FIX_FILE_BYTES) return `it is larger than ${MAX_FIX_FILE_BYTES} bytes`;
  return null;
}

/** A blob's bytes as editable text, or why they are not. */
export function editableText(entry: GitTreeEntry, bytes: Buffer): FileRead {
  if (bytes.length > MAX_FIX_FILE_BYTES) return { ok: false, reason: `it is larger than ${MAX_FIX_FILE_BYTES} bytes` };
  if (bytes.includes(0)) return { ok: false, reason: "it is a binary file" };
  const text = bytes.toString("utf8");
  if (text.includes("\uFFFD") && !Buffer.from(text, "utf8").equals(bytes)) return { ok: false, reason: "it is not UTF-8 text" };
  return { ok: true, text, entry };
}

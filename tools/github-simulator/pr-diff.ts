import type { GitRepository } from "./git-repo.js";

/**
 * The diff between two commits as GitHub reports it in `pulls.listFiles` and
 * `repos.compareCommits`: one entry per file, from real `git diff-tree`
 * output (renames detected), with the patch reduced to its hunks.
 */

export type DiffStatus = "added" | "removed" | "modified" | "renamed" | "copied" | "changed" | "unchanged";

export interface DiffFile {
  readonly filename: string;
  readonly previousFilename: string | null;
  readonly status: DiffStatus;
  /** Blob sha at base; all zeros when the file is new. */
  readonly oldSha: string;
  /** Blob sha at head; all zeros when the file was removed. */
  readonly newSha: string;
  readonly additions: number;
  readonly deletions: number;
  /** Hunks only (from the first "@@"), without a trailing newline; null when git prints none (binary, pure rename, mode change). */
  readonly patch: string | null;
}

export interface CommitDiff {
  readonly files: readonly DiffFile[];
  /** The whole `git diff` text, as GitHub serves it for `application/vnd.github.diff`. */
  readonly text: string;
}

/** Git objects never change, so a diff between two shas is computed once. */
export class DiffCache {
  readonly #entries = new Map<string, Promise<CommitDiff>>();

  diff(git: GitRepository, base: string, head: string): Promise<CommitDiff> {
    const key = `${git.dir}\0${base}\0${head}`;
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = diffCommits(git, base, head);
      entry.catch(() => this.#entries.delete(key));
      this.#entries.set(key, entry);
    }
    return entry;
  }
}

export async function diffCommits(git: GitRepository, base: string, head: string): Promise<CommitDiff> {
  const [raw, text] = await Promise.all([
    git.text(["diff-tree", "-r", "-z", "-M", "--raw", "--no-commit-id", base, head]),
    git.text(["diff-tree", "-r", "-M", "-p", "--no-color", "--no-commit-id", "--no-ext-diff", base, head]),
  ]);
  const entries = parseRaw(raw);
  const sections = splitSections(text);
  if (sections.length !== entries.length) {
    throw new Error(`git diff-tree printed ${sections.length} patch sections for ${entries.length} raw entries (${base}..${head})`);
  }
  return { files: entries.map((entry, i) => toDiffFile(entry, sections[i] ?? "")), text };
}

interface RawEntry {
  readonly oldMode: string;
  readonly newMode: string;
  readonly oldSha: string;
  readonly newSha: string;
  readonly letter: string;
  readonly path: string;
  readonly previousPath: string | null;
}

function parseRaw(raw: string): RawEntry[] {
  const fields = raw.split("\0");
  const entries: RawEntry[] = [];
  for (let i = 0; i < fields.length; i++) {
    const header = fields[i] ?? "";
    if (!header.startsWith(":")) continue;
    const [oldMode = "", newMode = "", oldSha = "", newSha = "", status = ""] = header.slice(1).split(" ");
    const letter = status.charAt(0);
    if (letter === "R" || letter === "C") {
      entries.push({ oldMode, newMode, oldSha, newSha, letter, previousPath: fields[i + 1] ?? "", path: fields[i + 2] ?? "" });
      i += 2;
    } else {
      entries.push({ oldMode, newMode, oldSha, newSha, letter, previousPath: null, path: fields[i + 1] ?? "" });
      i += 1;
    }
  }
  return entries;
}

/** Patch sections start at "diff --git" at the start of a line; content lines always carry a +/-/space marker. */
function splitSections(text: string): string[] {
  const starts = [...text.matchAll(/^diff --git /gm)].map((m) => m.index);
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

function toDiffFile(entry: RawEntry, section: string): DiffFile {
  const hunkStart = section.search(/^@@ /m);
  const patch = hunkStart === -1 ? null : section.slice(hunkStart).replace(/\n$/, "");
  let additions = 0;
  let deletions = 0;
  for (const line of (patch ?? "").split("\n")) {
    if (line.startsWith("+")) additions++;
    else if (line.startsWith("-")) deletions++;
  }
  return {
    filename: entry.path,
    previousFilename: entry.previousPath,
    status: statusOf(entry),
    oldSha: entry.oldSha,
    newSha: entry.newSha,
    additions,
    deletions,
    patch,
  };
}

function statusOf(entry: RawEntry): DiffStatus {
  switch (entry.letter) {
    case "A":
      return "added";
    case "D":
      return "removed";
    case "R":
      return "renamed";
    case "C":
      return "copied";
    case "T":
      return "changed";
    case "M":
      return entry.oldSha === entry.newSha && entry.oldMode !== entry.newMode ? "changed" : "modified";
    default:
      return "modified";
  }
}

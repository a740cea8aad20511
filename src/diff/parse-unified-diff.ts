import parseDiff from "parse-diff";
import type { ChangedFile, DiffLine, FileStatus, Hunk } from "../domain/change-set.js";
import { withLineCounts } from "./line-counts.js";

/**
 * Unified diff text → ChangedFile[]. Hunks are parsed by `parse-diff`; the git
 * extended headers it ignores (renames, binary markers, mode changes) are read
 * here from each file's header block.
 */
export function parseUnifiedDiff(text: string): ChangedFile[] {
  return splitFileSections(text).flatMap(parseFileSections);
}

/**
 * One file's hunks as GitHub's `pulls.listFiles` returns them: `patch` holds
 * only hunks, without the `diff --git` / `---` / `+++` headers.
 */
export function parseFilePatch(input: {
  path: string;
  previousPath: string | null;
  status: FileStatus;
  patch: string;
}): ChangedFile {
  const hunks = toHunks(parseDiff(`--- a/${input.path}\n+++ b/${input.path}\n${input.patch}`)[0]?.chunks ?? []);
  return withLineCounts({ path: input.path, previousPath: input.previousPath, status: input.status, hunks });
}

/** Splits at `diff --git` lines; plain `diff -u` output (no git headers) is left whole for parse-diff. */
function splitFileSections(text: string): string[] {
  const normalized = text.replace(/\r\n/g, "\n");
  if (!/^diff --git /m.test(normalized)) return normalized.trim() === "" ? [] : [normalized];
  const sections: string[] = [];
  const starts = [...normalized.matchAll(/^diff --git /gm)].map((m) => m.index);
  for (let i = 0; i < starts.length; i++) sections.push(normalized.slice(starts[i], starts[i + 1] ?? normalized.length));
  return sections;
}

function parseFileSections(section: string): ChangedFile[] {
  const parsed = parseDiff(section);
  if (section.startsWith("diff --git ")) return [toChangedFile(section, parsed[0])];
  // Plain unified diff: one section may hold several files, and there are no extended headers.
  return parsed.map((file) => toChangedFile("", file));
}

function toChangedFile(section: string, parsed: parseDiff.File | undefined): ChangedFile {
  const headerEnd = section.search(/^@@ /m);
  const header = headerEnd === -1 ? section : section.slice(0, headerEnd);
  const renameFrom = matchLine(header, /^rename from (.+)$/m) ?? matchLine(header, /^copy from (.+)$/m);
  const renameTo = matchLine(header, /^rename to (.+)$/m) ?? matchLine(header, /^copy to (.+)$/m);
  const gitPaths = matchGitPaths(header);
  const from = renameFrom ?? cleanPath(parsed?.from) ?? gitPaths?.[0] ?? null;
  const to = renameTo ?? cleanPath(parsed?.to) ?? gitPaths?.[1] ?? null;
  const deleted = /^deleted file mode /m.test(header) || to === "/dev/null";
  const added = /^new file mode /m.test(header) || from === "/dev/null";
  const path = (deleted ? from : to) ?? from ?? "(unknown)";
  const hunks = toHunks(parsed?.chunks ?? []);

  let status: FileStatus;
  if (/^Binary files .* differ$/m.test(header) || /^GIT binary patch$/m.test(section)) status = "binary";
  else if (deleted) status = "removed";
  else if (added) status = "added";
  else if (/^copy from /m.test(header)) status = "copied";
  else if (renameFrom !== null || (from !== null && to !== null && from !== to)) status = "renamed";
  else if (hunks.length === 0 && /^(old|new) mode /m.test(header)) status = "mode-only";
  else status = "modified";

  const previousPath = status === "renamed" || status === "copied" ? from : null;
  return withLineCounts({ path, previousPath, status, hunks });
}

function toHunks(chunks: readonly parseDiff.Chunk[]): Hunk[] {
  return chunks.map((chunk, index) => ({
    index,
    header: chunk.content,
    oldStart: chunk.oldStart,
    oldLines: chunk.oldLines,
    newStart: chunk.newStart,
    newLines: chunk.newLines,
    lines: chunk.changes.flatMap(toDiffLine),
  }));
}

function toDiffLine(change: parseDiff.Change): DiffLine[] {
  // parse-diff repeats the previous change for "\ No newline at end of file"; it is not a line of the file.
  if (change.content.startsWith("\\")) return [];
  const text = stripCarriageReturn(change.content.slice(1));
  switch (change.type) {
    case "add":
      return [{ kind: "add", oldLine: null, newLine: change.ln, text }];
    case "del":
      return [{ kind: "del", oldLine: change.ln, newLine: null, text }];
    case "normal":
      return [{ kind: "context", oldLine: change.ln1, newLine: change.ln2, text }];
  }
}

function stripCarriageReturn(text: string): string {
  return text.endsWith("\r") ? text.slice(0, -1) : text;
}

function matchLine(text: string, re: RegExp): string | null {
  const m = re.exec(text);
  return m?.[1] ? unquote(m[1]) : null;
}

function matchGitPaths(header: string): [string, string] | null {
  const m = /^diff --git "?a\/(.+?)"? "?b\/(.+?)"?$/m.exec(header);
  return m?.[1] && m[2] ? [m[1], m[2]] : null;
}

function cleanPath(p: string | undefined): string | null {
  if (p === undefined || p === "") return null;
  return unquote(p);
}

function unquote(p: string): string {
  return p.replace(/^"(.*)"$/, "$1");
}

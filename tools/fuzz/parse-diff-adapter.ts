import parseDiff from "parse-diff";
import { withLineCounts } from "../../src/diff/line-counts.js";
import { DiffParseError } from "../../src/diff/parse-unified-diff.js";
import type { ChangedFile, DiffLine, FileStatus, Hunk } from "../../src/domain/change-set.js";
import { checkParsedFiles, InvariantViolation } from "./invariants.js";

/**
 * The npm package `parse-diff` read into the project's `ChangedFile` shape,
 * for the comparison in tools/fuzz/parse-diff-trial.ts (docs/decisions/0007).
 * The mapping is the obvious one and as kind to the package as its output
 * allows: CRLF made LF first (as the first version of this project did), `\ No
 * newline` pseudo-changes dropped, hunks without lines dropped, statuses
 * taken from its `new`/`deleted` flags, modes and from/to names. What it cannot see (renames, copies, binary and mode-only
 * markers, quoted names) it cannot report.
 */

const DEV_NULL = "/dev/null";

interface Declared {
  readonly oldLines: number;
  readonly newLines: number;
}

interface Read {
  readonly files: ChangedFile[];
  /** Each hunk's counts as its header declared them, by file then hunk. */
  readonly declared: Declared[][];
}

function read(files: readonly parseDiff.File[], patchFor?: { path: string; previousPath: string | null; status: FileStatus }): Read {
  const declared: Declared[][] = [];
  const out = files.map((file) => {
    const counts: Declared[] = [];
    const hunks: Hunk[] = [];
    for (const chunk of file.chunks) {
      const lines = chunk.changes.flatMap(toDiffLine);
      // As the project's parser does: a hunk without lines offers nothing to comment on.
      if (lines.length === 0) continue;
      counts.push({ oldLines: chunk.oldLines, newLines: chunk.newLines });
      let oldLines = 0;
      let newLines = 0;
      for (const l of lines) {
        if (l.oldLine !== null) oldLines++;
        if (l.newLine !== null) newLines++;
      }
      hunks.push({ index: hunks.length, header: chunk.content, oldStart: chunk.oldStart, oldLines, newStart: chunk.newStart, newLines, lines });
    }
    declared.push(counts);
    if (patchFor) return withLineCounts({ ...patchFor, hunks });
    const from = file.from === undefined || file.from === "" ? null : file.from;
    const to = file.to === undefined || file.to === "" ? null : file.to;
    const added = file.new === true || from === DEV_NULL;
    const removed = file.deleted === true || to === DEV_NULL;
    const modeOnly = hunks.length === 0 && file.oldMode !== undefined && file.newMode !== undefined && file.oldMode !== file.newMode;
    const status: FileStatus = added
      ? "added"
      : removed
        ? "removed"
        : from !== null && to !== null && from !== to
          ? "renamed"
          : modeOnly
            ? "mode-only"
            : "modified";
    const path = (removed ? from : to) ?? from ?? "(unknown)";
    return withLineCounts({ path, previousPath: status === "renamed" ? from : null, status, hunks });
  });
  return { files: out, declared };
}

function toDiffLine(change: parseDiff.Change): DiffLine[] {
  // parse-diff repeats the previous change for "\ No newline at end of file"; it is not a line of the file.
  if (change.content.startsWith("\\")) return [];
  const raw = change.content.slice(1);
  const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  switch (change.type) {
    case "add":
      return [{ kind: "add", oldLine: null, newLine: change.ln, text }];
    case "del":
      return [{ kind: "del", oldLine: change.ln, newLine: null, text }];
    case "normal":
      return [{ kind: "context", oldLine: change.ln1, newLine: change.ln2, text }];
  }
}

/** Line numbers far beyond any real file are rejected by the project's parser too. */
const MAX_LINE_NUMBER = 1e9;

/**
 * The project's validation put behind parse-diff: every structural guarantee
 * the fuzz oracle checks, plus header counts that match what a hunk holds and
 * the project's line-number ceiling, each turned into a `DiffParseError`.
 */
function validate({ files, declared }: Read): ChangedFile[] {
  files.forEach((file, f) =>
    file.hunks.forEach((hunk, h) => {
      const want = declared[f]![h]!;
      if (want.oldLines !== hunk.oldLines || want.newLines !== hunk.newLines) {
        throw new DiffParseError(
          `${file.path}: hunk ${h + 1} holds ${hunk.oldLines}/${hunk.newLines} lines, its header says ${want.oldLines}/${want.newLines}`,
        );
      }
      if (hunk.oldStart > MAX_LINE_NUMBER || hunk.newStart > MAX_LINE_NUMBER) throw new DiffParseError(`${file.path}: hunk ${h + 1}: line number out of range`);
    }),
  );
  try {
    checkParsedFiles(files);
  } catch (error) {
    if (error instanceof InvariantViolation) throw new DiffParseError(error.message);
    throw error;
  }
  return files;
}

const lf = (text: string) => text.replace(/\r\n/g, "\n");

export type AdapterMode = "raw" | "validated";

/** A whole diff through parse-diff; `validated` adds the project's checks. */
export function parseWithParseDiff(text: string, mode: AdapterMode): ChangedFile[] {
  const parsed = read(parseDiff(lf(text)));
  return mode === "validated" ? validate(parsed) : parsed.files;
}

/**
 * A GitHub per-file patch (hunks only) through parse-diff. Its path never
 * reaches the text (names may hold line breaks); every hunk parse-diff finds
 * counts, even where a header-like line made it start another file.
 */
export function parsePatchWithParseDiff(
  input: { path: string; previousPath: string | null; status: FileStatus; patch: string },
  mode: AdapterMode,
): ChangedFile {
  const { path, previousPath, status } = input;
  const chunks = parseDiff(`--- a/x\n+++ b/x\n${lf(input.patch)}`).flatMap((f) => f.chunks);
  const parsed = read([{ chunks, additions: 0, deletions: 0 }], { path, previousPath, status });
  return (mode === "validated" ? validate(parsed) : parsed.files)[0]!;
}

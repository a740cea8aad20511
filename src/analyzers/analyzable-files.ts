import type { ChangedFile, DiffLine } from "../domain/change-set.js";
import type { AnalyzerFilter, AnalyzerInput } from "./analyzer.js";

/** Files larger than this are generated or data; analyzing them costs more than it finds. */
export const MAX_ANALYZED_CHARS = 1_000_000;
/** Minified code: lines this long, or this long on average, are not written by people. */
const MAX_LINE_CHARS = 10_000;
const MAX_MEAN_LINE_CHARS = 300;

export interface AnalyzableFile {
  readonly path: string;
  readonly content: string;
}

export type AnalyzerSkipReason = "too-large" | "minified";

export interface AnalyzerSkip {
  readonly path: string;
  readonly reason: AnalyzerSkipReason;
}

/**
 * The changed files an analyzer should read: head content available, a
 * language the analyzer handles, at least one line the filter admits, and
 * not too large or minified (those are reported as skips).
 */
export function analyzableFiles(
  input: AnalyzerInput,
  handles: (path: string) => boolean,
): { readonly files: AnalyzableFile[]; readonly skipped: AnalyzerSkip[] } {
  const files: AnalyzableFile[] = [];
  const skipped: AnalyzerSkip[] = [];
  for (const file of input.files) {
    if (file.status === "removed" || file.status === "binary" || !handles(file.path)) continue;
    const content = input.headContents.get(file.path);
    if (content === undefined || !hasAdmittedLine(file, input.filter)) continue;
    if (content.length > MAX_ANALYZED_CHARS) skipped.push({ path: file.path, reason: "too-large" });
    else if (looksMinified(content)) skipped.push({ path: file.path, reason: "minified" });
    else files.push({ path: file.path, content });
  }
  return { files, skipped };
}

export function admitsLine(line: DiffLine, filter: AnalyzerFilter): boolean {
  return filter === "added" ? line.kind === "add" : line.newLine !== null;
}

function hasAdmittedLine(file: ChangedFile, filter: AnalyzerFilter): boolean {
  return file.hunks.some((hunk) => hunk.lines.some((line) => admitsLine(line, filter)));
}

export function looksMinified(content: string): boolean {
  let lines = 0;
  let start = 0;
  while (start <= content.length) {
    const end = content.indexOf("\n", start);
    const stop = end === -1 ? content.length : end;
    if (stop - start > MAX_LINE_CHARS) return true;
    lines++;
    if (end === -1) break;
    start = end + 1;
  }
  return content.length > 2 * MAX_MEAN_LINE_CHARS && content.length / lines > MAX_MEAN_LINE_CHARS;
}

/** Lower-cased extension without the dot (`src/a.test.ts` → `ts`), or "" when there is none. */
export function extensionOf(path: string): string {
  const name = path.slice(path.lastIndexOf("/") + 1);
  const dot = name.lastIndexOf(".");
  return dot <= 0 ? "" : name.slice(dot + 1).toLowerCase();
}

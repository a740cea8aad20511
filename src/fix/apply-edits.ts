import type { FileEdit } from "./edit.js";

/**
 * Applies search/replace blocks to file texts. Pure. Every block must match
 * exactly once in the file as the earlier blocks left it; every problem is
 * reported (not only the first), worded for the model that wrote the blocks.
 */

/** One applied block, in the offsets of the text it was applied to. */
export interface AppliedEdit {
  readonly path: string;
  readonly start: number;
  readonly removed: number;
  readonly inserted: number;
}

export type ApplyResult =
  | { readonly ok: true; readonly files: ReadonlyMap<string, string>; readonly applied: readonly AppliedEdit[] }
  | { readonly ok: false; readonly problems: readonly string[] };

export function applyEdits(originals: ReadonlyMap<string, string>, edits: readonly FileEdit[]): ApplyResult {
  const files = new Map<string, string>();
  const applied: AppliedEdit[] = [];
  const problems: string[] = [];
  edits.forEach((edit, i) => {
    const label = `Edit ${i + 1} (\`${edit.path}\`)`;
    const current = files.get(edit.path) ?? originals.get(edit.path);
    if (current === undefined) {
      problems.push(`${label}: this file is not among the files you were given; edit only those.`);
      return;
    }
    if (edit.search === "") {
      problems.push(`${label}: \`search\` is empty; copy the exact text to replace from the file.`);
      return;
    }
    const { search, replace } = matchLineEndings(current, edit);
    if (search === replace) {
      problems.push(`${label}: \`search\` and \`replace\` are identical, so it changes nothing.`);
      return;
    }
    const count = occurrences(current, search);
    if (count !== 1) {
      problems.push(
        `${label}: ${count === 0 ? notFound(current, search) : `the search text occurs ${count} times; include more surrounding lines so it occurs exactly once.`}`,
      );
      return;
    }
    const start = current.indexOf(search);
    files.set(edit.path, current.slice(0, start) + replace + current.slice(start + search.length));
    applied.push({ path: edit.path, start, removed: search.length, inserted: replace.length });
  });
  if (problems.length > 0) return { ok: false, problems };
  // A file whose edits cancel out is not changed.
  for (const [path, text] of files) if (text === originals.get(path)) files.delete(path);
  return { ok: true, files, applied: applied.filter((a) => files.has(a.path)) };
}

/** Models write `\n`; a CRLF file needs the same blocks with `\r\n`. */
function matchLineEndings(text: string, edit: FileEdit): { search: string; replace: string } {
  if (!text.includes("\r\n") || edit.search.includes("\r") || text.includes(edit.search)) return edit;
  return { search: edit.search.replace(/\n/g, "\r\n"), replace: edit.replace.replace(/\r?\n/g, "\r\n") };
}

function occurrences(text: string, search: string): number {
  let count = 0;
  for (let at = text.indexOf(search); at !== -1; at = text.indexOf(search, at + 1)) count++;
  return count;
}

function notFound(text: string, search: string): string {
  const squash = (s: string) => s.replace(/\s+/g, " ").trim();
  if (squash(text).includes(squash(search))) {
    return "the search text does not occur exactly as written; it differs from the file in whitespace or indentation. Copy it character for character.";
  }
  return "the search text does not occur in the file. Copy it character for character from the file as given (not from memory or from the finding).";
}

/** Where 1-based `line` of the original file is in the edited file (a line inside a replaced block maps to the block's start). */
export function mapLine(original: string, edited: string, applied: readonly AppliedEdit[], path: string, line: number): number {
  let offset = lineStart(original, line);
  for (const edit of applied) {
    if (edit.path !== path) continue;
    if (offset >= edit.start + edit.removed) offset += edit.inserted - edit.removed;
    else if (offset > edit.start) offset = edit.start;
  }
  return lineAt(edited, offset);
}

function lineStart(text: string, line: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const newline = text.indexOf("\n", offset);
    if (newline === -1) return text.length;
    offset = newline + 1;
  }
  return offset;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) line++;
  return line;
}

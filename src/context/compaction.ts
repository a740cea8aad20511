import type { Hunk } from "../domain/change-set.js";
import type { DuplicateHunk } from "../domain/window.js";
import { changedRange } from "./hunk-lines.js";
import { isIndentationSensitive } from "./syntax/languages.js";

/**
 * Ways of sending fewer tokens without reviewing less: whitespace-only hunks
 * are skipped (and reported), identical changes are reviewed once, and files
 * that only delete are shown as a short head and tail.
 */

export interface CompactionStats {
  identicalHunks: number;
  outlinedFiles: number;
  pureDeletionsSummarized: number;
  whitespaceOnlySkipped: number;
  longLinesClipped: number;
}

export function emptyCompactionStats(): CompactionStats {
  return { identicalHunks: 0, outlinedFiles: 0, pureDeletionsSummarized: 0, whitespaceOnlySkipped: 0, longLinesClipped: 0 };
}

export const SUMMARY_THRESHOLD_LINES = 60;
export const SUMMARY_HEAD_LINES = 12;
export const SUMMARY_TAIL_LINES = 6;

/** A file (as shown in a window) whose hunks only delete, and delete enough to be worth summarizing. */
export function isSummarizedDeletion(hunks: readonly Hunk[]): boolean {
  let deleted = 0;
  for (const hunk of hunks) {
    for (const line of hunk.lines) {
      if (line.kind === "add") return false;
      if (line.kind === "del") deleted++;
    }
  }
  return deleted > SUMMARY_THRESHOLD_LINES;
}

/**
 * True when the hunk changes nothing but whitespace: the deleted and added
 * lines are equal once whitespace outside string quotes is removed (so
 * re-indenting and re-wrapping count; a changed string literal does not). In
 * indentation-sensitive languages, each line's indentation must also be kept.
 */
export function isWhitespaceOnly(path: string, hunk: Hunk): boolean {
  const deleted: string[] = [];
  const added: string[] = [];
  for (const line of hunk.lines) {
    if (line.kind === "del") deleted.push(line.text);
    else if (line.kind === "add") added.push(line.text);
  }
  if (deleted.length === 0 && added.length === 0) return false;
  // Equal text once every whitespace character is gone is necessary for any notion below; most hunks fail it on length alone.
  if (nonWhitespaceLength(deleted) !== nonWhitespaceLength(added)) return false;
  if (deleted.join("").replace(/\s+/g, "") !== added.join("").replace(/\s+/g, "")) return false;
  if (isIndentationSensitive(path)) {
    const before = deleted.filter((t) => t.trim() !== "");
    const after = added.filter((t) => t.trim() !== "");
    return before.length === after.length && before.every((t, i) => leadingWhitespace(t) === leadingWhitespace(after[i]!) && squash(t) === squash(after[i]!));
  }
  return deleted.map(squash).join("") === added.map(squash).join("");
}

function nonWhitespaceLength(lines: readonly string[]): number {
  let n = 0;
  for (const line of lines) {
    for (let i = 0; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (
        c !== 32 &&
        c !== 9 &&
        c !== 13 &&
        c !== 11 &&
        c !== 12 &&
        c !== 0xa0 &&
        !(c >= 0x2000 && c <= 0x200a) &&
        c !== 0x2028 &&
        c !== 0x2029 &&
        c !== 0x3000 &&
        c !== 0xfeff &&
        c !== 0x1680 &&
        c !== 0x202f &&
        c !== 0x205f &&
        c !== 0x85
      )
        n++;
    }
  }
  return n;
}

function leadingWhitespace(text: string): string {
  return /^[ \t]*/.exec(text)![0];
}

/** Removes whitespace outside quoted strings (quotes are tracked within the line). */
function squash(text: string): string {
  let out = "";
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote !== "") {
      out += ch;
      if (ch === "\\") {
        out += text[i + 1] ?? "";
        i++;
      } else if (ch === quote) quote = "";
    } else if (ch === '"' || ch === "'" || ch === "`") {
      quote = ch;
      out += ch;
    } else if (!/\s/.test(ch)) out += ch;
  }
  return out;
}

/** Changed characters (whitespace aside) a hunk needs before identical occurrences are folded. */
const MIN_FOLDED_CHANGE_CHARS = 24;

/** Hunks longer than this are never folded: they may need splitting, and fan-out maps whole hunks. */
const MAX_DEDUPED_HUNK_LINES = 300;

/**
 * Identity of a hunk's change: its lines from the first to the last added or
 * deleted one, with whitespace runs collapsed. Surrounding context differs
 * between occurrences and is not part of it. Null when the hunk is not foldable.
 */
export function changeKey(hunk: Hunk): string | null {
  if (hunk.lines.length > MAX_DEDUPED_HUNK_LINES) return null;
  const range = changedRange(hunk);
  if (range === null) return null;
  const parts: string[] = [];
  let substance = 0;
  for (let i = range.first; i <= range.last; i++) {
    const line = hunk.lines[i]!;
    const text = line.text.trim().replace(/\s+/g, " ");
    if (line.kind !== "context") substance += text.replace(/ /g, "").length;
    parts.push(`${line.kind === "add" ? "+" : line.kind === "del" ? "-" : " "}${text}`);
  }
  // Tiny changes (a removed brace, a blank line) mean different things in different places: review each.
  return substance < MIN_FOLDED_CHANGE_CHARS ? null : parts.join("\n");
}

/** How line numbers of the representative's changed span translate to a duplicate's (same shape by construction). */
export function duplicateOf(representative: Hunk, duplicate: Hunk, path: string): DuplicateHunk {
  const a = changedRange(representative)!;
  const b = changedRange(duplicate)!;
  let right = 0;
  let left = 0;
  for (let i = 0; i <= a.last - a.first; i++) {
    const r = representative.lines[a.first + i]!;
    const d = duplicate.lines[b.first + i]!;
    if (r.newLine !== null && d.newLine !== null) right = d.newLine - r.newLine;
    if (r.oldLine !== null && d.oldLine !== null) left = d.oldLine - r.oldLine;
  }
  return { path, hunkIndex: duplicate.index, lineDelta: { RIGHT: right, LEFT: left } };
}

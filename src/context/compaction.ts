import type { Hunk } from "../domain/change-set.js";
import type { DuplicateHunk } from "../domain/window.js";
import { changedAnchors, changedRange } from "./hunk-lines.js";
import type { HeadFile } from "./surrounding-code.js";
import { isIndentationSensitive } from "./syntax/languages.js";

/**
 * Ways of sending fewer tokens: whitespace-only hunks are skipped (and
 * reported), identical changes in identical enclosing code are reviewed once,
 * and files that only delete are shown as a short head and tail. Coverage
 * counts each apart from the lines the model saw.
 */

export interface CompactionStats {
  identicalHunks: number;
  outlinedFiles: number;
  pureDeletionsSummarized: number;
  whitespaceOnlySkipped: number;
  longLinesClipped: number;
  /** Identical changes reviewed apart because their enclosing code differs. */
  identicalHunksInOtherContext: number;
  triagedFiles: number;
}

export function emptyCompactionStats(): CompactionStats {
  return {
    identicalHunks: 0,
    outlinedFiles: 0,
    pureDeletionsSummarized: 0,
    whitespaceOnlySkipped: 0,
    longLinesClipped: 0,
    identicalHunksInOtherContext: 0,
    triagedFiles: 0,
  };
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

/** Lines scanned upwards for enclosing headers; far enough for any function or describe block worth telling apart. */
const MAX_HEADER_SCAN_LINES = 2_000;
const MAX_HEADERS = 12;

/**
 * Identity of where a change sits: the headers of the blocks enclosing it
 * (each line above it with less indentation than everything below it: the
 * function, class, `describe(...)`, `if` it is in) and the hunk's own
 * unchanged lines. Two copies of a change are folded only when this matches
 * too: the same test lines in two different `describe` blocks may be right in
 * one and wrong in the other. `head` must agree with the hunk. Without it the
 * blocks are unknown (git's function context names one line, often the same
 * outer one), so only a change starting at the top level, outside any block,
 * has a key; null means: do not fold.
 */
export function enclosingKey(hunk: Hunk, head: HeadFile | null): string | null {
  const around = hunk.lines
    .filter((l) => l.kind === "context")
    .map((l) => collapse(l.text))
    .join("\n");
  if (head === null) {
    const firstChanged = hunk.lines.find((l) => l.kind !== "context");
    return firstChanged !== undefined && indentOf(firstChanged.text) === 0 && firstChanged.text.trim() !== "" ? `\u0002${around}` : null;
  }
  const headers = enclosingHeaders(hunk, head).map((h) => collapse(h.text));
  return `${headers.join("\n")}\u0002${around}`;
}

/** Head lines opening the blocks the hunk's first change sits in, outermost first. */
export function enclosingHeaders(hunk: Hunk, head: HeadFile): { line: number; text: string }[] {
  const anchors = changedAnchors(hunk);
  if (anchors === null) return [];
  const lines = head.lines;
  // The change's own indentation: its first added line, else the head line it sits at.
  const firstAdded = hunk.lines.find((l) => l.kind === "add");
  const own = firstAdded?.text ?? lines[anchors.first - 1] ?? "";
  let indent = own.trim() === "" ? Number.MAX_SAFE_INTEGER : indentOf(own);
  const headers: { line: number; text: string }[] = [];
  const stop = Math.max(1, anchors.first - MAX_HEADER_SCAN_LINES);
  for (let n = anchors.first - 1; n >= stop && indent > 0 && headers.length < MAX_HEADERS; n--) {
    const text = lines[n - 1];
    if (text === undefined || text.trim() === "") continue;
    const level = indentOf(text);
    if (level < indent) {
      headers.push({ line: n, text });
      indent = level;
    }
  }
  return headers.reverse();
}

function indentOf(text: string): number {
  let n = 0;
  for (; n < text.length; n++) {
    const c = text[n];
    if (c !== " " && c !== "\t") break;
  }
  return n;
}

function collapse(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

/** How line numbers of the representative's changed span translate to a duplicate's (same shape by construction). */
export function duplicateOf(representative: Hunk, duplicate: Hunk, path: string, ref: string): DuplicateHunk {
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
  return { path, hunkIndex: duplicate.index, hunk: duplicate, ref, lineDelta: { RIGHT: right, LEFT: left } };
}

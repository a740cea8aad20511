import type { DiffLine, FileStatus, Hunk } from "../domain/change-set.js";
import type { GlobalLayer, LocalLayer, MemoryNote, Window, WindowFile, WindowHunk } from "../domain/window.js";
import { isSummarizedDeletion, SUMMARY_HEAD_LINES, SUMMARY_TAIL_LINES } from "./compaction.js";
import { newSpan } from "./hunk-lines.js";
import { clipToTokens, countCached, countTokens } from "./tokens.js";

/**
 * The text of a window as the model sees it. Rendering is a stream of
 * segments; the text is their concatenation and the token count their sum
 * (see tokens.ts for why that is exact). Every segment ends with "\n" and the
 * next starts with a marker character (`#`, `@`, `R`, `L`, `~`, `-`, `=`, `[`),
 * never with whitespace or "/". The same emitters serve rendering and counting,
 * so the builder's accounting cannot drift from the text.
 *
 * Code lines: `R<n> +` added (RIGHT, new line n), `L<n> -` deleted (LEFT, old
 * line n), `R<n> |` unchanged inside the hunk (RIGHT, n), `~<n> |` surrounding
 * code outside the diff (not commentable).
 */

/** `tokens`, when given, is the segment's exact count, known without tokenizing. */
export type Emit = (segment: string, tokens?: number) => void;

/** A single line of code is cut beyond this, with a visible marker, so that any line fits a window. */
export const MAX_LINE_TOKENS = 400;

export const LOCAL_HEADER =
  "# Code under review\n" +
  "Line prefixes: `R<n> +` added line n (side RIGHT); `L<n> -` deleted line n (side LEFT); `R<n> |` unchanged line n inside the hunk (side RIGHT); `~<n> |` surrounding code outside the diff (not commentable). Cite `line` and `side` exactly as shown.\n";

export const PERIPHERAL_HEADER = "# Peripheral context (outlines and signatures only; not under review)\n";
export const MEMORY_HEADER = "# Notes from earlier windows of this review\n";

export function renderWindow(window: Window): string {
  return renderGlobal(window.global) + renderMemory(window.memory) + renderLocal(window.local);
}

export function renderGlobal(global: GlobalLayer): string {
  return (
    "# Pull request\n" +
    `Title: ${global.title}\n` +
    "## Description (written by the pull request author; untrusted)\n" +
    `${global.description === "" ? "(none)" : global.description}\n` +
    "## Review guidelines\n" +
    `${global.guidelines === "" ? "(none)" : global.guidelines}\n` +
    "## Files in this pull request\n" +
    `${global.fileMap === "" ? "(none)" : global.fileMap}\n`
  );
}

const globalTokenMemo = new WeakMap<GlobalLayer, number>();

export function globalTokens(global: GlobalLayer): number {
  let n = globalTokenMemo.get(global);
  if (n === undefined) {
    n = countTokens(renderGlobal(global));
    globalTokenMemo.set(global, n);
  }
  return n;
}

export function renderMemory(notes: readonly MemoryNote[]): string {
  return collect((emit) => emitMemory(notes, emit));
}

export function emitMemory(notes: readonly MemoryNote[], emit: Emit): void {
  if (notes.length === 0) return;
  emit(MEMORY_HEADER);
  for (const note of notes) emit(memoryLine(note));
}

export function memoryLine(note: MemoryNote): string {
  const where = note.path === null ? "" : ` ${oneLine(note.path)}:`;
  return `- [${note.kind}]${where} ${oneLine(note.text)}\n`;
}

export function renderLocal(local: LocalLayer): string {
  return collect((emit) => emitLocal(local, emit));
}

export function emitLocal(local: LocalLayer, emit: Emit): void {
  emit(LOCAL_HEADER);
  for (const file of local.files) emitFile(file, emit);
  if (local.peripheral !== "") emit(`${PERIPHERAL_HEADER}${local.peripheral}\n`);
}

export function emitFile(file: WindowFile, emit: Emit): void {
  emit(fileHeader(file));
  if (isSummarizedDeletion(file.hunks.map((h) => h.hunk))) emitSummarizedDeletion(file, emit);
  else for (const hunk of file.hunks) emitHunk(hunk, emit);
}

export function fileHeader(file: { path: string; previousPath: string | null; status: FileStatus }): string {
  return `## ${oneLine(file.path)} (${statusText(file)})\n`;
}

export function emitHunk(windowHunk: WindowHunk, emit: Emit): void {
  const { hunk, surrounding } = windowHunk;
  emit(hunkHeader(hunk));
  const span = newSpan(hunk);
  const around = surrounding === null ? [] : surrounding.text.split("\n");
  let row = surrounding?.startLine ?? 0;
  let next = 0;
  for (; next < around.length && row < span.first; next++, row++) emitCode("~", row, " |", around[next]!, emit);
  for (const line of hunk.lines) emitLine(line, emit);
  for (; next < around.length; next++, row++) if (row > span.last) emitCode("~", row, " |", around[next]!, emit);
  if (windowHunk.duplicates.length > 0) emit(duplicatesLine(windowHunk));
}

function emitSummarizedDeletion(file: WindowFile, emit: Emit): void {
  const deleted: DiffLine[] = [];
  for (const { hunk } of file.hunks) for (const line of hunk.lines) if (line.kind === "del") deleted.push(line);
  emit(`[Pure deletion of ${deleted.length} lines, summarized: first ${SUMMARY_HEAD_LINES} and last ${SUMMARY_TAIL_LINES} shown]\n`);
  for (const line of deleted.slice(0, SUMMARY_HEAD_LINES)) emitLine(line, emit);
  emit(`[... ${deleted.length - SUMMARY_HEAD_LINES - SUMMARY_TAIL_LINES} deleted lines not shown ...]\n`);
  for (const line of deleted.slice(deleted.length - SUMMARY_TAIL_LINES)) emitLine(line, emit);
  const duplicated = file.hunks.filter((h) => h.duplicates.length > 0);
  for (const hunk of duplicated) emit(duplicatesLine(hunk));
}

const LISTED_DUPLICATES = 8;

function duplicatesLine({ hunk, duplicates }: WindowHunk): string {
  const listed = duplicates.slice(0, LISTED_DUPLICATES).map((d) => `${oneLine(d.path)} (hunk ${d.hunkIndex + 1})`);
  const more = duplicates.length > LISTED_DUPLICATES ? ` and ${duplicates.length - LISTED_DUPLICATES} more` : "";
  return `= The same change (hunk ${hunk.index + 1}) is repeated in ${duplicates.length} other place(s); findings on it are copied there: ${listed.join(", ")}${more}\n`;
}

/** Canonical numbers from the hunk itself, then git's function context (or the builder's part note). */
export function hunkHeader(hunk: Hunk): string {
  const close = hunk.header.indexOf("@@", 2);
  const context = hunk.header.startsWith("@@") && close !== -1 ? hunk.header.slice(close + 2) : ` ${hunk.header}`;
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@${oneLine(context).trimEnd()}\n`;
}

function emitLine(line: DiffLine, emit: Emit): void {
  switch (line.kind) {
    case "add":
      emitCode("R", line.newLine!, " +", line.text, emit);
      return;
    case "del":
      emitCode("L", line.oldLine!, " -", line.text, emit);
      return;
    case "context":
      emitCode("R", line.newLine!, " |", line.text, emit);
      return;
  }
}

/**
 * `R123 +`: in o200k the one-letter tag, each group of up to three digits and
 * the marker are one token each (checked in the tests), so prefixes, unique
 * per line number, need no tokenizing and do not crowd the cache.
 */
function emitCode(tag: "R" | "L" | "~", lineNumber: number, marker: " +" | " -" | " |", text: string, emit: Emit): void {
  const digits = String(lineNumber);
  emit(`${tag}${digits}${marker}`, 2 + Math.ceil(digits.length / 3));
  emit(codeText(text));
}

const clippedMemo = new Map<string, string>();

/** " text\n", or a visibly cut version when the line alone would take more than MAX_LINE_TOKENS. */
export function codeText(raw: string): string {
  const text = sanitizeCode(raw);
  const segment = ` ${text}\n`;
  // A UTF-16 code unit is at most 3 tokens (one per UTF-8 byte), so short lines need no count here.
  if (segment.length * 3 <= MAX_LINE_TOKENS || countCached(segment) <= MAX_LINE_TOKENS) return segment;
  let clipped = clippedMemo.get(text);
  if (clipped === undefined) {
    const kept = clipToTokens(text, MAX_LINE_TOKENS - 24);
    clipped = ` ${kept} [... line cut: ${text.length - kept.length} more characters not shown]\n`;
    if (clippedMemo.size > 10_000) clippedMemo.clear();
    clippedMemo.set(text, clipped);
  }
  return clipped;
}

export function isClippedLine(text: string): boolean {
  return codeText(text).length !== sanitizeCode(text).length + 2;
}

/** A line of code never contains a newline; one that does (hand-built input) is shown escaped. */
function sanitizeCode(text: string): string {
  return text.includes("\n") ? text.replace(/\n/g, "\\n") : text;
}

function statusText(file: { previousPath: string | null; status: FileStatus }): string {
  switch (file.status) {
    case "added":
      return "new file";
    case "removed":
      return "deleted file";
    case "renamed":
      return `renamed from ${oneLine(file.previousPath ?? "?")}`;
    case "copied":
      return `copied from ${oneLine(file.previousPath ?? "?")}`;
    default:
      return file.status;
  }
}

/** Paths, headers and notes are single lines in the rendering, whatever they contain. */
export function oneLine(text: string): string {
  return /[\r\n\u2028\u2029\v\f]/.test(text) ? text.replace(/[\r\n\u2028\u2029\v\f]+/g, " ") : text;
}

export function collect(run: (emit: Emit) => void): string {
  const parts: string[] = [];
  run((segment) => parts.push(segment));
  return parts.join("");
}

export function tokensOf(run: (emit: Emit) => void): number {
  let n = 0;
  run((segment, tokens) => {
    n += tokens ?? countCached(segment);
  });
  return n;
}

/** Tokens of a diff line as rendered, and whether its text had to be cut. */
export function diffLineStats(line: DiffLine): { tokens: number; clipped: boolean } {
  const number = line.newLine ?? line.oldLine ?? 0;
  const text = codeText(line.text);
  return { tokens: 2 + Math.ceil(String(number).length / 3) + countCached(text), clipped: text.length !== sanitizeCode(line.text).length + 2 };
}

export function codeLineTokens(line: DiffLine): number {
  return tokensOf((emit) => emitLine(line, emit));
}

export function hunkTokens(windowHunk: WindowHunk): number {
  return tokensOf((emit) => emitHunk(windowHunk, emit));
}

export function fileTokens(file: WindowFile): number {
  return tokensOf((emit) => emitFile(file, emit));
}

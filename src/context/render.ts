import type { DiffLine, FileStatus, Hunk } from "../domain/change-set.js";
import type { GlobalLayer, LocalLayer, MemoryNote, TriageKind, Window, WindowFile, WindowHunk } from "../domain/window.js";
import { SUMMARY_HEAD_LINES, SUMMARY_TAIL_LINES } from "./compaction.js";
import { newSpan } from "./hunk-lines.js";
import { clipToTokens, countCached, countTokens } from "./tokens.js";
import { TRIAGE_LABEL } from "./triage.js";

/**
 * The text of a window as the model sees it. Rendering is a stream of
 * segments; the text is their concatenation and the token count their sum
 * (see tokens.ts for why that is exact). Every segment ends with "\n" and the
 * next starts with a marker character (`#`, `@`, `R`, `L`, `~`, `-`, `=`, `[`),
 * never with whitespace or "/". The same emitters serve rendering and counting
 * (through two sinks), so the builder's accounting cannot drift from the text;
 * the counting sink allocates nothing for code lines it has seen before.
 *
 * Code lines: `R<n> +` added (RIGHT, new line n), `L<n> -` deleted (LEFT, old
 * line n), `R<n> |` unchanged inside the hunk (RIGHT, n), `~<n> |` surrounding
 * code outside the diff (not commentable).
 */

/** Receives a rendering segment by segment: text, or a code line as its prefix parts and raw text. */
export interface Sink {
  text(segment: string): void;
  prefix(tag: "R" | "L" | "~", lineNumber: number, marker: " +" | " -" | " |"): void;
  code(raw: string): void;
}

/** A single line of code is cut beyond this, with a visible marker, so that any line fits a window. */
export const MAX_LINE_TOKENS = 400;

export const LOCAL_HEADER =
  "# Code under review\n" +
  "Line prefixes: `R<n> +` added line n (side RIGHT); `L<n> -` deleted line n (side LEFT); `R<n> |` unchanged line n inside the hunk (side RIGHT); `~<n> |` surrounding code outside the diff (not commentable). Cite `line` and `side` exactly as shown.\n";

export const PERIPHERAL_HEADER = "# Peripheral context (outlines and signatures only; not under review)\n";
export const IMPACT_HEADER =
  "# Impact on unchanged code (changed definitions of these files and where unchanged code uses them, as path:line; not under review)\n";
export const MEMORY_HEADER = "# Notes on this pull request (from the survey of the whole change and from windows reviewed earlier)\n";

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
  return collect((sink) => emitMemory(notes, sink));
}

export function emitMemory(notes: readonly MemoryNote[], sink: Sink): void {
  if (notes.length === 0) return;
  sink.text(MEMORY_HEADER);
  for (const note of notes) sink.text(memoryLine(note));
}

export function memoryLine(note: MemoryNote): string {
  const where = note.path === null ? "" : ` ${oneLine(note.path)}:`;
  return `- [${note.kind}]${where} ${oneLine(note.text)}\n`;
}

export function renderLocal(local: LocalLayer): string {
  return collect((sink) => emitLocal(local, sink));
}

export function emitLocal(local: LocalLayer, sink: Sink): void {
  sink.text(LOCAL_HEADER);
  for (const file of local.files) emitFile(file, sink);
  if (local.peripheral !== "") sink.text(`${PERIPHERAL_HEADER}${local.peripheral}\n`);
  if (local.impact !== undefined && local.impact !== "") sink.text(`${IMPACT_HEADER}${local.impact}\n`);
}

export function emitFile(file: WindowFile, sink: Sink): void {
  sink.text(fileHeader(file));
  const compacted = file.compacted ?? null;
  if (compacted === null) for (const hunk of file.hunks) emitHunk(hunk, sink);
  else if (compacted.kind === "summarized") emitSummarizedDeletion(file, compacted.ref, sink);
  else emitTriaged(file, compacted, sink);
}

export function fileHeader(file: { path: string; previousPath: string | null; status: FileStatus }): string {
  return `## ${oneLine(file.path)} (${statusText(file)})\n`;
}

export function emitHunk(windowHunk: WindowHunk, sink: Sink): void {
  const { hunk, surrounding } = windowHunk;
  sink.text(hunkHeader(hunk));
  const span = newSpan(hunk);
  const around = surrounding === null ? [] : surroundingLines(surrounding);
  // Headers of the enclosing blocks, above whatever else is shown.
  const firstShown = surrounding === null ? span.first : Math.min(surrounding.startLine, span.first);
  for (const header of windowHunk.enclosing ?? []) if (header.line < firstShown) emitCode("~", header.line, " |", header.text, sink);
  let row = surrounding?.startLine ?? 0;
  let next = 0;
  for (; next < around.length && row < span.first; next++, row++) emitCode("~", row, " |", around[next]!, sink);
  for (const line of hunk.lines) emitLine(line, sink);
  for (; next < around.length; next++, row++) if (row > span.last) emitCode("~", row, " |", around[next]!, sink);
  if (windowHunk.duplicates.length > 0) sink.text(duplicatesLine(windowHunk));
}

const splitMemo = new WeakMap<object, readonly string[]>();

/** The surrounding text's lines, split once per surrounding object (it is emitted several times while planning). */
export function surroundingLines(surrounding: { readonly text: string }): readonly string[] {
  let lines = splitMemo.get(surrounding);
  if (!lines) {
    lines = surrounding.text.split("\n");
    splitMemo.set(surrounding, lines);
  }
  return lines;
}

/** Ref ids are plan-made (`c12`); anything else in one (hand-built input) is dropped so the note stays one line. */
function refText(ref: string): string {
  return ref.replace(/[^A-Za-z0-9_-]/g, "").slice(0, 24);
}

/** Which deleted lines a summary shows: the first and the last ones (all when there are few). */
export function summaryShown(deleted: number): { head: number; tail: number } {
  if (deleted <= SUMMARY_HEAD_LINES + SUMMARY_TAIL_LINES) return { head: deleted, tail: 0 };
  return { head: SUMMARY_HEAD_LINES, tail: SUMMARY_TAIL_LINES };
}

function emitSummarizedDeletion(file: WindowFile, ref: string, sink: Sink): void {
  const deleted: DiffLine[] = [];
  for (const { hunk } of file.hunks) for (const line of hunk.lines) if (line.kind === "del") deleted.push(line);
  const { head, tail } = summaryShown(deleted.length);
  sink.text(`[Pure deletion of ${deleted.length} lines, summarized: first ${head} and last ${tail} shown; the whole deletion: expand ${refText(ref)}]\n`);
  for (const line of deleted.slice(0, head)) emitLine(line, sink);
  if (tail > 0) {
    sink.text(`[... ${deleted.length - head - tail} deleted lines not shown ...]\n`);
    for (const line of deleted.slice(deleted.length - tail)) emitLine(line, sink);
  }
  const duplicated = file.hunks.filter((h) => h.duplicates.length > 0);
  for (const hunk of duplicated) sink.text(duplicatesLine(hunk));
}

/** The changed lines a triaged file shows: added lines first (what it now says), then deleted ones. */
export function triageShownLines(file: WindowFile, shown: number): DiffLine[] {
  const added: DiffLine[] = [];
  const deleted: DiffLine[] = [];
  for (const { hunk } of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind === "add" && added.length < shown) added.push(line);
      else if (line.kind === "del" && deleted.length < shown) deleted.push(line);
    }
  }
  return [...added, ...deleted].slice(0, shown);
}

function emitTriaged(file: WindowFile, compacted: { ref: string; triage: TriageKind; shownLines: number }, sink: Sink): void {
  let added = 0;
  let deleted = 0;
  for (const { hunk } of file.hunks) {
    for (const line of hunk.lines) {
      if (line.kind === "add") added++;
      else if (line.kind === "del") deleted++;
    }
  }
  const lines = triageShownLines(file, compacted.shownLines);
  sink.text(
    `[${TRIAGE_LABEL[compacted.triage]}, listed only (not reviewed line by line): ${added} added and ${deleted} deleted lines; ${lines.length === added + deleted ? "all" : lines.length} shown; the whole change: expand ${refText(compacted.ref)}]\n`,
  );
  for (const line of lines) emitLine(line, sink);
}

const LISTED_DUPLICATES = 8;

/** The list of other places stays short whatever their paths: at most 8, within this many tokens. */
export const DUPLICATES_LIST_TOKENS = 120;

function duplicatesLine({ hunk, duplicates }: WindowHunk): string {
  const listed: string[] = [];
  let used = 0;
  for (const d of duplicates.slice(0, LISTED_DUPLICATES)) {
    const entry = `${oneLine(d.path)} (hunk ${d.hunkIndex + 1}, ${refText(d.ref)})`;
    const cost = countCached(entry);
    if (used + cost > DUPLICATES_LIST_TOKENS) break;
    listed.push(entry);
    used += cost;
  }
  const more = duplicates.length > listed.length ? ` and ${duplicates.length - listed.length} more` : "";
  return `= The same change in the same enclosing code (hunk ${hunk.index + 1}) is repeated in ${duplicates.length} other place(s); findings on it are copied there (expand a copy by its ref): ${listed.join(", ")}${more}\n`;
}

/** Git keeps a function line of ~80 bytes; a hand-built header could hold anything. */
const MAX_HEADER_CONTEXT_CHARS = 200;

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = /[\uD800-\uDBFF]$/.test(text.slice(0, max)) ? max - 1 : max;
  return `${text.slice(0, cut)}...`;
}

/** Canonical numbers from the hunk itself, then git's function context (or the builder's part note). */
export function hunkHeader(hunk: Hunk): string {
  const close = hunk.header.indexOf("@@", 2);
  const context = hunk.header.startsWith("@@") && close !== -1 ? hunk.header.slice(close + 2) : ` ${hunk.header}`;
  return `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@${shorten(oneLine(context).trimEnd(), MAX_HEADER_CONTEXT_CHARS)}\n`;
}

function emitLine(line: DiffLine, sink: Sink): void {
  switch (line.kind) {
    case "add":
      emitCode("R", line.newLine!, " +", line.text, sink);
      return;
    case "del":
      emitCode("L", line.oldLine!, " -", line.text, sink);
      return;
    case "context":
      emitCode("R", line.newLine!, " |", line.text, sink);
      return;
  }
}

function emitCode(tag: "R" | "L" | "~", lineNumber: number, marker: " +" | " -" | " |", text: string, sink: Sink): void {
  sink.prefix(tag, lineNumber, marker);
  sink.code(text);
}

/**
 * `R123 +`: in o200k the one-letter tag, each group of up to three digits and
 * the marker are one token each (checked in the tests), so prefixes, unique
 * per line number, need no tokenizing and do not crowd the cache.
 */
export function prefixTokens(lineNumber: number): number {
  let digits = 1;
  for (let n = Math.abs(lineNumber); n >= 10; n = Math.floor(n / 10)) digits++;
  return 2 + Math.ceil(digits / 3);
}

const codeTokenCache = new Map<string, number>();

/** Tokens of a code line's text part as rendered (clipped when long), by its raw text. */
export function codeTokens(raw: string): number {
  const hit = codeTokenCache.get(raw);
  if (hit !== undefined) return hit;
  const n = countTokens(codeText(raw));
  if (codeTokenCache.size >= 250_000) codeTokenCache.clear();
  codeTokenCache.set(raw, n);
  return n;
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

export function collect(run: (sink: Sink) => void): string {
  const parts: string[] = [];
  run({
    text: (segment) => parts.push(segment),
    prefix: (tag, lineNumber, marker) => parts.push(`${tag}${lineNumber}${marker}`),
    code: (raw) => parts.push(codeText(raw)),
  });
  return parts.join("");
}

export function tokensOf(run: (sink: Sink) => void): number {
  let n = 0;
  run({
    text: (segment) => {
      n += countCached(segment);
    },
    prefix: (_tag, lineNumber) => {
      n += prefixTokens(lineNumber);
    },
    code: (raw) => {
      n += codeTokens(raw);
    },
  });
  return n;
}

/** Tokens of a diff line as rendered, and whether its text had to be cut. */
export function diffLineStats(line: DiffLine): { tokens: number; clipped: boolean } {
  const tokens = prefixTokens(line.newLine ?? line.oldLine ?? 0) + codeTokens(line.text);
  // Only a line that could exceed the limit (3 tokens per UTF-16 unit at most) may have been cut.
  const clipped = (line.text.length + 2) * 3 > MAX_LINE_TOKENS && codeText(line.text).length !== sanitizeCode(line.text).length + 2;
  return { tokens, clipped };
}

export function codeLineTokens(line: DiffLine): number {
  return tokensOf((sink) => emitLine(line, sink));
}

export function hunkTokens(windowHunk: WindowHunk): number {
  return tokensOf((sink) => emitHunk(windowHunk, sink));
}

export function fileTokens(file: WindowFile): number {
  return tokensOf((sink) => emitFile(file, sink));
}

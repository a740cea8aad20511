import type { WindowFile } from "../domain/window.js";
import type { ReviewFile } from "./review-files.js";
import { changedAnchors, newSpan } from "./hunk-lines.js";
import type { Relation } from "./relations.js";
import { oneLine, surroundingLines } from "./render.js";
import type { HeadFile } from "./surrounding-code.js";
import { innermostDefAt, type SymbolDef } from "./syntax/outline.js";
import { countCached } from "./tokens.js";

/**
 * Peripheral context: what a window's code calls and what it is related to,
 * as one-line signatures and outlines instead of bodies. Definitions come
 * from the outlines of the pull request's changed files; related files are
 * those linked by tests or imports and reviewed in other windows.
 */

export interface SymbolRef {
  readonly head: HeadFile;
  readonly def: SymbolDef;
}

export interface PeripheralIndex {
  /** Definitions by name, across changed files with head content. */
  readonly symbols: ReadonlyMap<string, readonly SymbolRef[]>;
  /** Related changed files, both directions. */
  readonly related: ReadonlyMap<string, ReadonlySet<string>>;
  /** One line describing where a file changes ("changes in parse(), class Lexer"). */
  readonly changeSummary: ReadonlyMap<string, string>;
}

/** A name defined in more places than this is too ambiguous to point at. */
const MAX_REFS_PER_NAME = 2;
const MAX_SIGNATURE_CHARS = 200;

export function symbolRefs(head: HeadFile): SymbolRef[] {
  return head.quickOutline().defs.map((def) => ({ head, def }));
}

function signatureOf(head: HeadFile, def: SymbolDef): string {
  // The first line naming the definition (decorators and annotations come before it).
  for (let line = def.startLine; line <= Math.min(def.endLine, def.startLine + 5); line++) {
    const text = head.lines[line - 1] ?? "";
    if (text.includes(def.name)) return oneLine(text.trim()).slice(0, MAX_SIGNATURE_CHARS);
  }
  return oneLine((head.lines[def.startLine - 1] ?? "").trim()).slice(0, MAX_SIGNATURE_CHARS);
}

/** Calls, constructions and capitalized type names; a name right after a definition keyword is being defined, not used. */
const CALL =
  /(?<!\b(?:def|function|func|fn|class|interface|struct|type|enum|trait)\s+)(?<![\w$])([A-Za-z_$][\w$]*)\s*\(|\bnew\s+([A-Za-z_$][\w$]*)|(?<!\b(?:def|function|func|fn|class|interface|struct|type|enum|trait)\s+)\b([A-Z][\w$]*)\b/g;
const NOT_CALLS = new Set([
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "return",
  "function",
  "typeof",
  "await",
  "super",
  "this",
  "new",
  "import",
  "require",
  "print",
  "len",
  "str",
  "int",
  "dict",
  "list",
  "set",
  "range",
  "isinstance",
  "make",
  "append",
  "func",
  "def",
  "class",
  "elif",
  "String",
  "Number",
  "Boolean",
  "Object",
  "Array",
  "Promise",
  "Error",
  "Map",
  "Set",
  "JSON",
  "Math",
  "Date",
  "None",
  "True",
  "False",
]);

export interface PeripheralResult {
  readonly text: string;
  readonly tokens: number;
  readonly outlinedFiles: number;
}

/**
 * Lines for one window, most useful first, while they fit `capTokens`
 * (header included). `windowsOf` tells where other files are reviewed.
 */
export function peripheralFor(
  files: readonly WindowFile[],
  index: PeripheralIndex,
  windowsOf: (path: string) => readonly string[],
  capTokens: number,
  headerTokens: number,
): PeripheralResult {
  const here = new Set(files.map((f) => f.path));
  const shown = shownRanges(files);
  const entries: { line: string; outline: boolean }[] = [];
  const seenDefs = new Set<string>();

  for (const name of calledNames(files)) {
    const refs = index.symbols.get(name);
    if (!refs || refs.length > MAX_REFS_PER_NAME) continue;
    for (const ref of refs) {
      const key = `${ref.head.path}:${ref.def.startLine}`;
      if (seenDefs.has(key) || isShown(shown, ref)) continue;
      seenDefs.add(key);
      entries.push({ line: `- ${oneLine(ref.head.path)}:${ref.def.startLine} ${signatureOf(ref.head, ref.def)}`, outline: false });
    }
  }

  const related = new Set<string>();
  for (const path of [...here].sort()) for (const other of index.related.get(path) ?? []) if (!here.has(other)) related.add(other);
  for (const path of [...related].sort()) {
    const where = windowsOf(path);
    const reviewed = where.length > 0 ? `reviewed in ${where.join(", ")}` : "its changes were skipped";
    const summary = index.changeSummary.get(path);
    entries.push({ line: `- ${oneLine(path)} (related changed file, ${reviewed})${summary ? `: ${summary}` : ""}`, outline: true });
  }

  const kept: string[] = [];
  let tokens = 0;
  let outlinedFiles = 0;
  for (const entry of entries) {
    const cost = countCached(`${entry.line}\n`);
    if (headerTokens + tokens + cost > capTokens) continue;
    kept.push(entry.line);
    tokens += cost;
    if (entry.outline) outlinedFiles++;
  }
  if (kept.length === 0) return { text: "", tokens: 0, outlinedFiles: 0 };
  return { text: kept.join("\n"), tokens: headerTokens + tokens, outlinedFiles };
}

function calledNames(files: readonly WindowFile[]): string[] {
  const names = new Set<string>();
  for (const file of files) {
    for (const { hunk } of file.hunks) {
      for (const line of hunk.lines) {
        if (line.kind !== "add") continue;
        for (const m of line.text.matchAll(CALL)) {
          const name = m[1] ?? m[2] ?? m[3];
          if (name !== undefined && name.length > 2 && !NOT_CALLS.has(name)) names.add(name);
        }
      }
    }
  }
  return [...names];
}

function shownRanges(files: readonly WindowFile[]): Map<string, [number, number][]> {
  const ranges = new Map<string, [number, number][]>();
  for (const file of files) {
    const list = ranges.get(file.path) ?? [];
    for (const { hunk, surrounding } of file.hunks) {
      const span = newSpan(hunk);
      const start = surrounding?.startLine ?? span.first;
      const end = surrounding === null ? span.last : Math.max(span.last, surrounding.startLine + surroundingLines(surrounding).length - 1);
      list.push([Math.min(start, span.first), end]);
    }
    ranges.set(file.path, list);
  }
  return ranges;
}

function isShown(shown: Map<string, [number, number][]>, ref: SymbolRef): boolean {
  return (shown.get(ref.head.path) ?? []).some(([a, b]) => ref.def.startLine <= b && ref.def.endLine >= a);
}

/** Definitions by name, related files and change summaries, for every window of a plan. */
export function buildPeripheralIndex(reviewFiles: readonly ReviewFile[], relations: readonly Relation[]): PeripheralIndex {
  const symbols = new Map<string, SymbolRef[]>();
  const changeSummary = new Map<string, string>();
  for (const review of reviewFiles) {
    const head: HeadFile | null = review.head;
    if (head === null) continue;
    for (const ref of symbolRefs(head)) {
      const list = symbols.get(ref.def.name);
      if (list) list.push(ref);
      else symbols.set(ref.def.name, [ref]);
    }
    const outline = head.quickOutline();
    const names: string[] = [];
    for (const hunk of review.hunks) {
      const anchor = changedAnchors(hunk);
      const def = anchor === null ? null : innermostDefAt(outline, anchor.first);
      const name = def === null ? "top-level code" : `${def.kind} ${def.name}`;
      if (!names.includes(name)) names.push(name);
    }
    changeSummary.set(review.file.path, `changes in ${names.slice(0, 6).join(", ")}${names.length > 6 ? `, and ${names.length - 6} more` : ""}`);
  }
  const related = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    const set = related.get(a) ?? new Set<string>();
    set.add(b);
    related.set(a, set);
  };
  for (const r of relations) {
    link(r.from, r.to);
    link(r.to, r.from);
  }
  return { symbols, related, changeSummary };
}

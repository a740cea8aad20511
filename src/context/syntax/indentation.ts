import type { SymbolKind } from "./languages.js";
import { makeOutline, type Outline, type SymbolDef } from "./outline.js";

/**
 * Language-agnostic fallback: definitions are lines that look like one
 * (keywords such as `def`, `function`, `class`, `func`, `fn`, or a call-like
 * signature ending in `{`), and a definition lasts until the next non-blank
 * line indented at or left of it (a closing `}` / `end` at its own level
 * belongs to it). Used for languages without a grammar and whenever
 * tree-sitter is not available.
 */

const MODIFIERS = String.raw`(?:(?:export|default|public|private|protected|internal|static|final|abstract|async|override|sealed|open|inline|virtual|extern|unsafe|local|pub(?:\([^)]*\))?|partial|readonly|declare)\s+)*`;
const KEYWORD_DEF = new RegExp(
  String.raw`^\s*${MODIFIERS}(function\*?|def|class|func|fn|interface|struct|enum|trait|impl|module|namespace|object|sub|procedure|record|proc|macro|fun|type)\s+(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)`,
);
const ARROW_DEF =
  /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/;
const SIGNATURE_DEF = /^\s*(?:[\w$<>[\],.?*&:]+\s+)*?([A-Za-z_$~][\w$]*)\s*\([^;]*\)\s*(?:[\w\s,.<>:&*]*)\{\s*$/;
const CONTROL = new Set([
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "else",
  "do",
  "try",
  "return",
  "synchronized",
  "foreach",
  "using",
  "lock",
  "with",
  "when",
  "match",
  "elif",
  "unless",
  "until",
  "loop",
]);

const KIND_BY_KEYWORD: Readonly<Record<string, SymbolKind>> = {
  class: "class",
  struct: "class",
  object: "class",
  record: "class",
  impl: "class",
  trait: "interface",
  interface: "interface",
  enum: "enum",
  module: "namespace",
  namespace: "namespace",
  type: "type",
};

export function indentationOutline(lines: readonly string[]): Outline {
  const defs: SymbolDef[] = [];
  const open: { name: string; kind: SymbolKind; start: number; indent: number }[] = [];
  // Every open definition started before this line, so the last non-blank line is inside all of them.
  let lastNonBlank = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    const indent = indentWidth(line);
    const lineNo = i + 1;
    let consumedAsCloser = false;
    while (open.length > 0) {
      const top = open[open.length - 1]!;
      if (indent > top.indent) break;
      if (indent === top.indent && isSignatureContinuation(line)) break;
      const closes = indent === top.indent && !consumedAsCloser && isCloser(line);
      if (closes) consumedAsCloser = true;
      defs.push({ name: top.name, kind: top.kind, startLine: top.start, endLine: closes ? lineNo : lastNonBlank });
      open.pop();
    }
    lastNonBlank = lineNo;
    const def = consumedAsCloser ? null : matchDefinition(line);
    if (def) open.push({ ...def, start: decoratedStart(lines, i, indent) + 1, indent });
  }
  for (const top of open) defs.push({ name: top.name, kind: top.kind, startLine: top.start, endLine: lastNonBlank });
  return makeOutline("indentation", defs);
}

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 12 && c !== 11) return false;
  }
  return true;
}

/**
 * The indentation block around lines first..last (1-based) when no definition
 * encloses them: from the nearest less-indented line above to the end of its block.
 */
export function enclosingBlock(lines: readonly string[], first: number, last: number): { start: number; end: number } | null {
  let base = Infinity;
  for (let n = first; n <= last; n++) {
    const line = lines[n - 1];
    if (line !== undefined && line.trim() !== "") base = Math.min(base, indentWidth(line));
  }
  if (base === Infinity || base === 0) return null;
  let start = -1;
  for (let n = first - 1; n >= 1; n--) {
    const line = lines[n - 1]!;
    if (line.trim() !== "" && indentWidth(line) < base) {
      start = n;
      break;
    }
  }
  if (start === -1) return null;
  const parentIndent = indentWidth(lines[start - 1]!);
  let end = last;
  for (let n = last + 1; n <= lines.length; n++) {
    const line = lines[n - 1]!;
    if (line.trim() === "") continue;
    const indent = indentWidth(line);
    if (indent <= parentIndent) {
      if (indent === parentIndent && isCloser(line)) end = n;
      break;
    }
    end = n;
  }
  return { start, end };
}

export function indentWidth(line: string): number {
  let width = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 32) width++;
    else if (c === 9) width += 4 - (width % 4);
    else return width;
  }
  return width;
}

const DEF_WORD = /\b(function|def|class|func|fn|interface|struct|enum|trait|impl|module|namespace|object|sub|procedure|record|proc|macro|fun|type)\b/;

function matchDefinition(line: string): { name: string; kind: SymbolKind } | null {
  const keyword = DEF_WORD.test(line) ? KEYWORD_DEF.exec(line) : null;
  if (keyword?.[1] && keyword[2]) {
    const word = keyword[1].replace("*", "");
    return { name: keyword[2], kind: KIND_BY_KEYWORD[word] ?? "function" };
  }
  const arrow = line.includes("=>") || line.includes("function") ? ARROW_DEF.exec(line) : null;
  if (arrow?.[1]) return { name: arrow[1], kind: "function" };
  const signature = line.trimEnd().endsWith("{") && line.includes("(") ? SIGNATURE_DEF.exec(line) : null;
  if (signature?.[1] && !CONTROL.has(signature[1]) && !/^\s*[}.]/.test(line) && !/=\s*[^=]*\(/.test(line)) {
    return { name: signature[1], kind: "function" };
  }
  return null;
}

function isCloser(line: string): boolean {
  const t = line.trim();
  return /^(\}|\)|\]|end\b|fi\b|done\b|esac\b)/.test(t) && !/[{([]\s*$/.test(t);
}

/** `) {` or `) -> int:` finishing a signature that spans lines. */
function isSignatureContinuation(line: string): boolean {
  return /^\s*\)[^{}]*[{:]\s*$/.test(line);
}

/** Decorators and annotations directly above a definition belong to it. */
function decoratedStart(lines: readonly string[], index: number, indent: number): number {
  let start = index;
  while (start > 0) {
    const above = lines[start - 1]!;
    if (above.trim().startsWith("@") && indentWidth(above) === indent) start--;
    else break;
  }
  return start;
}

import type { ApiSignature, ParameterInfo } from "../domain/impact.js";
import type { LanguageId } from "../context/syntax/languages.js";
import { clipLine } from "./tool-text.js";

/**
 * A definition's signature read from its first lines: the text up to where
 * its body starts, its parameters (split at top-level commas) and its return
 * type. Works on the text of TypeScript/JavaScript, Python, Go and Java
 * definitions; anything it cannot read gives null parameters, never a guess.
 */

const MAX_SIGNATURE_LINES = 12;
const MAX_SIGNATURE_CHARS = 400;

export function readSignature(lines: readonly string[], outlineStart: number, name: string, language: LanguageId | null): ApiSignature {
  // Outlines start a definition at its decorators/annotations; the signature starts after them.
  let startLine = outlineStart;
  while (
    startLine < outlineStart + MAX_SIGNATURE_LINES &&
    startLine < lines.length &&
    /^\s*@/.test(lines[startLine - 1] ?? "") &&
    !findsName(lines[startLine - 1]!, name)
  ) {
    startLine++;
  }
  const collected: string[] = [];
  for (let n = startLine; n < startLine + MAX_SIGNATURE_LINES && n <= lines.length; n++) {
    collected.push((lines[n - 1] ?? "").trim());
    const joined = collected.join(" ");
    if (bodyStart(joined, name, language) !== null) break;
  }
  const joined = collected.join(" ").replace(/\s+/g, " ");
  const body = bodyStart(joined, name, language);
  const head = (body === null ? joined : joined.slice(0, body)).trim();
  const params = parameterSpan(head, name);
  const parameters = params === null ? null : splitTopLevel(head.slice(params.open + 1, params.close)).flatMap((p) => parameterOf(p, language));
  const returnType = params === null ? null : returnTypeOf(head.slice(params.close + 1), language);
  return { text: clipLine(head, MAX_SIGNATURE_CHARS), line: startLine, parameters, returnType };
}

/** Where the body starts (`{` after the parameters, Python's `:`, an arrow's body), or null when not seen yet. */
function bodyStart(text: string, name: string, language: LanguageId | null): number | null {
  const params = parameterSpan(text, name);
  if (params === null) {
    const brace = text.indexOf("{");
    return brace === -1 ? null : brace;
  }
  const rest = text.slice(params.close + 1);
  if (language === "python") {
    const colon = lastTopLevelColon(rest);
    return colon === null ? null : params.close + 1 + colon;
  }
  const arrow = rest.indexOf("=>");
  const brace = indexAtDepth0(rest, "{");
  const candidates = [arrow, brace].filter((i) => i !== -1);
  if (candidates.length === 0) return rest.trimEnd().endsWith(";") ? params.close + 1 + rest.trimEnd().length - 1 : null;
  return params.close + 1 + Math.min(...candidates);
}

/** The parameter list: the first balanced `( … )` after the name (Go receivers come before the name). */
function parameterSpan(text: string, name: string): { open: number; close: number } | null {
  const at = findWord(text, name);
  if (at === -1) return null;
  const open = text.indexOf("(", at + name.length);
  if (open === -1) return null;
  // Only whitespace, `=`, type parameters, `async`, `function` and `:` types may sit between the name and the list.
  const between = text.slice(at + name.length, open);
  if (!/^\s*(?:<[^()]*>)?\s*(?:[:=][^()]*)?\s*(?:async\s*)?(?:function\s*\*?\s*)?(?:<[^()]*>)?\s*$/.test(between)) return null;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return { open, close: i };
  }
  return null;
}

/** A decorator line that also holds the definition (`@Get() async handle(…)`, `@dataclass class X:`) is the signature's start. */
function findsName(line: string, name: string): boolean {
  const n = name.replace(/\$/g, "\\$");
  return new RegExp(
    `\\b(?:def|function|class|func|interface|type|enum)\\s+${n}(?![\\w$])|\\)\\s+(?:(?:public|private|protected|static|async)\\s+)*${n}\\s*[(<]`,
  ).test(line);
}

function findWord(text: string, name: string): number {
  let from = 0;
  for (;;) {
    const i = text.indexOf(name, from);
    if (i === -1) return -1;
    const before = i === 0 ? "" : text[i - 1]!;
    const after = text[i + name.length] ?? "";
    if (!/[\w$]/.test(before) && !/[\w$]/.test(after)) return i;
    from = i + 1;
  }
}

function indexAtDepth0(text: string, char: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === char && depth === 0) return i;
    if (c === "(" || c === "[" || c === "<") depth++;
    else if ((c === ")" || c === "]" || (c === ">" && text[i - 1] !== "=")) && depth > 0) depth--;
  }
  return -1;
}

function lastTopLevelColon(text: string): number | null {
  const trimmed = text.trimEnd();
  return trimmed.endsWith(":") ? trimmed.length - 1 : null;
}

/** Splits at commas outside brackets, strings and generic angle brackets. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== null) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'" || c === "`") quote = c;
    else if (c === "(" || c === "[" || c === "{" || c === "<") depth++;
    else if ((c === ")" || c === "]" || c === "}" || (c === ">" && text[i - 1] !== "=")) && depth > 0) depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== "");
}

function parameterOf(raw: string, language: LanguageId | null): ParameterInfo[] {
  let text = raw.replace(/^(?:public|private|protected|readonly|override|final)\s+/g, "").trim();
  if (language === "python" && (text === "*" || text === "/" || text === "self" || text === "cls")) return [];
  if (language === "java") text = text.replace(/^@\w+\s+/, "");
  const rest = /^(\.\.\.|\*\*?)/.test(text) || (language === "go" && /\.\.\./.test(text)) || (language === "java" && /\.\.\.\s*\w+$/.test(text));
  text = text.replace(/^(\.\.\.|\*\*?)/, "");
  const eq = topLevelEquals(text);
  const defaultText = eq === -1 ? null : text.slice(eq + 1).trim();
  const declared = eq === -1 ? text : text.slice(0, eq).trim();
  let name: string;
  if (language === "java") name = declared.split(/\s+/).pop() ?? declared;
  else name = (/^[A-Za-z_$][\w$]*/.exec(declared)?.[0] ?? declared).trim();
  const optional = rest || defaultText !== null || /^[A-Za-z_$][\w$]*\?/.test(declared);
  return [{ name: clipLine(name, 80), optional, rest, defaultText: defaultText === null ? null : clipLine(defaultText, 80) }];
}

function topLevelEquals(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "(" || c === "[" || c === "{" || c === "<") depth++;
    else if ((c === ")" || c === "]" || c === "}" || (c === ">" && text[i - 1] !== "=")) && depth > 0) depth--;
    else if (c === "=" && depth === 0 && text[i + 1] !== ">" && text[i + 1] !== "=" && text[i - 1] !== "=" && text[i - 1] !== "!") return i;
  }
  return -1;
}

function returnTypeOf(afterParams: string, language: LanguageId | null): string | null {
  const text = afterParams.trim();
  if (language === "python") {
    const m = /^->\s*(.+?)\s*:?\s*$/.exec(text);
    return m ? clipLine(m[1]!, 120) : null;
  }
  if (language === "go") {
    const t = text.replace(/\{.*$/, "").trim();
    return t === "" ? null : clipLine(t, 120);
  }
  const m = /^:\s*(.+?)\s*(?:=>|\{|;|$)/.exec(text);
  return m ? clipLine(m[1]!, 120) : null;
}

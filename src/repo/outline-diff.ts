import type { Outliner } from "../context/syntax/outliner.js";
import { languageOf, type LanguageId, type SymbolKind } from "../context/syntax/languages.js";
import type { ApiChangeKind, ApiSignature, SignatureAspect } from "../domain/impact.js";
import { readSignature } from "./signature.js";
import { splitLines } from "./tool-text.js";

/**
 * Base vs head outline of one file: which exported definitions changed their
 * signature, disappeared, were renamed, or kept their signature but changed
 * their body. Pure; outlines come from the given outliner (tree-sitter where
 * the language has a grammar).
 */

export interface DefinitionChange {
  readonly symbol: string;
  /** Qualified by enclosing definitions ("Session.refresh"). */
  readonly qualified: string;
  readonly kind: ApiChangeKind;
  readonly renamedTo: string | null;
  readonly aspects: readonly SignatureAspect[];
  readonly before: ApiSignature;
  readonly after: ApiSignature | null;
}

interface Definition {
  readonly name: string;
  readonly qualified: string;
  readonly kind: SymbolKind;
  readonly exported: boolean;
  readonly signature: ApiSignature;
  readonly body: string;
}

const CALLABLE: ReadonlySet<SymbolKind> = new Set(["function", "method", "class"]);

export function diffOutlines(path: string, baseText: string, headText: string, outliner: Outliner): DefinitionChange[] {
  const language = languageOf(path);
  const base = definitionsOf(`base:${path}`, path, baseText, language, outliner);
  const head = definitionsOf(`head:${path}`, path, headText, language, outliner);
  const headByKey = new Map(head.map((d) => [d.qualified, d]));
  const baseKeys = new Set(base.map((d) => d.qualified));
  const newcomers = head.filter((d) => !baseKeys.has(d.qualified));
  const changes: DefinitionChange[] = [];
  for (const before of base) {
    if (!before.exported) continue;
    const after = headByKey.get(before.qualified);
    if (after) {
      if (normalize(before.signature.text) !== normalize(after.signature.text)) {
        const aspects = signatureAspects(before.signature, after.signature);
        changes.push({
          symbol: before.name,
          qualified: before.qualified,
          kind: "signature-changed",
          renamedTo: null,
          aspects,
          before: before.signature,
          after: after.signature,
        });
      } else if (CALLABLE.has(before.kind) && before.kind !== "class" && normalize(before.body) !== normalize(after.body)) {
        changes.push({
          symbol: before.name,
          qualified: before.qualified,
          kind: "body-changed",
          renamedTo: null,
          aspects: [],
          before: before.signature,
          after: after.signature,
        });
      }
      continue;
    }
    const renamed = newcomers.find((d) => d.kind === before.kind && parent(d.qualified) === parent(before.qualified) && sameShape(before, d));
    changes.push({
      symbol: before.name,
      qualified: before.qualified,
      kind: renamed ? "renamed" : "removed",
      renamedTo: renamed?.name ?? null,
      aspects: renamed ? signatureAspects(before.signature, renamed.signature) : [],
      before: before.signature,
      after: renamed?.signature ?? null,
    });
  }
  return changes;
}

function definitionsOf(cacheKey: string, path: string, text: string, language: LanguageId | null, outliner: Outliner): Definition[] {
  if (text === "") return [];
  const lines = splitLines(text);
  const outline = outliner.outline(cacheKey, text, lines);
  const seen = new Set<string>();
  const out: Definition[] = [];
  outline.defs.forEach((def, i) => {
    const chain: string[] = [def.name];
    const parents: number[] = [];
    for (let p = outline.parents[i]!; p !== -1; p = outline.parents[p]!) {
      chain.unshift(outline.defs[p]!.name);
      parents.push(p);
    }
    // Definitions inside function bodies are not API.
    if (parents.some((p) => outline.defs[p]!.kind === "function" || outline.defs[p]!.kind === "method")) return;
    const qualified = chain.join(".");
    if (seen.has(qualified)) return;
    seen.add(qualified);
    const signature = readSignature(lines, def.startLine, def.name, language);
    const parentLine = parents.length === 0 ? null : (lines[outline.defs[parents[parents.length - 1]!]!.startLine - 1] ?? "");
    out.push({
      name: def.name,
      qualified,
      kind: def.kind,
      exported: isExported(language, def.name, lines[def.startLine - 1] ?? "", parentLine, text),
      signature,
      body: lines.slice(def.startLine - 1, def.endLine).join("\n"),
    });
  });
  return out;
}

/** Public API by each language's convention; unknown languages count everything as public. */
function isExported(language: LanguageId | null, name: string, line: string, topParentLine: string | null, text: string): boolean {
  switch (language) {
    case "typescript":
    case "tsx":
    case "javascript": {
      if (topParentLine !== null) return exportedEcma(topParentLine.replace(/^\s+/, ""), name, text) && !/^\s*(private|#)/.test(line) && !name.startsWith("#");
      return exportedEcma(line, name, text);
    }
    case "python":
      return !name.startsWith("_");
    case "go":
      return /^[A-Z]/.test(name);
    case "java":
      return /\bpublic\b/.test(line) || (topParentLine !== null && /\binterface\b/.test(topParentLine));
    default:
      return true;
  }
}

function exportedEcma(line: string, name: string, text: string): boolean {
  if (/^\s*export\b/.test(line)) return true;
  const className = /\bclass\s+([A-Za-z_$][\w$]*)/.exec(line)?.[1];
  const subject = className ?? name;
  const escaped = subject.replace(/\$/g, "\\$");
  return new RegExp(
    `export\\s*(?:default\\s+${escaped}\\b|\\{[^}]*(?<![\\w$])${escaped}(?![\\w$]))|module\\.exports\\b[^\\n]*(?<![\\w$])${escaped}(?![\\w$])|exports\\.${escaped}\\b`,
  ).test(text);
}

function parent(qualified: string): string {
  const dot = qualified.lastIndexOf(".");
  return dot === -1 ? "" : qualified.slice(0, dot);
}

function sameShape(a: Definition, b: Definition): boolean {
  const pa = a.signature.parameters?.map((p) => p.name).join(",");
  const pb = b.signature.parameters?.map((p) => p.name).join(",");
  if (pa !== undefined && pa === pb && pa !== "") return true;
  // Same body apart from the name: a pure rename.
  return normalize(a.body.split(a.name).join("\u0000")) === normalize(b.body.split(b.name).join("\u0000"));
}

function normalize(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/\s*([(),:;{}=<>])\s*/g, "$1")
    .trim();
}

export function signatureAspects(before: ApiSignature, after: ApiSignature): SignatureAspect[] {
  const aspects: SignatureAspect[] = [];
  const a = before.parameters;
  const b = after.parameters;
  if (a !== null && b !== null) {
    const namesA = a.map((p) => p.name);
    const namesB = b.map((p) => p.name);
    const added = namesB.filter((n) => !namesA.includes(n));
    const removed = namesA.filter((n) => !namesB.includes(n));
    if (b.length > a.length || (added.length > 0 && removed.length === 0)) aspects.push("parameters-added");
    if (a.length > b.length || (removed.length > 0 && added.length === 0)) aspects.push("parameters-removed");
    if (a.length === b.length && added.length > 0 && removed.length > 0) aspects.push("parameter-renamed");
    const common = namesA.filter((n) => namesB.includes(n));
    const orderB = namesB.filter((n) => namesA.includes(n));
    if (common.join("\u0000") !== orderB.join("\u0000")) aspects.push("parameters-reordered");
    for (const p of a) {
      const q = b.find((x) => x.name === p.name);
      if (q && (q.defaultText !== p.defaultText || q.optional !== p.optional)) {
        aspects.push("default-changed");
        break;
      }
    }
  }
  if ((before.returnType ?? "") !== (after.returnType ?? "")) aspects.push("return-type-changed");
  if (aspects.length === 0) aspects.push("other");
  return aspects;
}

import { z } from "zod";
import { createOutliner, type Outliner } from "../context/syntax/outliner.js";
import { languageOf, languagesOf, type SymbolKind } from "../context/syntax/languages.js";
import { initSyntax } from "../context/syntax/tree-sitter.js";
import type { ApiSignature, UsageKind } from "../domain/impact.js";
import type { RepositorySnapshot } from "../domain/repository.js";
import { DEFAULT_SEARCH_LIMITS, searchRepository, type SearchLimits, type SearchStop } from "./search.js";
import { readSignature } from "./signature.js";
import { clipLine, isTestPath, splitLines } from "./tool-text.js";

/**
 * Definitions and references of a symbol across a snapshot. Candidate files
 * come from a whole-word search (bounded like any search); definitions are
 * then read from the file's tree-sitter outline where the language has a
 * grammar, from the indentation heuristic otherwise. A reference is every
 * other whole-word occurrence: text, not resolution, so same-named symbols
 * elsewhere show up too (the rendering says so).
 */

const IDENTIFIER = /^[A-Za-z_$][\w$]{0,127}$/;

export const SymbolArgsSchema = z
  .object({
    symbol: z.string().regex(IDENTIFIER, "an identifier: letters, digits, _ or $"),
    glob: z.union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(10)]).optional(),
  })
  .strict();
export type SymbolArgs = z.input<typeof SymbolArgsSchema>;

export interface SymbolDefinition {
  readonly path: string;
  readonly line: number;
  readonly endLine: number;
  readonly kind: SymbolKind;
  readonly signature: ApiSignature;
  readonly source: "tree-sitter" | "indentation";
}

export interface SymbolReference {
  readonly path: string;
  readonly line: number;
  readonly text: string;
  readonly kind: UsageKind;
}

export interface DefinitionsResult {
  readonly symbol: string;
  readonly definitions: readonly SymbolDefinition[];
  readonly truncated: readonly SearchStop[];
}

export interface ReferencesResult {
  readonly symbol: string;
  readonly references: readonly SymbolReference[];
  readonly truncated: readonly SearchStop[];
}

export async function findDefinitions(
  snapshot: RepositorySnapshot,
  rawArgs: SymbolArgs,
  limits: SearchLimits = DEFAULT_SEARCH_LIMITS,
  signal?: AbortSignal,
): Promise<DefinitionsResult> {
  const args = SymbolArgsSchema.parse(rawArgs);
  const found = await searchRepository(snapshot, { query: args.symbol, wholeWord: true, ...(args.glob ? { glob: args.glob } : {}) }, limits, signal);
  const paths = unique(found.matches.map((m) => m.path));
  await initSyntax({ languages: languagesOf(paths) });
  const outliner = createOutliner();
  const definitions: SymbolDefinition[] = [];
  for (const path of paths) {
    const text = await snapshot.read(path, signal);
    if (text === null) continue;
    definitions.push(...definitionsIn(path, text, args.symbol, outliner));
  }
  return { symbol: args.symbol, definitions, truncated: found.truncated };
}

/** Definitions named `symbol` in one file's text. */
export function definitionsIn(path: string, text: string, symbol: string, outliner: Outliner): SymbolDefinition[] {
  const lines = splitLines(text);
  const outline = outliner.outline(path, text, lines);
  return outline.defs
    .filter((d) => d.name === symbol)
    .map((d) => ({
      path,
      line: d.startLine,
      endLine: d.endLine,
      kind: d.kind,
      signature: readSignature(lines, d.startLine, d.name, languageOf(path)),
      source: outline.source,
    }));
}

export async function findReferences(
  snapshot: RepositorySnapshot,
  rawArgs: SymbolArgs,
  limits: SearchLimits = DEFAULT_SEARCH_LIMITS,
  signal?: AbortSignal,
): Promise<ReferencesResult> {
  const args = SymbolArgsSchema.parse(rawArgs);
  const found = await searchRepository(snapshot, { query: args.symbol, wholeWord: true, ...(args.glob ? { glob: args.glob } : {}) }, limits, signal);
  const references = found.matches
    .filter((m) => !looksLikeDefinition(m.text, args.symbol))
    .map((m) => ({ path: m.path, line: m.line, text: m.text, kind: usageKind(m.path, m.text, args.symbol) }));
  return { symbol: args.symbol, references, truncated: found.truncated };
}

const definitionPatterns = new Map<string, RegExp>();
const callPatterns = new Map<string, RegExp>();

function cached(cache: Map<string, RegExp>, name: string, build: (escaped: string) => RegExp): RegExp {
  let re = cache.get(name);
  if (!re) {
    if (cache.size > 10_000) cache.clear();
    re = build(name.replace(/\$/g, "\\$"));
    cache.set(name, re);
  }
  return re;
}

/** A line defining `name` (in any of the known languages) rather than using it. */
export function looksLikeDefinition(line: string, name: string): boolean {
  return cached(
    definitionPatterns,
    name,
    (n) =>
      new RegExp(
        `(?:\\b(?:function\\*?|def|func|class|interface|type|enum|struct)\\s+(?:\\([^)]*\\)\\s*)?${n}(?![\\w$])|^\\s*(?:export\\s+)?(?:const|let|var)\\s+${n}\\s*(?::[^=]*)?=\\s*(?:async\\s+)?(?:function\\b|\\(|[\\w$]+\\s*=>))`,
      ),
  ).test(line);
}

export function usageKind(path: string, line: string, name: string): UsageKind {
  if (isTestPath(path)) return "test";
  return cached(callPatterns, name, (n) => new RegExp(`(?<![\\w$])${n}\\s*\\(`)).test(line) ? "call" : "reference";
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

export function renderDefinitions(result: DefinitionsResult): string {
  const lines = result.definitions.map((d) => `${clipLine(d.path, 300)}:${d.line}-${d.endLine} ${d.kind} ${d.signature.text}`);
  if (lines.length === 0) lines.push(`No definition of ${result.symbol} found.`);
  if (result.truncated.length > 0) lines.push(`(search incomplete: ${result.truncated.join(", ")})`);
  return lines.join("\n");
}

export function renderReferences(result: ReferencesResult): string {
  const lines = result.references.map((r) => `${clipLine(r.path, 300)}:${r.line} [${r.kind}] ${r.text}`);
  if (lines.length === 0) lines.push(`No reference to ${result.symbol} found.`);
  lines.push(
    result.truncated.length > 0
      ? `(search incomplete: ${result.truncated.join(", ")}; textual matches, may include same-named symbols)`
      : "(textual matches; may include same-named symbols)",
  );
  return lines.join("\n");
}

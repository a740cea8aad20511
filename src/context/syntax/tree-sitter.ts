import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Logger } from "pino";
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import { LANGUAGE_IDS, LANGUAGES, type LanguageId, type LanguageSpec } from "./languages.js";
import { makeOutline, type Outline, type SymbolDef } from "./outline.js";

/**
 * Tree-sitter through @vscode/tree-sitter-wasm: its runtime and grammars are
 * built together (tree-sitter 0.25, ABI 14/15), so they load as a matched set
 * under Node 20 and jest ESM. The package is CommonJS (UMD), hence `require`.
 *
 * Loading wasm is asynchronous; parsing afterwards is synchronous, which keeps
 * the window builder synchronous. Until `initSyntax()` has finished, or for a
 * grammar that failed to load, callers fall back to the indentation heuristic.
 */

type TreeSitterModule = typeof TreeSitter;

export interface SyntaxFailure {
  readonly language: LanguageId | "runtime";
  readonly message: string;
}

export interface SyntaxStatus {
  readonly languages: readonly LanguageId[];
  readonly failures: readonly SyntaxFailure[];
}

const parsers = new Map<LanguageId, TreeSitter.Parser>();
let initialization: Promise<SyntaxStatus> | null = null;

/** Loads the tree-sitter runtime and grammars once; later calls return the same result. Never rejects: failures are reported in the status. */
export function initSyntax(options: { logger?: Logger } = {}): Promise<SyntaxStatus> {
  initialization ??= load().then((status) => {
    for (const failure of status.failures) {
      options.logger?.warn({ language: failure.language, err: failure.message }, "tree-sitter grammar unavailable; using the indentation heuristic");
    }
    return status;
  });
  return initialization;
}

async function load(): Promise<SyntaxStatus> {
  const require = createRequire(import.meta.url);
  let ts: TreeSitterModule;
  let wasmDir: string;
  try {
    ts = require("@vscode/tree-sitter-wasm") as TreeSitterModule;
    wasmDir = dirname(require.resolve("@vscode/tree-sitter-wasm"));
    await ts.Parser.init();
  } catch (error) {
    return { languages: [], failures: [{ language: "runtime", message: messageOf(error) }] };
  }
  const failures: SyntaxFailure[] = [];
  for (const id of LANGUAGE_IDS) {
    try {
      const language = await ts.Language.load(join(wasmDir, LANGUAGES[id].wasm));
      const parser = new ts.Parser();
      parser.setLanguage(language);
      parsers.set(id, parser);
    } catch (error) {
      failures.push({ language: id, message: messageOf(error) });
    }
  }
  return { languages: [...parsers.keys()], failures };
}

export function hasGrammar(language: LanguageId): boolean {
  return parsers.has(language);
}

/** Definitions found by the grammar, or null when the grammar is not loaded or parsing gave up. */
export function treeSitterOutline(language: LanguageId, text: string): Outline | null {
  const parser = parsers.get(language);
  if (!parser) return null;
  const tree = parser.parse(text);
  if (!tree) return null;
  try {
    const defs: SymbolDef[] = [];
    collectDefinitions(tree.rootNode, LANGUAGES[language], null, defs);
    return makeOutline("tree-sitter", defs);
  } finally {
    // Trees live in wasm memory, outside the JS heap's reach.
    tree.delete();
  }
}

function collectDefinitions(node: TreeSitter.Node, spec: LanguageSpec, wrapperStart: number | null, out: SymbolDef[]): void {
  // TypeScript puts a member's decorators before it as siblings; they belong to the member.
  let decoratorStart: number | null = null;
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === "decorator") {
      decoratorStart ??= child.startPosition.row;
      continue;
    }
    const start = wrapperStart ?? decoratorStart ?? child.startPosition.row;
    decoratorStart = null;
    const kind = spec.defs[child.type];
    if (kind) {
      out.push({ name: nameOf(child) ?? "(anonymous)", kind, startLine: start + 1, endLine: endLineOf(child) });
      // Members of classes, interfaces and namespaces are definitions too; function bodies are not walked.
      if (kind !== "function" && kind !== "method") collectDefinitions(child, spec, null, out);
      continue;
    }
    if (spec.variableDeclarations.has(child.type)) {
      const name = functionValuedName(child, spec);
      if (name !== null) out.push({ name, kind: "function", startLine: start + 1, endLine: endLineOf(child) });
      continue;
    }
    if (spec.containers.has(child.type) || child.type === "class_body" || child.type === "declaration_list") {
      collectDefinitions(child, spec, spec.wrappers.has(child.type) ? start : null, out);
    }
  }
}

function nameOf(node: TreeSitter.Node): string | null {
  const name = node.childForFieldName("name");
  if (name) return name.text;
  // Go: `type X struct{}` names its type_spec, not the declaration.
  for (const child of node.namedChildren) {
    const inner = child?.childForFieldName("name");
    if (inner) return inner.text;
  }
  return null;
}

function functionValuedName(declaration: TreeSitter.Node, spec: LanguageSpec): string | null {
  const direct = declaration.childForFieldName("value");
  if (direct && spec.functionValues.has(direct.type)) return declaration.childForFieldName("name")?.text ?? null;
  for (const declarator of declaration.namedChildren) {
    if (declarator?.type !== "variable_declarator") continue;
    const value = declarator.childForFieldName("value");
    if (value && spec.functionValues.has(value.type)) return declarator.childForFieldName("name")?.text ?? null;
  }
  return null;
}

function endLineOf(node: TreeSitter.Node): number {
  const end = node.endPosition;
  // A node ending at column 0 ends with the previous line's newline.
  return end.column === 0 && end.row > node.startPosition.row ? end.row : end.row + 1;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

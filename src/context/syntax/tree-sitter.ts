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
 * the window builder synchronous. Until `initSyntax()` has loaded a file's grammar, or for a
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

interface Runtime {
  readonly ts: TreeSitterModule;
  readonly wasmDir: string;
}

/** The runtime, loaded once; a string is why it failed. */
let runtime: Promise<Runtime | string> | null = null;
/** Each grammar, loaded once: null once loaded, or why it failed. */
const grammars = new Map<LanguageId, Promise<string | null>>();

/**
 * Loads the tree-sitter runtime and the grammars of `languages` (all of them
 * when not given), each once per process; later calls return at once for
 * what is loaded. Never rejects: failures are reported in the status, and
 * logged once, by the first call that met them.
 *
 * Grammars load on first use, per language: the six of them hold about 35 MiB
 * of WebAssembly memory, and a review of JavaScript needs one. Callers ask for
 * the languages of the files they are about to outline, so outlines do not
 * depend on what earlier jobs happened to load.
 */
export async function initSyntax(options: { logger?: Logger; languages?: Iterable<LanguageId> } = {}): Promise<SyntaxStatus> {
  const wanted = options.languages ? [...new Set(options.languages)] : LANGUAGE_IDS;
  runtime ??= loadRuntime().then((loaded) => {
    if (typeof loaded === "string") options.logger?.warn({ err: loaded }, "tree-sitter unavailable; using the indentation heuristic");
    return loaded;
  });
  const loaded = await runtime;
  if (typeof loaded === "string") return { languages: [], failures: [{ language: "runtime", message: loaded }] };
  const failures: SyntaxFailure[] = [];
  for (const id of wanted) {
    let grammar = grammars.get(id);
    if (!grammar) {
      grammar = loadGrammar(loaded, id).then((failure) => {
        if (failure !== null) options.logger?.warn({ language: id, err: failure }, "tree-sitter grammar unavailable; using the indentation heuristic");
        return failure;
      });
      grammars.set(id, grammar);
    }
    const failure = await grammar;
    if (failure !== null) failures.push({ language: id, message: failure });
  }
  return { languages: wanted.filter((id) => parsers.has(id)), failures };
}

async function loadRuntime(): Promise<Runtime | string> {
  try {
    const require = createRequire(import.meta.url);
    const ts = require("@vscode/tree-sitter-wasm") as TreeSitterModule;
    const wasmDir = dirname(require.resolve("@vscode/tree-sitter-wasm"));
    await ts.Parser.init();
    return { ts, wasmDir };
  } catch (error) {
    return messageOf(error);
  }
}

async function loadGrammar({ ts, wasmDir }: Runtime, id: LanguageId): Promise<string | null> {
  try {
    const language = await ts.Language.load(join(wasmDir, LANGUAGES[id].wasm));
    const parser = new ts.Parser();
    parser.setLanguage(language);
    parsers.set(id, parser);
    return null;
  } catch (error) {
    return messageOf(error);
  }
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

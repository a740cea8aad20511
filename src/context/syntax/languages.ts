/**
 * Languages Longview parses with tree-sitter, and which syntax nodes count as
 * the definitions a hunk can be "inside" (functions, methods, classes, types).
 * Every other file is outlined by the indentation heuristic.
 */

export type LanguageId = "typescript" | "tsx" | "javascript" | "python" | "go" | "java";

export const LANGUAGE_IDS: readonly LanguageId[] = ["typescript", "tsx", "javascript", "python", "go", "java"];

export type SymbolKind = "function" | "method" | "class" | "interface" | "type" | "enum" | "namespace";

export interface LanguageSpec {
  readonly id: LanguageId;
  /** File name of the grammar inside @vscode/tree-sitter-wasm's `wasm/` folder. */
  readonly wasm: string;
  /** Node type → what it defines. */
  readonly defs: Readonly<Record<string, SymbolKind>>;
  /** Nodes walked through when looking for definitions (bodies of modules, classes, namespaces). */
  readonly containers: ReadonlySet<string>;
  /** Nodes that wrap a definition and belong to it (export keyword, decorators). */
  readonly wrappers: ReadonlySet<string>;
  /** `const x = () => {}`-style declarations: the declaration node counts as a function when its value is one of these. */
  readonly functionValues: ReadonlySet<string>;
  readonly variableDeclarations: ReadonlySet<string>;
}

const ecmaDefs: Record<string, SymbolKind> = {
  function_declaration: "function",
  generator_function_declaration: "function",
  class_declaration: "class",
  abstract_class_declaration: "class",
  method_definition: "method",
  interface_declaration: "interface",
  enum_declaration: "enum",
  type_alias_declaration: "type",
  internal_module: "namespace",
  module: "namespace",
};

const ecma = {
  defs: ecmaDefs,
  containers: new Set(["program", "class_body", "statement_block", "interface_body", "export_statement"]),
  wrappers: new Set(["export_statement"]),
  functionValues: new Set(["arrow_function", "function_expression", "function", "generator_function", "class"]),
  variableDeclarations: new Set(["lexical_declaration", "variable_declaration", "public_field_definition", "field_definition"]),
};

export const LANGUAGES: Readonly<Record<LanguageId, LanguageSpec>> = {
  typescript: { id: "typescript", wasm: "tree-sitter-typescript.wasm", ...ecma },
  tsx: { id: "tsx", wasm: "tree-sitter-tsx.wasm", ...ecma },
  javascript: { id: "javascript", wasm: "tree-sitter-javascript.wasm", ...ecma },
  python: {
    id: "python",
    wasm: "tree-sitter-python.wasm",
    defs: { function_definition: "function", class_definition: "class" },
    containers: new Set(["module", "block", "decorated_definition"]),
    wrappers: new Set(["decorated_definition"]),
    functionValues: new Set(),
    variableDeclarations: new Set(),
  },
  go: {
    id: "go",
    wasm: "tree-sitter-go.wasm",
    defs: { function_declaration: "function", method_declaration: "method", type_declaration: "type" },
    containers: new Set(["source_file"]),
    wrappers: new Set(),
    functionValues: new Set(),
    variableDeclarations: new Set(),
  },
  java: {
    id: "java",
    wasm: "tree-sitter-java.wasm",
    defs: {
      class_declaration: "class",
      interface_declaration: "interface",
      enum_declaration: "enum",
      record_declaration: "class",
      annotation_type_declaration: "interface",
      method_declaration: "method",
      constructor_declaration: "method",
      compact_constructor_declaration: "method",
    },
    containers: new Set(["program", "class_body", "interface_body", "enum_body", "enum_body_declarations", "annotation_type_body"]),
    wrappers: new Set(),
    functionValues: new Set(),
    variableDeclarations: new Set(),
  },
};

const BY_EXTENSION: Readonly<Record<string, LanguageId>> = {
  ts: "typescript",
  mts: "typescript",
  cts: "typescript",
  tsx: "tsx",
  js: "javascript",
  mjs: "javascript",
  cjs: "javascript",
  jsx: "javascript",
  py: "python",
  pyi: "python",
  go: "go",
  java: "java",
};

export function languageOf(path: string): LanguageId | null {
  const dot = path.lastIndexOf(".");
  if (dot === -1 || dot < path.lastIndexOf("/")) return null;
  return BY_EXTENSION[path.slice(dot + 1).toLowerCase()] ?? null;
}

/** The languages with a grammar among these paths, each once. */
export function languagesOf(paths: Iterable<string>): LanguageId[] {
  const found = new Set<LanguageId>();
  for (const path of paths) {
    const language = languageOf(path);
    if (language !== null) found.add(language);
  }
  return [...found];
}

/** Where leading indentation carries meaning, so a change of it is not "whitespace-only". */
export function isIndentationSensitive(path: string): boolean {
  return /\.(py|pyi|ya?ml|haml|pug|jade|sass|styl|coffee|nim|fs|fsx|elm|hs)$/i.test(path) || /(^|\/)(Makefile|GNUmakefile|[^/]*\.mk)$/.test(path);
}

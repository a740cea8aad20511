import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TreeSitter from "@vscode/tree-sitter-wasm";

/**
 * Tree-sitter grammars for the syntax rules, loaded on first use per
 * language: a review without Python or Go files never loads (or pays the
 * memory of) their grammars. Same package and grammars as the outliner
 * (context/syntax), loaded separately because the analyzers run on worker
 * threads that never outline.
 */
export type SyntaxLanguage = "python" | "go";

const WASM: Readonly<Record<SyntaxLanguage, string>> = {
  python: "tree-sitter-python.wasm",
  go: "tree-sitter-go.wasm",
};

export type SyntaxNode = TreeSitter.Node;

let runtime: Promise<{ readonly ts: typeof TreeSitter; readonly dir: string }> | null = null;
const parsers = new Map<SyntaxLanguage, Promise<TreeSitter.Parser>>();

function loadRuntime(): Promise<{ readonly ts: typeof TreeSitter; readonly dir: string }> {
  runtime ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package is CommonJS (UMD), hence `require`.
    const ts = require("@vscode/tree-sitter-wasm") as typeof TreeSitter;
    await ts.Parser.init();
    return { ts, dir: dirname(require.resolve("@vscode/tree-sitter-wasm")) };
  })();
  return runtime;
}

/** The parser of `language`, loaded once. Rejects when the runtime or grammar cannot load (the analyzer reports it). */
export function parserFor(language: SyntaxLanguage): Promise<TreeSitter.Parser> {
  let parser = parsers.get(language);
  if (!parser) {
    parser = loadRuntime().then(async ({ ts, dir }) => {
      const grammar = await ts.Language.load(join(dir, WASM[language]));
      const created = new ts.Parser();
      created.setLanguage(grammar);
      return created;
    });
    // A failed load is retried on the next review rather than cached.
    parser.catch(() => parsers.delete(language));
    parsers.set(language, parser);
  }
  return parser;
}

/** Languages whose grammar has been asked for so far (start-up memory checks). */
export function requestedSyntaxLanguages(): SyntaxLanguage[] {
  return [...parsers.keys()];
}

export function syntaxLanguageOf(path: string): SyntaxLanguage | null {
  if (/\.pyi?$/i.test(path)) return "python";
  if (/\.go$/i.test(path)) return "go";
  return null;
}

import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TreeSitter from "@vscode/tree-sitter-wasm";
import type * as TypeScript from "typescript";
import { LANGUAGES, languageOf, type LanguageId } from "../context/syntax/languages.js";
import { initSyntax } from "../context/syntax/tree-sitter.js";

/**
 * Does an edited file still parse? JavaScript and TypeScript go through the
 * TypeScript compiler's parser (syntactic diagnostics only: no types, no
 * imports); Python, Go and Java through the tree-sitter grammars the context
 * builder already ships. Other languages are not checked, and the caller
 * says so.
 */

export type SyntaxCheck =
  | { readonly kind: "ok"; readonly parser: string }
  | { readonly kind: "errors"; readonly parser: string; readonly errors: readonly string[] }
  | { readonly kind: "unchecked"; readonly reason: string };

const MAX_REPORTED_ERRORS = 5;

const TS_KINDS: Readonly<Record<string, "TS" | "TSX" | "JS" | "JSX">> = {
  ts: "TS",
  mts: "TS",
  cts: "TS",
  tsx: "TSX",
  js: "JS",
  mjs: "JS",
  cjs: "JS",
  jsx: "JSX",
};

export async function checkSyntax(path: string, text: string): Promise<SyntaxCheck> {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const tsKind = path.includes(".") ? TS_KINDS[ext] : undefined;
  if (tsKind !== undefined) return checkWithTypeScript(path, text, tsKind);
  const language = languageOf(path);
  if (language === "python" || language === "go" || language === "java") return checkWithTreeSitter(language, text);
  return { kind: "unchecked", reason: "no parser for this language" };
}

let typescript: Promise<typeof TypeScript> | null = null;

async function checkWithTypeScript(path: string, text: string, kind: keyof typeof TypeScript.ScriptKind): Promise<SyntaxCheck> {
  // Loaded on first use: the compiler is large and only fixes need it.
  // CommonJS: under Node's ESM loader the API is the default export; some loaders hand out the namespace itself.
  typescript ??= import("typescript").then((m) => (m.default ?? m) as typeof TypeScript);
  const ts = await typescript;
  const fileName = `/${path}`;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind[kind]);
  const host: TypeScript.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? source : undefined),
    writeFile: () => undefined,
    getDefaultLibFileName: () => "/lib.d.ts",
    useCaseSensitiveFileNames: () => true,
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => "/",
    getNewLine: () => "\n",
    fileExists: (name) => name === fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram({
    rootNames: [fileName],
    options: { noLib: true, noResolve: true, allowJs: true, jsx: ts.JsxEmit.Preserve, target: ts.ScriptTarget.Latest },
    host,
  });
  const diagnostics = program.getSyntacticDiagnostics(source);
  if (diagnostics.length === 0) return { kind: "ok", parser: "TypeScript" };
  const errors = diagnostics.slice(0, MAX_REPORTED_ERRORS).map((d) => {
    const where = d.start === undefined ? "" : `line ${source.getLineAndCharacterOfPosition(d.start).line + 1}: `;
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
  return { kind: "errors", parser: "TypeScript", errors };
}

const grammars = new Map<LanguageId, Promise<TreeSitter.Parser | null>>();

async function checkWithTreeSitter(language: LanguageId, text: string): Promise<SyntaxCheck> {
  const parser = await treeSitterParser(language);
  if (parser === null) return { kind: "unchecked", reason: `the ${language} grammar could not be loaded` };
  const tree = parser.parse(text);
  if (!tree) return { kind: "unchecked", reason: `tree-sitter gave up on the ${language} file` };
  try {
    if (!tree.rootNode.hasError) return { kind: "ok", parser: `tree-sitter (${language})` };
    const errors: string[] = [];
    collectErrors(tree.rootNode, errors);
    return { kind: "errors", parser: `tree-sitter (${language})`, errors: errors.length > 0 ? errors : ["the file does not parse"] };
  } finally {
    // Trees live in wasm memory, outside the JS heap's reach.
    tree.delete();
  }
}

function collectErrors(node: TreeSitter.Node, out: string[]): void {
  if (out.length >= MAX_REPORTED_ERRORS) return;
  if (node.isMissing) {
    out.push(`line ${node.startPosition.row + 1}: missing \`${node.type}\``);
    return;
  }
  if (node.isError) {
    out.push(`line ${node.startPosition.row + 1}: unexpected \`${oneLine(node.text)}\``);
    return;
  }
  for (const child of node.children) if (child && (child.hasError || child.isMissing)) collectErrors(child, out);
}

/** A parser of our own per grammar (the context builder's parsers are private to it), on the runtime it initialised. */
function treeSitterParser(language: LanguageId): Promise<TreeSitter.Parser | null> {
  let parser = grammars.get(language);
  if (!parser) {
    parser = (async () => {
      const status = await initSyntax({ languages: [language] });
      if (!status.languages.includes(language)) return null;
      const require = createRequire(import.meta.url);
      const ts = require("@vscode/tree-sitter-wasm") as typeof TreeSitter;
      const wasmDir = dirname(require.resolve("@vscode/tree-sitter-wasm"));
      const loaded = new ts.Parser();
      loaded.setLanguage(await ts.Language.load(join(wasmDir, LANGUAGES[language].wasm)));
      return loaded;
    })();
    grammars.set(language, parser);
  }
  return parser;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= 40 ? flat : `${flat.slice(0, 39)}…`;
}

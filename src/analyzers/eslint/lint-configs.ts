import { createRequire } from "node:module";
import type { Linter } from "eslint";
import security from "eslint-plugin-security";
import type tseslintModule from "typescript-eslint";
import { extensionOf } from "../analyzable-files.js";
import { JS_EXTENSIONS, TS_EXTENSIONS } from "./extensions.js";
import { LONGVIEW_PLUGIN_NAME, longviewPlugin } from "./longview-plugin.js";
import { ESLINT_RULES } from "./rule-table.js";

/**
 * Flat configs built in code. Configuration files in the reviewed repository
 * are never read: an `eslint.config.js` is code and would run on our server.
 */

export { JS_EXTENSIONS, TS_EXTENSIONS };

export type LintProfile = "module" | "commonjs" | "typescript";

export interface LintConfigs {
  readonly module: Linter.Config[];
  readonly commonjs: Linter.Config[];
  readonly typescript: Linter.Config[];
}

const JS_FILES = [...JS_EXTENSIONS].map((ext) => `**/*.${ext}`);
const TS_FILES = [...TS_EXTENSIONS].map((ext) => `**/*.${ext}`);

const require = createRequire(import.meta.url);
let typescriptParser: Linter.Parser | null = null;

/**
 * typescript-eslint's parser, required on the first TypeScript file rather
 * than at start-up: it loads the TypeScript compiler (about 150 MiB resident),
 * which a process that lints no TypeScript never needs. ESLint's parser
 * interface is synchronous, hence `require` (the package is CommonJS).
 */
const lazyTypeScriptParser: Linter.Parser = {
  meta: { name: "typescript-eslint/parser" },
  parseForESLint(text: string, options?: Linter.ParserOptions) {
    typescriptParser ??= (require("typescript-eslint") as typeof tseslintModule).parser as Linter.Parser;
    if (!("parseForESLint" in typescriptParser)) throw new Error("typescript-eslint's parser has no parseForESLint");
    return typescriptParser.parseForESLint(text, options);
  },
};

/** ESLint ignores `node_modules/` by default; a changed file there (vendored code) was already let through by the diff stage. */
const UNIGNORE: Linter.Config = { ignores: ["!**/node_modules/"] };

export function buildLintConfigs(): LintConfigs {
  const plugins = { security, [LONGVIEW_PLUGIN_NAME]: longviewPlugin };
  const rules = (typescript: boolean): Linter.RulesRecord =>
    Object.fromEntries(Object.entries(ESLINT_RULES).map(([id, info]) => [id, !typescript || info.typescript ? "error" : "off"]));
  const js = (sourceType: "module" | "commonjs"): Linter.Config[] => [
    UNIGNORE,
    {
      files: JS_FILES,
      plugins,
      languageOptions: { ecmaVersion: "latest", sourceType, parserOptions: { ecmaFeatures: { jsx: true } } },
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
      rules: rules(false),
    },
  ];
  return {
    module: js("module"),
    commonjs: js("commonjs"),
    typescript: [
      UNIGNORE,
      {
        files: TS_FILES,
        plugins,
        // No `project`/`projectService`: type information would need the whole repository and its tsconfig.
        languageOptions: { parser: lazyTypeScriptParser, sourceType: "module" },
        linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off" },
        rules: rules(true),
      },
    ],
  };
}

/** The first profile to try for a path, or null when ESLint does not handle the file. */
export function lintProfileFor(path: string): LintProfile | null {
  const ext = extensionOf(path);
  if (TS_EXTENSIONS.has(ext)) return "typescript";
  if (ext === "cjs") return "commonjs";
  return JS_EXTENSIONS.has(ext) ? "module" : null;
}

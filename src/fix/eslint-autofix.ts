import { createRequire } from "node:module";
import type { Linter } from "eslint";
import { buildLintConfigs, lintProfileFor, type LintConfigs } from "../analyzers/eslint/lint-configs.js";
import type { Finding } from "../domain/finding.js";
import { LINE_SLACK } from "./analyzer-check.js";
import { anchorFixes, type TextFix } from "./anchor-fixes.js";
import type { FileEdit } from "./edit.js";

/**
 * Offline fixes: ESLint re-run with only the targeted rule enabled, using
 * the rule's own fix, or one of its suggestions that is known to keep the
 * code's meaning (a suggestion is a choice ESLint leaves to a person; the
 * table below makes that choice once, per rule and message). Works without a
 * model; the result goes through the same validation as a model's edits.
 */

/** Suggestions that implement exactly what the finding's advice says, by rule. */
export const SAFE_SUGGESTIONS: Readonly<Record<string, readonly string[]>> = {
  // `x === NaN` → `Number.isNaN(x)`; `indexOf(NaN)` → `findIndex(Number.isNaN)`.
  "use-isnan": ["replaceWithIsNaN", "replaceWithCastingAndIsNaN", "replaceWithFindIndex"],
  // `typeof x === undefined` → `typeof x === "undefined"`.
  "valid-typeof": ["suggestString"],
  // `x === -0` → `Object.is(x, -0)`.
  "no-compare-neg-zero": ["suggestObjectIs", "suggestNotObjectIs"],
  // `!key in obj` → `!(key in obj)`.
  "no-unsafe-negation": ["suggestNegatedExpression"],
};

export interface Autofix {
  readonly edits: readonly FileEdit[];
  readonly fixed: readonly Finding[];
  readonly unfixable: readonly { readonly finding: Finding; readonly reason: string }[];
}

const VIRTUAL_CWD = "/longview-fix";
let shared: { linter: Linter; configs: LintConfigs } | null = null;

export function eslintAutofix(files: ReadonlyMap<string, string>, targets: readonly Finding[]): Autofix {
  // ESLint loads on the first autofix, not with this module (the server imports it at start-up); its
  // package is CommonJS, so `require` loads it synchronously.
  shared ??= { linter: new (createRequire(import.meta.url)("eslint") as typeof import("eslint")).Linter({ cwd: VIRTUAL_CWD }), configs: buildLintConfigs() };
  const { linter, configs } = shared;
  const fixed: Finding[] = [];
  const unfixable: { finding: Finding; reason: string }[] = [];
  const fixesByPath = new Map<string, TextFix[]>();

  for (const target of targets) {
    const text = files.get(target.path);
    const fix = text === undefined ? "the file is not available" : fixFor(linter, configs, target, text);
    if (typeof fix === "string") {
      unfixable.push({ finding: target, reason: fix });
      continue;
    }
    const taken = fixesByPath.get(target.path) ?? [];
    if (taken.some((t) => t.start < fix.end && fix.start < t.end)) {
      unfixable.push({ finding: target, reason: "its fix overlaps another finding's fix" });
      continue;
    }
    taken.push(fix);
    fixesByPath.set(target.path, taken);
    fixed.push(target);
  }
  const edits = [...fixesByPath].flatMap(([path, fixes]) => anchorFixes(path, stripBom(files.get(path) ?? ""), fixes));
  return { edits, fixed, unfixable };
}

/** The fix for one finding as offsets into the BOM-less text, or why there is none. */
function fixFor(linter: Linter, configs: LintConfigs, target: Finding, text: string): TextFix | string {
  const ruleId = target.ruleId;
  if (ruleId === null || (target.source !== "eslint" && target.source !== "longview-rules")) return "no analyzer rule reported it";
  const profile = lintProfileFor(target.path);
  if (profile === null) return "ESLint does not read this file type";
  const source = stripBom(text);
  let messages = linter.verify(source, onlyRule(configs[profile], ruleId), { filename: target.path });
  // `.js` files are ES modules or CommonJS scripts; only a parse failure tells which (as in the analyzer).
  if (profile === "module" && messages.some((m) => m.fatal) && !target.path.endsWith(".mjs")) {
    messages = linter.verify(source, onlyRule(configs.commonjs, ruleId), { filename: target.path });
  }
  if (messages.some((m) => m.fatal)) return "ESLint cannot parse the file";
  const from = (target.startLine ?? target.line) - LINE_SLACK;
  const to = target.line + LINE_SLACK;
  const near = messages
    .filter((m) => m.ruleId === ruleId && m.line >= from && m.line <= to)
    .sort((a, b) => Math.abs(a.line - target.line) - Math.abs(b.line - target.line));
  if (near.length === 0) return `\`${ruleId}\` no longer reports it at head`;
  for (const message of near) {
    if (message.fix) return { start: message.fix.range[0], end: message.fix.range[1], text: message.fix.text };
    const allowed = SAFE_SUGGESTIONS[ruleId] ?? [];
    const suggestion = message.suggestions?.find((s) => s.messageId !== undefined && allowed.includes(s.messageId));
    if (suggestion) return { start: suggestion.fix.range[0], end: suggestion.fix.range[1], text: suggestion.fix.text };
  }
  return `\`${ruleId}\` has no automatic fix for it`;
}

/** The analyzer's config for the file type, with every rule but one switched off. */
function onlyRule(configs: readonly Linter.Config[], ruleId: string): Linter.Config[] {
  return configs.map((config) => (config.rules ? { ...config, rules: { [ruleId]: "error" } } : config));
}

function stripBom(text: string): string {
  return text.startsWith("\uFEFF") ? text.slice(1) : text;
}

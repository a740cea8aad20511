import { impactFindings } from "./impact-rules.js";
import type { Logger } from "pino";
import type { Category, Finding, Severity } from "../domain/finding.js";
import { analyzableFiles, extensionOf } from "./analyzable-files.js";
import type { Analyzer, AnalyzerInput, AnalyzerReport } from "./analyzer.js";
import { JS_EXTENSIONS, TS_EXTENSIONS } from "./eslint/lint-configs.js";
import { LONGVIEW_RULES } from "./eslint/rule-table.js";
import { TLS_ENV_TEXT } from "./eslint/rules/tls-verification-disabled.js";
import { redactTokenShapes } from "../redact/redact.js";
import { lineIndex } from "./line-index.js";
import { handlesSyntax, syntaxFindings } from "./syntax/syntax-findings.js";
import { removedControlFindings } from "./removed-controls.js";

/**
 * Longview's rules for files ESLint does not parse: unescaped output in EJS
 * and Handlebars templates, `NODE_TLS_REJECT_UNAUTHORIZED=0` in scripts,
 * Dockerfiles, CI and env files (JS/TS files get the AST rule), and the
 * Python and Go syntax rules (`syntax/`).
 */
export interface TemplateRulesOptions {
  readonly log: Logger;
}

interface TextHit {
  readonly offset: number;
  readonly ruleId: string;
  readonly title: string;
}

interface TextRule {
  readonly id: string;
  readonly applies: (ext: string, path: string) => boolean;
  readonly find: (content: string) => TextHit[];
  readonly severity: Severity;
  readonly category: Category;
  readonly confidence: number;
  readonly advice: string;
}

const CODE_EXTENSIONS = new Set([...JS_EXTENSIONS, ...TS_EXTENSIONS]);

/** Layout placeholders that insert already-rendered templates, not data: `<%- body %>`, `{{{body}}}`, `<%- include(…) %>`. */
const RENDERED_TEMPLATE = /^(?:include\b|partial\b|body$|defineContent\b|contentFor\b|block\b)/;

const ESCAPING_ADVICE =
  "Unescaped output inserts the value as HTML, so data containing `<script>` or event-handler attributes runs in the visitor's browser (XSS). Use the escaping form, or sanitize the HTML (e.g. with DOMPurify or sanitize-html) before it reaches the template.";

export const TEXT_RULES: readonly TextRule[] = [
  {
    id: "longview/ejs-unescaped-output",
    applies: (ext) => ext === "ejs",
    find: (content) =>
      [...content.matchAll(/<%-([\s\S]*?)(?:[-_]?%>|$(?![\s\S]))/g)].flatMap((match) => {
        const expression = (match[1] ?? "").trim();
        if (expression === "" || RENDERED_TEMPLATE.test(expression)) return [];
        return [{ offset: match.index, ruleId: "longview/ejs-unescaped-output", title: `Unescaped EJS output \`<%- ${short(expression)} %>\`` }];
      }),
    severity: "P2",
    category: "security",
    confidence: 0.8,
    advice: `${ESCAPING_ADVICE} In EJS, \`<%= value %>\` escapes.`,
  },
  {
    id: "longview/handlebars-unescaped-output",
    applies: (ext) => ext === "hbs" || ext === "handlebars",
    find: (content) =>
      [...withoutRawBlocks(content).matchAll(/(?<!\{)\{\{\{(?!\{)~?\s*([^}]*?)\s*~?\}\}\}/g)].flatMap((match) => {
        const expression = (match[1] ?? "").trim();
        if (expression === "" || expression.startsWith("!") || RENDERED_TEMPLATE.test(expression)) return [];
        return [{ offset: match.index, ruleId: "longview/handlebars-unescaped-output", title: `Unescaped Handlebars output \`{{{${short(expression)}}}}\`` }];
      }),
    severity: "P2",
    category: "security",
    confidence: 0.8,
    advice: `${ESCAPING_ADVICE} In Handlebars, \`{{value}}\` escapes.`,
  },
  {
    id: "longview/tls-verification-disabled",
    applies: (ext) => !CODE_EXTENSIONS.has(ext),
    find: (content) =>
      [...content.matchAll(new RegExp(TLS_ENV_TEXT.source, "g"))].map((match) => ({
        offset: match.index,
        ruleId: "longview/tls-verification-disabled",
        title: "TLS certificate verification disabled (`NODE_TLS_REJECT_UNAUTHORIZED=0`)",
      })),
    severity: "P1",
    category: "security",
    confidence: 1,
    advice: LONGVIEW_RULES["longview/tls-verification-disabled"]!.advice,
  },
];

export function createTemplateRulesAnalyzer(options: TemplateRulesOptions): Analyzer {
  return {
    name: "longview-rules",
    async analyze(input: AnalyzerInput, signal?: AbortSignal): Promise<AnalyzerReport> {
      const log = input.log ?? options.log;
      const applies = (path: string): boolean => handlesSyntax(path) || TEXT_RULES.some((rule) => rule.applies(extensionOf(path), path));
      const { files, skipped } = analyzableFiles(input, applies);
      for (const skip of skipped) log.info({ path: skip.path, reason: skip.reason }, "longview-rules: file not analyzed");
      const findings: Finding[] = [];
      for (const file of files) {
        signal?.throwIfAborted();
        const ext = extensionOf(file.path);
        const lineOf = lineIndex(file.content);
        const seen = new Set<string>();
        for (const rule of TEXT_RULES) {
          if (!rule.applies(ext, file.path)) continue;
          for (const hit of rule.find(file.content)) {
            const line = lineOf(hit.offset);
            if (seen.has(`${line}:${rule.id}`)) continue;
            seen.add(`${line}:${rule.id}`);
            findings.push(textFinding(file.path, line, rule, hit));
          }
        }
      }
      // Python and Go: structural rules over tree-sitter (grammars load on the first file of their language).
      findings.push(...(await syntaxFindings(files, log, signal)));
      // Deleted lines: security controls the change takes out (files gone entirely included).
      findings.push(...removedControlFindings(input.files));
      // Cross-file rules over the impact context (changed signatures vs unchanged callers), when the pipeline gave one.
      findings.push(...impactFindings(input.impact, input.headContents));
      return { findings };
    },
  };
}

function textFinding(path: string, line: number, rule: TextRule, hit: TextHit): Finding {
  return {
    path,
    line,
    startLine: null,
    side: "RIGHT",
    severity: rule.severity,
    category: rule.category,
    title: hit.title,
    body: `${rule.advice}\n\n<sub>Rule: \`${rule.id}\`</sub>`,
    suggestion: null,
    confidence: rule.confidence,
    source: "longview-rules",
    ruleId: rule.id,
    corroboratedBy: [],
  };
}

/** Handlebars raw blocks (`{{{{raw}}}} … {{{{/raw}}}}`) print their content literally; blanked out, offsets kept. */
function withoutRawBlocks(content: string): string {
  return content.replace(/\{\{\{\{\s*([\w-]+)[^}]*\}\}\}\}[\s\S]*?\{\{\{\{\/\s*\1\s*\}\}\}\}/g, (block) => block.replace(/[^\n]/g, " "));
}

function short(text: string): string {
  const oneLine = redactTokenShapes(text.replace(/\s+/g, " "));
  return oneLine.length > 50 ? `${oneLine.slice(0, 49)}…` : oneLine;
}

import type { Logger } from "pino";
import type { Parser } from "@vscode/tree-sitter-wasm";
import type { Finding } from "../../domain/finding.js";
import type { AnalyzableFile } from "../analyzable-files.js";
import { GO_RULES } from "./go-rules.js";
import { parserFor, syntaxLanguageOf, type SyntaxLanguage } from "./grammars.js";
import { PYTHON_RULES } from "./python-rules.js";
import type { SyntaxHit, SyntaxRule } from "./rule.js";
import { withNodeIndex } from "./tree.js";
import { redactTokenShapes } from "../../redact/redact.js";

export const SYNTAX_RULES: readonly SyntaxRule[] = [...PYTHON_RULES, ...GO_RULES];

/** Rules about secrets and logs stay quiet in tests, which hold fake credentials and log them on purpose. */
const TEST_EXEMPT = /(?:hardcoded-secret|sensitive-data-in-log)$/;
const TEST_FILE = /(?:^|\/)(?:tests?|testdata|fixtures?|__tests__)\/|(?:^|\/)(?:test_[^/]*|[^/]*_test)\.(?:py|go)$|(?:^|\/)conftest\.py$/;

export function handlesSyntax(path: string): boolean {
  return syntaxLanguageOf(path) !== null;
}

/**
 * Runs the syntax rules of each file's language. A grammar is loaded the
 * first time a file of its language is analyzed.
 */
export async function syntaxFindings(files: readonly AnalyzableFile[], log: Logger, signal?: AbortSignal): Promise<Finding[]> {
  const findings: Finding[] = [];
  const unavailable = new Set<SyntaxLanguage>();
  for (const file of files) {
    signal?.throwIfAborted();
    const language = syntaxLanguageOf(file.path);
    if (language === null || unavailable.has(language)) continue;
    let parser: Parser;
    try {
      parser = await parserFor(language);
    } catch (error) {
      // A grammar that cannot load costs its language's rules only, never the template and text rules.
      unavailable.add(language);
      log.warn({ language, err: error instanceof Error ? error.message : String(error) }, "tree-sitter grammar unavailable; syntax rules skipped");
      continue;
    }
    findings.push(...fileFindings(file, language, parser));
  }
  return findings;
}

function fileFindings(file: AnalyzableFile, language: SyntaxLanguage, parser: Parser): Finding[] {
  const tree = parser.parse(file.content);
  if (!tree) return [];
  try {
    const lines = file.content.split("\n");
    const isTest = TEST_FILE.test(file.path);
    const seen = new Set<string>();
    const findings: Finding[] = [];
    const root = tree.rootNode;
    const hits = withNodeIndex(root, () =>
      SYNTAX_RULES.filter((rule) => rule.language === language && !(isTest && TEST_EXEMPT.test(rule.id))).map((rule) => ({ rule, hits: rule.find(root) })),
    );
    for (const { rule, hits: found } of hits) {
      for (const hit of found) {
        const line = hit.node.startPosition.row + 1;
        const key = `${line}:${rule.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(toFinding(file.path, lines, rule, hit));
      }
    }
    return findings;
  } finally {
    // Trees live in wasm memory, outside the JS heap's reach.
    tree.delete();
  }
}

function toFinding(path: string, lines: readonly string[], rule: SyntaxRule, hit: SyntaxHit): Finding {
  const row = hit.node.startPosition.row;
  let suggestion: string | null = null;
  if (hit.replacement !== undefined && hit.node.endPosition.row === row) {
    const text = lines[row] ?? "";
    // Columns are byte offsets in UTF-8; a line with other characters is left without a suggestion.
    if (Buffer.byteLength(text) === text.length)
      suggestion = text.slice(0, hit.node.startPosition.column) + hit.replacement + text.slice(hit.node.endPosition.column);
  }
  return {
    path,
    line: row + 1,
    startLine: null,
    side: "RIGHT",
    severity: rule.severity,
    category: rule.category,
    title: rule.title,
    // Details quote code; a token shape in that code must not travel on to the model as evidence.
    body: `${redactTokenShapes(hit.detail)}\n\n${rule.advice}\n\n<sub>Rule: \`${rule.id}\`</sub>`,
    suggestion,
    confidence: rule.confidence,
    source: "longview-rules",
    ruleId: rule.id,
    corroboratedBy: [],
  };
}

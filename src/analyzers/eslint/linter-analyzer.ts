import type { Linter, SourceCode } from "eslint";
import type { Logger } from "pino";
import type { Finding } from "../../domain/finding.js";
import { analyzableFiles, type AnalyzableFile } from "../analyzable-files.js";
import type { Analyzer, AnalyzerInput, AnalyzerReport, FlaggedSecret } from "../analyzer.js";
import { mapConcurrent } from "../../util/map-concurrent.js";
import { buildLintConfigs, lintProfileFor, type LintConfigs, type LintProfile } from "./lint-configs.js";
import { ruleInfo } from "./rule-table.js";
import { eslintMessageToFinding } from "./to-finding.js";

export interface EslintAnalyzerOptions {
  /** Used when the input carries no logger of its own. */
  readonly log: Logger;
  /** Files linted concurrently; linting is synchronous, so this mostly bounds latency between yields. */
  readonly concurrency?: number;
}

/** Virtual working directory: file names are repository paths and nothing is read from disk. */
const VIRTUAL_CWD = "/longview-review";

/**
 * ESLint through its Node API with Longview's fixed rule set. One Linter and
 * one set of configs serve every file and every review.
 */
export function createEslintAnalyzer(options: EslintAnalyzerOptions): Analyzer {
  // ESLint (some 20 MiB with its rules) loads when the first file is linted, not when the analyzer is built
  // at start-up: a server holding no job stays small, and one that never sees JavaScript never loads it.
  let loaded: Promise<{ linter: Linter; configs: LintConfigs }> | null = null;
  const load = () => (loaded ??= import("eslint").then(({ Linter }) => ({ linter: new Linter({ cwd: VIRTUAL_CWD }), configs: buildLintConfigs() })));
  const concurrency = options.concurrency ?? 4;
  return {
    name: "eslint",
    async analyze(input: AnalyzerInput, signal?: AbortSignal): Promise<AnalyzerReport> {
      const log = input.log ?? options.log;
      const { files, skipped } = analyzableFiles(input, (path) => lintProfileFor(path) !== null);
      for (const skip of skipped) log.info({ path: skip.path, reason: skip.reason }, "eslint: file not analyzed");
      if (files.length === 0) return { findings: [], secrets: [] };
      const { linter, configs } = await load();
      const perFile = await mapConcurrent(files, concurrency, async (file) => lintFile(linter, configs, file, log), signal);
      return { findings: perFile.flatMap((r) => r.findings), secrets: perFile.flatMap((r) => r.secrets) };
    },
  };
}

function lintFile(linter: Linter, configs: LintConfigs, file: AnalyzableFile, log: Logger): { findings: Finding[]; secrets: FlaggedSecret[] } {
  const none = { findings: [], secrets: [] };
  const bom = file.content.startsWith("\uFEFF") ? 1 : 0;
  const text = file.content.slice(bom);
  let profile = lintProfileFor(file.path) as LintProfile;
  let messages: Linter.LintMessage[];
  try {
    messages = linter.verify(text, configs[profile], { filename: file.path });
    // `.js` files are ES modules or CommonJS scripts; only a parse failure tells which.
    if (profile === "module" && messages.some((m) => m.fatal) && !file.path.endsWith(".mjs")) {
      const script = linter.verify(text, configs.commonjs, { filename: file.path });
      if (!script.some((m) => m.fatal)) {
        profile = "commonjs";
        messages = script;
      }
    }
  } catch (error) {
    // A rule crashed on this file; the other files' findings still count.
    log.error({ path: file.path, err: error }, "eslint: linting failed; file skipped");
    return none;
  }
  const fatal = messages.find((m) => m.fatal);
  if (fatal) {
    log.warn(
      { path: file.path, line: fatal.line, column: fatal.column, message: fatal.message },
      "eslint: file could not be parsed; no ESLint findings for it",
    );
    return none;
  }
  // The source code of the verify() call above (linting is synchronous, so no other file came between).
  const sourceCode = linter.getSourceCode();
  const findings: Finding[] = [];
  const secrets: FlaggedSecret[] = [];
  const seen = new Set<string>();
  let lines: string[] | null = null;
  const reportedSource = (message: Linter.LintMessage): string | null => {
    if (message.endLine !== undefined && message.endLine !== message.line) return null;
    lines ??= text.split("\n");
    return lines[message.line - 1]?.slice(message.column - 1, message.endColumn === undefined ? undefined : message.endColumn - 1) ?? null;
  };
  for (const message of messages) {
    const info = message.ruleId === null ? undefined : ruleInfo(message.ruleId);
    if (!info) {
      log.debug({ path: file.path, message: message.message, ruleId: message.ruleId }, "eslint: message without a known rule ignored");
      continue;
    }
    if (info.secretKind !== undefined) {
      const value = literalValueRange(sourceCode, text, message);
      if (value) secrets.push({ path: file.path, start: value.start + bom, end: value.end + bom, kind: info.secretKind });
    }
    if (info.ignore) {
      const source = reportedSource(message);
      if (source !== null && info.ignore(source)) continue;
    }
    // Some rules report each occurrence on a line (one per bidi character); one comment per line and rule is enough.
    const key = `${message.line}\u0000${message.ruleId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(eslintMessageToFinding(file.path, message, info, text));
  }
  return { findings, secrets };
}

/** The characters between the quotes of the string literal a message reports, or null when it reports something else. */
function literalValueRange(sourceCode: SourceCode | null, text: string, message: Linter.LintMessage): { start: number; end: number } | null {
  if (sourceCode === null || message.endLine === undefined || message.endColumn === undefined) return null;
  // ESLint's own line/column mapping: it counts \r, \u2028 and \u2029 as line breaks too.
  const start = sourceCode.getIndexFromLoc({ line: message.line, column: message.column - 1 });
  const end = sourceCode.getIndexFromLoc({ line: message.endLine, column: message.endColumn - 1 });
  const quote = text[start];
  if (end - start < 2 || (quote !== '"' && quote !== "'" && quote !== "`") || text[end - 1] !== quote) return null;
  return { start: start + 1, end: end - 1 };
}

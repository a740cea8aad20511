import pino, { type Logger } from "pino";
import type { FindingSource } from "../domain/finding.js";
import type { Analyzer } from "./analyzer.js";
import { createEslintAnalyzer } from "./eslint/linter-analyzer.js";
import { createSecretlintAnalyzer } from "./secretlint-analyzer.js";
import { createTemplateRulesAnalyzer } from "./template-rules.js";

export type { Analyzer, AnalyzerFilter, AnalyzerInput, AnalyzerReport, FlaggedSecret } from "./analyzer.js";
export { runAnalyzers, type AnalyzerError, type AnalyzerRun } from "./run-analyzers.js";
export { applyLineFilter, isAdmitted } from "./line-filter.js";
export { createEslintAnalyzer } from "./eslint/linter-analyzer.js";
export { createSecretlintAnalyzer } from "./secretlint-analyzer.js";
export { createTemplateRulesAnalyzer } from "./template-rules.js";

export interface DefaultAnalyzerOptions {
  /** Fallback logger for analyzers run outside `runAnalyzers` (which passes its own). Silent by default. */
  readonly log?: Logger;
  /** Files analyzed at once per analyzer. */
  readonly concurrency?: number;
}

/** The names of `createDefaultAnalyzers()`, in its order. */
export const DEFAULT_ANALYZER_NAMES = ["eslint", "secretlint", "longview-rules"] as const satisfies readonly FindingSource[];

/** ESLint (core correctness, security plugin and Longview's rules), secretlint, and the template/text rules. */
export function createDefaultAnalyzers(options: DefaultAnalyzerOptions = {}): Analyzer[] {
  const log = options.log ?? pino({ level: "silent" });
  const concurrency = options.concurrency ?? 4;
  return [createEslintAnalyzer({ log, concurrency }), createSecretlintAnalyzer({ log, concurrency }), createTemplateRulesAnalyzer({ log })];
}

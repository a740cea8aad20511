import pino, { type Logger } from "pino";
import type { FindingSource } from "../domain/finding.js";
import type { Analyzer, AnalyzerInput, AnalyzerReport } from "./analyzer.js";
import { extensionOf } from "./analyzable-files.js";
import { JS_EXTENSIONS, TS_EXTENSIONS } from "./eslint/extensions.js";
import { createEslintAnalyzer } from "./eslint/linter-analyzer.js";
import { createSecretlintAnalyzer } from "./secretlint-analyzer.js";
import { createTemplateRulesAnalyzer } from "./template-rules.js";

export type { Analyzer, AnalyzerFilter, AnalyzerInput, AnalyzerReport, FlaggedSecret } from "./analyzer.js";
export { runAnalyzers, type AnalyzerError, type AnalyzerRun } from "./run-analyzers.js";
export { applyLineFilter, isAdmitted } from "./line-filter.js";

export interface DefaultAnalyzerOptions {
  /** Fallback logger for analyzers run outside `runAnalyzers` (which passes its own). Silent by default. */
  readonly log?: Logger;
  /** Files analyzed at once per analyzer. */
  readonly concurrency?: number;
}

/** The names of `createDefaultAnalyzers()`, in its order. */
export const DEFAULT_ANALYZER_NAMES = ["eslint", "secretlint", "longview-rules"] as const satisfies readonly FindingSource[];

/** The default analyzers that never read the impact context (`Analyzer.ignoresImpact`); Longview's rules do (unchanged callers). */
export const IMPACT_FREE_ANALYZER_NAMES: ReadonlySet<FindingSource> = new Set<FindingSource>(["eslint", "secretlint"]);

const lintable = (input: AnalyzerInput): boolean =>
  input.files.some((f) => {
    const ext = extensionOf(f.path);
    return JS_EXTENSIONS.has(ext) || TS_EXTENSIONS.has(ext);
  });

/**
 * ESLint (core correctness, security plugin and Longview's rules), secretlint, and the template/text rules.
 * Each is built on the first input it has work for, not at start-up (ESLint only for JavaScript or TypeScript
 * files), and the TypeScript parser with the compiler behind it, most of a linting process's memory, is loaded
 * on the first TypeScript file (`eslint/lint-configs.ts`): a process holding no job stays small.
 */
export function createDefaultAnalyzers(options: DefaultAnalyzerOptions = {}): Analyzer[] {
  const log = options.log ?? pino({ level: "silent" });
  const concurrency = options.concurrency ?? 4;
  return [
    onFirstUse("eslint", () => createEslintAnalyzer({ log, concurrency }), lintable),
    onFirstUse(
      "secretlint",
      () => createSecretlintAnalyzer({ log, concurrency }),
      (input) => input.files.length > 0,
    ),
    // The impact rules report on unchanged callers too: these rules always run.
    onFirstUse(
      "longview-rules",
      () => createTemplateRulesAnalyzer({ log }),
      () => true,
    ),
  ];
}

const NOTHING: AnalyzerReport = { findings: [], secrets: [] };

/** An analyzer built by `create` on the first input it has work for (`wants`); inputs it has none for cost nothing. */
function onFirstUse(name: FindingSource, create: () => Analyzer, wants: (input: AnalyzerInput) => boolean): Analyzer {
  let built: Analyzer | null = null;
  return {
    name,
    ignoresImpact: IMPACT_FREE_ANALYZER_NAMES.has(name),
    analyze(input, signal) {
      if (!wants(input)) return Promise.resolve(NOTHING);
      built ??= create();
      return built.analyze(input, signal);
    },
  };
}

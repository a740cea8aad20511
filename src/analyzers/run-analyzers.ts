import type { Logger } from "pino";
import { compareFindings, type Finding } from "../domain/finding.js";
import type { Analyzer, AnalyzerInput, FlaggedSecret } from "./analyzer.js";
import { applyLineFilter } from "./line-filter.js";

export interface AnalyzerError {
  readonly analyzer: string;
  readonly message: string;
}

export interface AnalyzerRun {
  readonly findings: Finding[];
  readonly errors: AnalyzerError[];
  /** Credentials the analyzers flagged, for redaction: every line of the head contents, not only the filtered ones. */
  readonly secrets: FlaggedSecret[];
}

/**
 * Runs the analyzers side by side. One analyzer failing is reported in
 * `errors` and never costs the others' findings. Findings are kept only on
 * lines the input's filter admits, in a deterministic order.
 */
export async function runAnalyzers(analyzers: readonly Analyzer[], input: AnalyzerInput, log: Logger, signal?: AbortSignal): Promise<AnalyzerRun> {
  const settled = await Promise.allSettled(
    analyzers.map(async (analyzer) => {
      const started = performance.now();
      const report = await analyzer.analyze({ ...input, log: log.child({ analyzer: analyzer.name }) }, signal);
      log.debug({ analyzer: analyzer.name, findings: report.findings.length, ms: Math.round(performance.now() - started) }, "analyzer finished");
      return report;
    }),
  );
  signal?.throwIfAborted();
  const findings: Finding[] = [];
  const errors: AnalyzerError[] = [];
  const secrets: FlaggedSecret[] = [];
  settled.forEach((result, i) => {
    const name = analyzers[i]!.name;
    if (result.status === "rejected") {
      const message = result.reason instanceof Error ? result.reason.message : String(result.reason);
      log.error({ analyzer: name, err: result.reason }, "analyzer failed");
      errors.push({ analyzer: name, message });
      return;
    }
    secrets.push(...(result.value.secrets ?? []));
    for (const finding of result.value.findings) {
      const admitted = applyLineFilter(finding, input.lineMap, input.filter);
      if (admitted) findings.push(admitted);
    }
  });
  findings.sort(compareFindingsFully);
  return { findings, errors, secrets };
}

/** compareFindings plus tie-breakers, so equal-looking findings from parallel analyzers always come out in one order. */
export function compareFindingsFully(a: Finding, b: Finding): number {
  return (
    compareFindings(a, b) ||
    a.source.localeCompare(b.source) ||
    (a.ruleId ?? "").localeCompare(b.ruleId ?? "") ||
    (a.startLine ?? a.line) - (b.startLine ?? b.line) ||
    a.body.localeCompare(b.body)
  );
}

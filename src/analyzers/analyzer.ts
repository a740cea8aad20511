import type { Logger } from "pino";
import type { ChangedFile, LineMap } from "../domain/change-set.js";
import type { Finding, FindingSource } from "../domain/finding.js";

/** Which lines an analyzer may report on (reviewdog's filter modes). */
export type AnalyzerFilter = "added" | "diff_context";

export interface AnalyzerInput {
  readonly files: readonly ChangedFile[];
  /** Head content by path; files without content are not analyzed. */
  readonly headContents: ReadonlyMap<string, string>;
  readonly lineMap: LineMap;
  readonly filter: AnalyzerFilter;
  /** Where an analyzer reports files it could not read (parse errors, skipped sizes); `runAnalyzers` sets it. */
  readonly log?: Logger;
}

/** A deterministic, offline checker. Runs on head content; reports only lines the filter admits. */
export interface Analyzer {
  readonly name: FindingSource;
  analyze(input: AnalyzerInput, signal?: AbortSignal): Promise<Finding[]>;
}

import type { Logger } from "pino";
import type { ChangedFile, LineMap } from "../domain/change-set.js";
import type { Finding, FindingSource } from "../domain/finding.js";
import type { ImpactContext } from "../domain/impact.js";

/** Which lines an analyzer may report on (reviewdog's filter modes). */
export type AnalyzerFilter = "added" | "diff_context";

export interface AnalyzerInput {
  readonly files: readonly ChangedFile[];
  /** Head content by path; files without content are not analyzed. */
  readonly headContents: ReadonlyMap<string, string>;
  readonly lineMap: LineMap;
  readonly filter: AnalyzerFilter;
  /** Changed definitions and their unchanged users, when the pipeline computed them (repo/impact.ts). */
  readonly impact?: ImpactContext;
  /** Where an analyzer reports files it could not read (parse errors, skipped sizes); `runAnalyzers` sets it. */
  readonly log?: Logger;
}

/**
 * A credential an analyzer found in a file's head content (a hard-coded
 * password, token or key). Handed to redaction so the model never sees it:
 * the analyzer's own judgement, not a second scan with copied patterns.
 */
export interface FlaggedSecret {
  readonly path: string;
  /** [start, end) in UTF-16 offsets of the head content: the value's own characters, never its quotes. */
  readonly start: number;
  readonly end: number;
  /** Kebab-case name for the placeholder, e.g. `credential`. */
  readonly kind: string;
}

export interface AnalyzerReport {
  readonly findings: Finding[];
  /** Credentials flagged anywhere in the head contents (not only on the lines the filter admits). */
  readonly secrets?: readonly FlaggedSecret[];
}

/** A deterministic, offline checker. Runs on head content; reports only lines the filter admits. */
export interface Analyzer {
  readonly name: FindingSource;
  /** Never reads `input.impact`: the pipeline starts it beside the impact context's computation instead of after it. */
  readonly ignoresImpact?: boolean;
  analyze(input: AnalyzerInput, signal?: AbortSignal): Promise<AnalyzerReport>;
}

import type { ChangeSet } from "../domain/change-set.js";
import type { PlacedFinding } from "../domain/finding.js";
import { gapsTitle, type GapRemedies, type ReviewGaps } from "../review/completeness.js";
import type { GatePolicy, OnIncomplete } from "../review/gate.js";
import type { SummaryMode } from "../domain/walkthrough.js";
import type { ReviewResult } from "../review/run-review.js";

/** Everything a CLI output format needs: the pipeline's result plus what the CLI adds around it. */
export interface CliReport {
  readonly result: ReviewResult;
  /** Notices about the input, shown before the pipeline's own: config problems, missing `--repo`. */
  readonly inputNotices: readonly string[];
  readonly gate: CliGate;
  /** The reviewed change, for line text (SARIF fingerprints). */
  readonly changeSet: ChangeSet;
  readonly tool: ToolInfo;
  /** How much of the walkthrough the Markdown and text reports show (`review.summary`); `full` when absent. */
  readonly summary?: SummaryMode;
}

export interface CliGate {
  /** The exit code's verdict: false when the gate's conclusion is failure. */
  readonly passed: boolean;
  /** null when gating is off (`--fail-on none`). */
  readonly policy: GatePolicy | null;
  readonly gating: readonly PlacedFinding[];
  /** What the review did not cover (size limits, failed model windows), or null when it covered the change. */
  readonly gaps: ReviewGaps | null;
  readonly onIncomplete: OnIncomplete;
}

export interface ToolInfo {
  readonly version: string;
  /** Where to learn about Longview (package.json `homepage`), if known. */
  readonly informationUri: string | null;
}

/** `P1:bug,security` or `none`: the same syntax `--fail-on` accepts. */
export function formatPolicy(policy: GatePolicy | null): string {
  return policy === null ? "none" : `${policy.severity}:${policy.categories.join(",")}`;
}

export function allNotices(report: CliReport): string[] {
  return [...report.inputNotices, ...report.result.notices];
}

/** The text of one line of the change on the given side, or null when the CLI does not have it. */

export function gateSentence(gate: CliGate): string {
  const incomplete = gate.gaps ? ` ${gapsTitle(gate.gaps)} (gate.onIncomplete: ${gate.onIncomplete}).` : "";
  if (gate.policy === null) return `Gate: off (--fail-on none).${incomplete}`;
  const scope = `${gate.policy.severity} or worse in ${gate.policy.categories.join(", ")}`;
  const n = gate.gating.length;
  if (n > 0) return `Gate: failed, ${n} ${n === 1 ? "finding" : "findings"} at ${scope}.${incomplete}`;
  if (gate.gaps) return `Gate: ${gate.passed ? "passed" : "failed"}, no findings at ${scope}, but the review is incomplete.${incomplete}`;
  return `Gate: passed (no findings at ${scope}).`;
}

/** How to act on an incomplete local review. */
export const CLI_REMEDIES: GapRemedies = { rerun: "run the review again", configFile: "`.github/longview.yml` (or the `--config` file)" };

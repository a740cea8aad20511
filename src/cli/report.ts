import type { ChangeSet } from "../domain/change-set.js";
import type { PlacedFinding } from "../domain/finding.js";
import type { GatePolicy } from "../review/gate.js";
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
}

export interface CliGate {
  readonly passed: boolean;
  /** null when gating is off (`--fail-on none`). */
  readonly policy: GatePolicy | null;
  readonly gating: readonly PlacedFinding[];
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
  if (gate.policy === null) return "Gate: off (--fail-on none).";
  const scope = `${gate.policy.severity} or worse in ${gate.policy.categories.join(", ")}`;
  if (gate.passed) return `Gate: passed (no findings at ${scope}).`;
  const n = gate.gating.length;
  return `Gate: failed, ${n} ${n === 1 ? "finding" : "findings"} at ${scope}.`;
}

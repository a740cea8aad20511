import type { Finding } from "../domain/finding.js";
import type { CheckRunAction } from "../github/check-run.js";
import { isGating, type GatePolicy } from "../review/gate.js";

/** The check run's "Fix all" button: `check_run.requested_action` with this identifier runs `/agent fix` on the gating findings. */
export const FIX_ALL_IDENTIFIER = "fix_all";

/** GitHub's limits: label 20, description 40, identifier 20 characters. */
export const FIX_ALL_ACTION: CheckRunAction = {
  label: "Fix all",
  description: "Commit fixes for the blocking findings",
  identifier: FIX_ALL_IDENTIFIER,
};

/** The actions a completed review's check run offers: "Fix all" when open findings (this review's or earlier ones') fail the gate. */
export function fixAllActions(findings: readonly Pick<Finding, "severity" | "category" | "verification">[], gate: GatePolicy): CheckRunAction[] {
  return findings.some((f) => isGating(f, gate)) ? [FIX_ALL_ACTION] : [];
}

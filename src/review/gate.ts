import type { RepoConfig } from "../config/repo-config.js";
import type { Category, Finding, Severity } from "../domain/finding.js";
import { clearsGateScore, severityRank } from "../domain/finding.js";

/**
 * The merge gate, shared by the check run, "Fix all" and the CLI's exit code: a finding
 * at `severity` or worse in one of `categories`, verified at `gateScore` or above
 * (deterministic findings need no verification), fails the change.
 */
export interface GatePolicy {
  readonly severity: Severity;
  readonly categories: readonly Category[];
  readonly gateScore: number;
}

/** The repository's gate: `gate` for what counts, `verification.gateScore` for how sure a model finding must be. */
export function gatePolicyOf(config: Pick<RepoConfig, "gate" | "verification">): GatePolicy {
  return { severity: config.gate.severity, categories: config.gate.categories, gateScore: config.verification.gateScore };
}

export interface GateVerdict {
  readonly passed: boolean;
  /** The findings that fail the gate, most severe first. */
  readonly gating: readonly Finding[];
}

export function isGating(finding: Pick<Finding, "severity" | "category" | "verification">, policy: GatePolicy): boolean {
  return (
    severityRank(finding.severity) <= severityRank(policy.severity) &&
    policy.categories.includes(finding.category) &&
    clearsGateScore(finding, policy.gateScore)
  );
}

export function evaluateGate<F extends Finding>(findings: readonly F[], policy: GatePolicy): GateVerdict & { readonly gating: readonly F[] } {
  const gating = findings.filter((f) => isGating(f, policy));
  return { passed: gating.length === 0, gating };
}

/** Parses a CLI `--fail-on` value: `P1`, `P1:bug,security`, or `none`. */
export function parseFailOn(value: string, fallback: GatePolicy): GatePolicy | null | Error {
  if (value === "none") return null;
  const m = /^(P[0-3])(?::([a-z,]+))?$/.exec(value.trim());
  if (!m) return new Error(`--fail-on expects P0..P3, optionally with categories (e.g. P1:bug,security), or "none"; got "${value}"`);
  const categories = m[2]?.split(",").filter(Boolean) ?? [...fallback.categories];
  const known = ["bug", "security", "performance", "other"];
  const unknown = categories.filter((c) => !known.includes(c));
  if (unknown.length > 0) return new Error(`--fail-on: unknown categories ${unknown.join(", ")} (known: ${known.join(", ")})`);
  return { severity: m[1] as Severity, categories: categories as Category[], gateScore: fallback.gateScore };
}

export { ON_INCOMPLETE, type OnIncomplete } from "../config/repo-config.js";
import type { OnIncomplete } from "../config/repo-config.js";

export type GateConclusion = "success" | "failure" | "neutral";

/**
 * The one decision behind the check run's conclusion and the CLI's exit code:
 * blocking findings fail; otherwise a review that did not cover the change
 * concludes as the repository chose (failure unless it accepts gaps);
 * otherwise it passes.
 */
export function gateConclusion(input: { readonly blocking: number; readonly incomplete: boolean; readonly onIncomplete: OnIncomplete }): GateConclusion {
  if (input.blocking > 0) return "failure";
  if (input.incomplete) return input.onIncomplete;
  return "success";
}

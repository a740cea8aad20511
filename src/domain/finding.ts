import { z } from "zod";
import type { Side } from "./change-set.js";

/**
 * Finding: one problem in the change, from the model reviewer (source `agent`)
 * or an analyzer. The same type flows from detection through merging,
 * placement and every output (review comments, check-run annotations, CLI
 * JSON/Markdown/SARIF).
 */

export const SEVERITIES = ["P0", "P1", "P2", "P3"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CATEGORIES = ["bug", "security", "performance", "other"] as const;
export type Category = (typeof CATEGORIES)[number];

/** `synthesis`: the model's pass over every window's notes and findings, reporting what crosses windows. */
export const FINDING_SOURCES = ["agent", "eslint", "secretlint", "longview-rules", "synthesis"] as const;
export type FindingSource = (typeof FINDING_SOURCES)[number];

/** Sources that are the model's judgement rather than a deterministic rule. */
export function isModelSource(source: FindingSource): boolean {
  return source === "agent" || source === "synthesis";
}

export const SeveritySchema = z.enum(SEVERITIES);
export const CategorySchema = z.enum(CATEGORIES);

export interface Finding {
  readonly path: string;
  /** Last line of the commented range (GitHub's `line`). */
  readonly line: number;
  /** First line of a multi-line range, or null for a single line. */
  readonly startLine: number | null;
  readonly side: Side;
  readonly severity: Severity;
  readonly category: Category;
  readonly title: string;
  readonly body: string;
  /** Replacement text for startLine..line (RIGHT side), or null. */
  readonly suggestion: string | null;
  /** 0..1; analyzers report 1 for deterministic rules. */
  readonly confidence: number;
  readonly source: FindingSource;
  /** Analyzer rule id (e.g. `security/detect-eval-with-expression`), null for agent findings. */
  readonly ruleId: string | null;
  /** Other sources that reported the same problem on the same line (after merging). */
  readonly corroboratedBy: readonly FindingSource[];
  /**
   * The code the finding is about, as the model quoted it (checked against the
   * cited lines by the reviewer's validation); absent for analyzer findings.
   */
  readonly quote?: string;
  /**
   * How a model finding was checked before it was posted (absent for analyzer
   * findings: a rule is deterministic, and for findings posted before verification existed).
   */
  readonly verification?: Verification;
}

/** The verifier's answer on one candidate finding. */
export const VERDICTS = ["confirmed", "rejected", "uncertain"] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * `confirmed`: the verification pass confirmed it at `score`; `unverified`: verification is switched
 * off, `score` is the reviewer's own confidence; `failed`: the verification pass could not answer and
 * `verification.onFailure` is `post`, so it is posted marked as unverified and never gates.
 */
export const VERIFICATION_STATUSES = ["confirmed", "unverified", "failed"] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export interface Verification {
  readonly status: VerificationStatus;
  /** 0..1: how likely the finding is a real defect. */
  readonly score: number;
  /** One line: why (the verifier's reason, or why there is none). */
  readonly reason: string;
}

/**
 * Whether a finding's verification lets it fail the merge gate (and be a "Fix all" target):
 * deterministic findings always, failed verifications never, the rest at `gateScore` or above.
 */
export function clearsGateScore(finding: Pick<Finding, "verification">, gateScore: number): boolean {
  const v = finding.verification;
  if (v === undefined) return true;
  return v.status !== "failed" && v.score >= gateScore;
}

/** How many candidate findings each stage of a review removed (model findings and analyzer findings together). */
export interface FindingFunnel {
  /** Findings as reported: every model finding answered plus every analyzer finding. */
  readonly candidates: number;
  /** Model findings whose quote matched no reviewed line of their window. */
  readonly droppedEvidence: number;
  /** Model findings on lines their window did not review (surrounding code, outside the diff). */
  readonly droppedScope: number;
  /** Model findings moved to the lines their quote was found on. */
  readonly reanchored: number;
  /** Findings folded into another one reporting the same problem. */
  readonly merged: number;
  /** P0/P1 model findings that a majority of independent reviews of their window did not report (self-consistency). */
  readonly droppedConsistency: number;
  /** Model findings the verification pass rejected, was unsure of, or scored below `verification.minScore`. */
  readonly droppedVerification: number;
  /** Model findings left unposted because their verification failed (`verification.onFailure`: withhold or incomplete). */
  readonly withheld: number;
}

export const EMPTY_FUNNEL: FindingFunnel = {
  candidates: 0,
  droppedEvidence: 0,
  droppedScope: 0,
  reanchored: 0,
  merged: 0,
  droppedConsistency: 0,
  droppedVerification: 0,
  withheld: 0,
};

export function addFunnel(a: FindingFunnel, b: FindingFunnel): FindingFunnel {
  return {
    candidates: a.candidates + b.candidates,
    droppedEvidence: a.droppedEvidence + b.droppedEvidence,
    droppedScope: a.droppedScope + b.droppedScope,
    reanchored: a.reanchored + b.reanchored,
    merged: a.merged + b.merged,
    droppedConsistency: a.droppedConsistency + b.droppedConsistency,
    droppedVerification: a.droppedVerification + b.droppedVerification,
    withheld: a.withheld + b.withheld,
  };
}

/** Where a finding ends up on GitHub; computed by review/placement. */
export type Placement = "inline" | "file" | "body";

export interface PlacedFinding extends Finding {
  readonly placement: Placement;
  /** Why the finding was moved from where it was reported, if it was. */
  readonly placementNote: string | null;
}

/** A finding with its identity across pushes (review/fingerprint.ts), as posted on GitHub. */
export interface Fingerprinted extends PlacedFinding {
  readonly fingerprint: string;
  /** Hash of the anchored head line's text; null for findings on deleted lines. */
  readonly anchor: string | null;
}

/** P0 is the most severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function compareFindings(a: Finding, b: Finding): number {
  return severityRank(a.severity) - severityRank(b.severity) || a.path.localeCompare(b.path) || a.line - b.line || a.title.localeCompare(b.title);
}

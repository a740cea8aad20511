import { coverageLines, type CoverageLines } from "../../domain/window.js";
import type { Side, SkipReason } from "../../domain/change-set.js";
import type { Category, FindingFunnel, FindingSource, Placement, PlacedFinding, Severity, VerificationStatus } from "../../domain/finding.js";
import type { FileStatus } from "../../domain/change-set.js";
import type { Survey } from "../../domain/survey.js";
import type { Walkthrough, WalkthroughApiChange } from "../../domain/walkthrough.js";
import { gapsTitle } from "../../review/completeness.js";
import type { OnIncomplete } from "../../review/gate.js";
import type { VerificationSummary } from "../../review/verification.js";
import { allNotices, formatPolicy, type CliReport } from "../report.js";

/**
 * The CLI's JSON report: a public contract (docs/cli.md). Field names and
 * meanings change only with a new `version`; adding a field is compatible.
 */

export const JSON_REPORT_VERSION = 1;

export interface JsonFinding {
  readonly path: string;
  readonly line: number;
  readonly start_line: number | null;
  readonly side: Side;
  readonly severity: Severity;
  readonly category: Category;
  readonly title: string;
  readonly body: string;
  readonly suggestion: string | null;
  readonly source: FindingSource;
  readonly ruleId: string | null;
  readonly confidence: number;
  readonly corroboratedBy: readonly FindingSource[];
  readonly placement: Placement;
  /** Added in 1.x: how a model finding was checked before it was reported; null for analyzer findings. */
  readonly verification: { readonly status: VerificationStatus; readonly score: number; readonly reason: string } | null;
}

/** Added in 1.x: what stood between the candidate findings and the report: the pipeline's funnel (domain/finding.ts) and the verification's counts. */
export interface JsonChecked extends FindingFunnel {
  /** Null in offline mode. */
  readonly verification: {
    readonly enabled: boolean;
    readonly checked: number;
    readonly confirmed: number;
    readonly rejected: number;
    readonly uncertain: number;
    readonly belowScore: number;
    readonly failed: number;
    readonly modelCalls: number;
    readonly inputTokens: number;
    readonly outputTokens: number;
  } | null;
}

/** What the change does (docs/cli.md): deterministic, with the survey's model text where the survey ran. */
export interface JsonWalkthrough {
  readonly additions: number;
  readonly deletions: number;
  readonly files: readonly {
    readonly path: string;
    readonly previousPath: string | null;
    readonly status: FileStatus | null;
    readonly additions: number | null;
    readonly deletions: number | null;
    readonly changedLines: number;
    readonly files: number;
    readonly review: "reviewed" | "triaged" | "skipped";
    /** The triage kind or the skip reason; null for reviewed files. */
    readonly reason: string | null;
    /** The survey's one-line summary (model text), or null. */
    readonly summary: string | null;
  }[];
  /** As the walkthrough has them (domain/walkthrough.ts). */
  readonly apiChanges: readonly WalkthroughApiChange[];
  readonly surveyApiChanges: readonly { readonly path: string; readonly symbol: string; readonly change: string }[];
  readonly risks: readonly { readonly path: string | null; readonly text: string }[];
}

export interface JsonReport {
  readonly version: typeof JSON_REPORT_VERSION;
  readonly findings: readonly JsonFinding[];
  /** The line counts mean what `Coverage`'s do (domain/window.ts; docs/cli.md). */
  readonly coverage: CoverageLines & {
    readonly files: number;
    readonly reviewedFiles: number;
    readonly skipped: readonly { readonly path: string; readonly reason: SkipReason; readonly lines: number; readonly detail: string | null }[];
  };
  readonly gate: {
    readonly passed: boolean;
    readonly policy: string;
    readonly gating: number;
    /** What the review did not cover ("Incomplete: …"), or null. */
    readonly incomplete: string | null;
    readonly onIncomplete: OnIncomplete;
  };
  /** Added in 1.x: null when the pipeline produced none. */
  readonly walkthrough: JsonWalkthrough | null;
  /** Added in 1.x: null when the pipeline did not count (older results). */
  readonly checked: JsonChecked | null;
  readonly model: string | null;
  readonly notices: readonly string[];
  readonly stats: {
    readonly durationMs: number;
    readonly windows: number;
    readonly waves: number;
    readonly modelCalls: number;
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly reasoningTokens: number;
    readonly diffTokens: number;
    readonly tokensSent: number;
  };
}

export function toJsonReport(report: CliReport): JsonReport {
  const { result, gate } = report;
  const { coverage, plan, usage } = result;
  return {
    version: JSON_REPORT_VERSION,
    findings: result.findings.map(toJsonFinding),
    coverage: {
      ...coverageLines(coverage),
      files: coverage.files,
      reviewedFiles: coverage.reviewedFiles,
      skipped: coverage.skipped.map((s) => ({ path: s.path, reason: s.reason, lines: s.lines, detail: s.detail ?? null })),
    },
    gate: {
      passed: gate.passed,
      policy: formatPolicy(gate.policy),
      gating: gate.gating.length,
      incomplete: gate.gaps ? gapsTitle(gate.gaps) : null,
      onIncomplete: gate.onIncomplete,
    },
    walkthrough: result.walkthrough ? toJsonWalkthrough(result.walkthrough, result.survey ?? null) : null,
    checked: result.funnel ? toJsonChecked(result.funnel, result.verification ?? null) : null,
    model: result.model,
    notices: allNotices(report),
    stats: {
      durationMs: result.durationMs,
      windows: plan.windows,
      waves: plan.waves,
      modelCalls: result.modelCalls,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      reasoningTokens: usage.reasoningTokens,
      diffTokens: plan.diffTokens,
      tokensSent: plan.tokensSent,
    },
  };
}

function toJsonChecked(funnel: FindingFunnel, verification: VerificationSummary | null): JsonChecked {
  return {
    ...funnel,
    verification: verification
      ? {
          enabled: verification.enabled,
          checked: verification.checked,
          confirmed: verification.confirmed,
          rejected: verification.rejected,
          uncertain: verification.uncertain,
          belowScore: verification.belowScore,
          failed: verification.failed,
          modelCalls: verification.calls,
          inputTokens: verification.usage.inputTokens,
          outputTokens: verification.usage.outputTokens,
        }
      : null,
  };
}

function toJsonWalkthrough(w: Walkthrough, survey: Survey | null): JsonWalkthrough {
  const summaries = new Map((survey?.files ?? []).map((f) => [f.path, f.summary]));
  return {
    additions: w.additions,
    deletions: w.deletions,
    files: w.files.map((f) => ({
      path: f.path,
      previousPath: f.previousPath,
      status: f.status,
      additions: f.additions,
      deletions: f.deletions,
      changedLines: f.changedLines,
      files: f.files,
      review: f.handling.kind,
      reason: f.handling.kind === "triaged" ? f.handling.triage : f.handling.kind === "skipped" ? f.handling.reason : null,
      summary: summaries.get(f.path) ?? null,
    })),
    apiChanges: w.apiChanges,
    surveyApiChanges: (survey?.apiChanges ?? []).map((c) => ({ path: c.path, symbol: c.symbol, change: c.change })),
    risks: (survey?.risks ?? []).map((r) => ({ path: r.path, text: r.text })),
  };
}

function toJsonFinding(f: PlacedFinding): JsonFinding {
  return {
    path: f.path,
    line: f.line,
    start_line: f.startLine,
    side: f.side,
    severity: f.severity,
    category: f.category,
    title: f.title,
    body: f.body,
    suggestion: f.suggestion,
    source: f.source,
    ruleId: f.ruleId,
    confidence: f.confidence,
    corroboratedBy: f.corroboratedBy,
    placement: f.placement,
    verification: f.verification ? { status: f.verification.status, score: f.verification.score, reason: f.verification.reason } : null,
  };
}

export function formatJson(report: CliReport): string {
  return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}

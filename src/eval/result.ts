import { z } from "zod";
import { CATEGORIES, FINDING_SOURCES, SEVERITIES } from "../domain/finding.js";
import { EXPECTED_CATEGORIES } from "./case-schema.js";

/**
 * The JSON result of one evaluation run (`result.json`): every number of the
 * report, and per case what was expected, what was found and how they were
 * paired, so two runs can be compared. Read back through this schema by
 * `--compare`; a new field is optional, a changed meaning bumps `version`.
 */

export const RESULT_VERSION = 1;

const ratio = z.number().min(0).max(1).nullable();
const count = z.number().int().nonnegative();

export const ScoresSchema = z.object({
  expected: count,
  matchedExpected: count,
  findings: count,
  matchedFindings: count,
  recall: ratio,
  precision: ratio,
  f1: ratio,
});

export const UsageSchema = z.object({ inputTokens: count, outputTokens: count, reasoningTokens: count });

const SpendSchema = z.object({
  usage: UsageSchema,
  modelCalls: count,
  /** Estimated USD; null when the model has no price in the table. */
  costUsd: z.number().nonnegative().nullable(),
});

const ExpectedSchema = z.object({
  path: z.string().nullable(),
  lineStart: z.number().int().nullable(),
  lineEnd: z.number().int().nullable(),
  category: z.enum(EXPECTED_CATEGORIES),
  severity: z.enum(SEVERITIES),
  description: z.string(),
});

const FindingSchema = z.object({
  path: z.string(),
  line: z.number().int(),
  startLine: z.number().int().nullable(),
  side: z.enum(["LEFT", "RIGHT"]),
  category: z.enum(CATEGORIES),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  source: z.enum(FINDING_SOURCES),
  ruleId: z.string().nullable(),
  confidence: z.number(),
});

const PairSchema = z.object({
  expected: count,
  finding: count,
  scope: z.enum(["lines", "file", "change"]),
  distance: count,
});

const FunnelSchema = z.object({
  candidates: count,
  droppedEvidence: count,
  droppedScope: count,
  reanchored: count,
  merged: count,
  droppedConsistency: count.optional(),
  droppedVerification: count.optional(),
  withheld: count.optional(),
});

const VerificationSchema = z.object({
  /** False when verification was switched off: the reviewer's confidence stood in for the verifier's score. */
  enabled: z.boolean(),
  /** Model findings the verifier was asked about (0 when off). */
  checked: count,
  confirmed: count,
  rejected: count,
  uncertain: count,
  /** Confirmed (or, when off, reported) below `verification.minScore`. */
  belowScore: count,
  /** The verifier gave no usable answer for them; `verification.onFailure` decided. */
  failed: count,
  usage: UsageSchema,
  calls: count,
});

const BeforeVerificationSchema = z.object({
  findings: z.array(FindingSchema),
  matches: z.array(PairSchema),
  /** Indices into `expected`. */
  missed: z.array(count),
  /** Indices into this object's `findings`. */
  falsePositives: z.array(count),
  /** Indices into this object's `findings` of those verification removed (no posted counterpart). */
  dropped: z.array(count),
  scores: ScoresSchema,
});

export const CaseResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  language: z.string(),
  dir: z.string(),
  expected: z.array(ExpectedSchema),
  findings: z.array(FindingSchema),
  matches: z.array(PairSchema),
  /** Indices into `expected`. */
  missed: z.array(count),
  /** Indices into `findings`. */
  falsePositives: z.array(count),
  scores: ScoresSchema,
  review: SpendSchema.extend({ durationMs: count }),
  /** Null when no judge ran. */
  judge: SpendSchema.extend({ failures: count }).nullable(),
  notices: z.array(z.string()),
  /** What the windows showed of the evidence lines, without and with the impact section (absent in older results). */
  context: z.object({ evidence: count, shownWithoutImpact: count, shownWithImpact: count, crossFile: z.boolean() }).nullable().optional(),
  /** Candidate findings and what each stage removed (ReviewResult.funnel; absent in older results, the last three stages too). */
  funnel: FunnelSchema.optional(),
  /** What the verification pass did in this case's review (absent in offline runs and older results). */
  verification: VerificationSchema.optional(),
  /**
   * The findings the review would have posted had verification kept every candidate, matched and
   * scored like `findings` (see before-verification.ts); absent in offline runs and older results.
   */
  beforeVerification: BeforeVerificationSchema.optional(),
});

const ContextRecallSchema = z.object({
  cases: count,
  withoutImpact: ratio,
  withImpact: ratio,
  crossFileCases: count,
  crossFileWithoutImpact: ratio,
  crossFileWithImpact: ratio,
});

export const EvalResultSchema = z.object({
  version: z.literal(RESULT_VERSION),
  startedAt: z.string(),
  dataset: z.string(),
  /** `offline`: analyzers only; `model`: the model reviewer and the analyzers. */
  mode: z.enum(["offline", "model"]),
  /** Why the run was offline (`--offline`, or no OPENAI_API_KEY); null for a model run. */
  offlineReason: z.string().nullable(),
  model: z.string().nullable(),
  judgeModel: z.string().nullable(),
  tolerance: count,
  windowTokens: count,
  overall: ScoresSchema,
  byCategory: z.record(z.string(), ScoresSchema),
  bySeverity: z.record(z.string(), ScoresSchema),
  byLanguage: z.record(z.string(), ScoresSchema),
  /** Share of matches whose finding has the expected severity. */
  severityAgreement: ratio,
  /** Share of cases whose evidence lines the windows show before any tool call (absent in older results). */
  contextRecall: ContextRecallSchema.optional(),
  /**
   * Scores of what would have been posted had verification kept every candidate (per case
   * `beforeVerification`), overall and per category; absent in offline runs and older results.
   * `overall` and `byCategory` above are the scores after verification: what was posted.
   */
  beforeVerification: z
    .object({
      overall: ScoresSchema,
      byCategory: z.record(z.string(), ScoresSchema),
      /** Findings verification removed, and how many of them had matched an expected issue before it. */
      dropped: count,
      droppedMatched: count,
    })
    .optional(),
  totals: z.object({
    review: SpendSchema.extend({ durationMs: count }),
    judge: SpendSchema.extend({ failures: count }).nullable(),
    /** Wall-clock time of the whole run (cases may run concurrently). */
    wallMs: count,
  }),
  cases: z.array(CaseResultSchema),
});

export type CaseResult = z.infer<typeof CaseResultSchema>;
export type EvalResult = z.infer<typeof EvalResultSchema>;

import type { Logger } from "pino";
import { ModelError, ZERO_USAGE, addUsage, type TokenUsage } from "../model/index.js";
import type { Reviewer } from "../reviewer/index.js";
import type { Analyzer } from "../analyzers/analyzer.js";
import { workingTreeReader } from "../cli/head-content.js";
import { buildLocalChangeSet } from "../cli/local-change-set.js";
import { sizeLimitsFrom } from "../diff/size-budget.js";
import { loadRepoSettings } from "../cli/repo-settings.js";
import type { Env } from "../config/env.js";
import type { PlacedFinding } from "../domain/finding.js";
import { estimateCostUsd, priceTable, type ModelPriceTable } from "../config/model-prices.js";
import { OFFLINE_NOTICE, runReview } from "../review/run-review.js";
import { planWindows, type PlanWindows, type WindowPlanRequest } from "../review/plan-windows.js";
import { renderWindow } from "../context/index.js";
import type { ImpactContext } from "../domain/impact.js";
import type { WindowPlan } from "../domain/window.js";
import { memorySnapshot } from "../repo/memory-snapshot.js";
import { looksBinary } from "../diff/compute-file-diff.js";
import { contextRecall, evidenceShown, shownLocations, type CaseContext } from "./context-recall.js";
import { readTree } from "./load-dataset.js";
import { mapConcurrent } from "../util/map-concurrent.js";
import type { Judge } from "./judge.js";
import type { EvalCase } from "./load-dataset.js";
import { candidatePairs, matchFindings, type CandidatePair, type MatchOutcome, type PairAcceptor } from "./match.js";
import { droppedByVerification, findingKey, findingsBeforeVerification } from "./before-verification.js";
import type { VerificationSummary } from "../review/verification.js";
import { caseCounts, overallScores, score, scoresByCategory, scoresByLanguage, scoresBySeverity, severityAgreement, type MatchedCase } from "./metrics.js";
import { RESULT_VERSION, type CaseResult, type EvalResult } from "./result.js";

/**
 * Runs every case through the review pipeline the app and the CLI use — the
 * CLI's local ChangeSet construction and repository settings, then
 * `runReview` — and scores the findings against the case's labels.
 */

export interface EvalRunInput {
  /** The dataset as the user named it; recorded in the result. */
  readonly dataset: string;
  readonly cases: readonly EvalCase[];
  readonly env: Env;
  /** The model reviewer, or null for an offline (analyzers-only) run. */
  readonly reviewer: Reviewer | null;
  /** Why the run is offline (shown in the report); null for a model run. */
  readonly offlineReason: string | null;
  readonly analyzers: readonly Analyzer[];
  readonly judge: Judge | null;
  readonly tolerance: number;
  readonly windowTokens: number;
  /** Cases reviewed at once. */
  readonly concurrency: number;
  /** Give the review the impact context (changed definitions and their unchanged callers); default true. */
  readonly impact?: boolean;
  readonly log: Logger;
  readonly signal?: AbortSignal;
  readonly onCaseDone?: (result: CaseResult, done: number, total: number) => void;
  readonly now?: () => Date;
}

export async function runEval(input: EvalRunInput): Promise<EvalResult> {
  const startedAt = (input.now ?? (() => new Date()))();
  const started = performance.now();
  const prices = priceTable(input.env.LONGVIEW_MODEL_PRICES);
  let done = 0;
  const cases = await mapConcurrent(input.cases, input.concurrency, async (c) => {
    input.signal?.throwIfAborted();
    const result = await evaluateCase(c, input, prices);
    input.onCaseDone?.(result, ++done, input.cases.length);
    return result;
  });
  const matched = cases.map(toMatchedCase);
  const before = beforeVerificationTotals(cases);
  return {
    version: RESULT_VERSION,
    startedAt: startedAt.toISOString(),
    dataset: input.dataset,
    mode: input.reviewer === null ? "offline" : "model",
    offlineReason: input.reviewer === null ? input.offlineReason : null,
    model: input.reviewer?.model ?? null,
    judgeModel: input.judge?.model ?? null,
    tolerance: input.tolerance,
    windowTokens: input.windowTokens,
    overall: overallScores(matched),
    byCategory: Object.fromEntries(scoresByCategory(matched)),
    bySeverity: Object.fromEntries(scoresBySeverity(matched)),
    byLanguage: Object.fromEntries(scoresByLanguage(matched)),
    severityAgreement: severityAgreement(matched),
    contextRecall: contextRecall(cases.map((c) => c.context)),
    ...(before ? { beforeVerification: before } : {}),
    totals: {
      review: { ...sumSpend(cases.map((c) => c.review)), durationMs: cases.reduce((sum, c) => sum + c.review.durationMs, 0) },
      judge: input.judge === null ? null : sumJudge(cases),
      wallMs: Math.round(performance.now() - started),
    },
    cases,
  };
}

export function toMatchedCase(c: CaseResult): MatchedCase {
  return { language: c.language, expected: c.expected, findings: c.findings, outcome: { pairs: c.matches } };
}

async function evaluateCase(c: EvalCase, input: EvalRunInput, prices: ModelPriceTable): Promise<CaseResult> {
  const { env } = input;
  const log = input.log.child({ caseId: c.id });
  const settings = await loadRepoSettings(c.headDir, undefined, c.headDir ?? ".");
  const readHead = c.headDir === null ? null : workingTreeReader(c.headDir, env.LONGVIEW_MAX_FILE_BYTES);
  const { changeSet } = await buildLocalChangeSet(c.diffText, settings.config.paths, readHead, sizeLimitsFrom(env));
  // The case's repository at head: impact context and the model's tools read it, as in the app and the CLI.
  const repository = c.headDir === null || input.impact === false ? null : await treeSnapshot(c.headDir, env.LONGVIEW_MAX_FILE_BYTES);
  let planned: { request: WindowPlanRequest; plan: WindowPlan } | null = null;
  const recordingPlanner: PlanWindows = async (request, signal) => {
    const plan = await planWindows(request, signal);
    planned = { request, plan };
    return plan;
  };
  const review = await runReview({
    changeSet,
    pr: { title: c.title, description: c.description },
    guidelines: settings.guidelines,
    config: settings.config,
    budget: { windowTokens: input.windowTokens, outputTokens: env.LONGVIEW_OUTPUT_TOKENS, contextTokens: env.LONGVIEW_CONTEXT_TOKENS },
    reviewer: input.reviewer,
    analyzers: input.analyzers,
    windowConcurrency: env.LONGVIEW_WINDOW_CONCURRENCY,
    planWindows: recordingPlanner,
    ...(repository ? { repository } : {}),
    log,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const recorded = planned as { request: WindowPlanRequest; plan: WindowPlan } | null;
  const context = recorded === null ? null : await measureContext(c, recorded, recorded.request.options.impact ?? null);

  const findings = review.findings;
  // With verification, the judge decides on the larger set (every candidate): its answers then serve both scorings.
  const before = review.verification ? findingsBeforeVerification(findings, review.verification.candidates, changeSet.lineMap) : null;
  const judged = input.judge === null ? null : await judgeCandidates(c, before ?? findings, input.judge, input.tolerance, log, input.signal);
  const matchOn = (list: readonly PlacedFinding[]) =>
    matchFindings(c.expected, list, { tolerance: input.tolerance, ...(judged ? { accepts: judged.acceptsFor(list) } : {}) });
  const outcome = matchOn(findings);
  const notices = [...settings.problems, ...review.notices.filter((n) => n !== OFFLINE_NOTICE), ...(judged?.notices ?? [])];
  const beforeVerification = before === null ? null : scoreBefore(c, before, matchOn(before), findings);

  return {
    id: c.id,
    title: c.title,
    language: c.language,
    dir: c.dir,
    expected: [...c.expected],
    findings: findings.map(summarizeFinding),
    matches: [...outcome.pairs],
    missed: [...outcome.missedExpected],
    falsePositives: [...outcome.unmatchedFindings],
    scores: score(caseCounts({ language: c.language, expected: c.expected, findings, outcome })),
    review: {
      usage: review.usage,
      modelCalls: review.modelCalls,
      costUsd: review.model === null ? 0 : estimateCostUsd(prices, review.model, review.usage),
      durationMs: review.durationMs,
    },
    judge:
      judged === null || input.judge === null
        ? null
        : { usage: judged.usage, modelCalls: judged.calls, costUsd: estimateCostUsd(prices, input.judge.model, judged.usage), failures: judged.failures },
    notices,
    context,
    ...(review.funnel ? { funnel: review.funnel } : {}),
    ...(review.verification ? { verification: verificationCounts(review.verification) } : {}),
    ...(beforeVerification ? { beforeVerification } : {}),
  };
}

function scoreBefore(
  c: EvalCase,
  before: readonly PlacedFinding[],
  outcome: MatchOutcome,
  posted: readonly PlacedFinding[],
): NonNullable<CaseResult["beforeVerification"]> {
  return {
    findings: before.map(summarizeFinding),
    matches: [...outcome.pairs],
    missed: [...outcome.missedExpected],
    falsePositives: [...outcome.unmatchedFindings],
    dropped: droppedByVerification(before, posted),
    scores: score(caseCounts({ language: c.language, expected: c.expected, findings: before, outcome })),
  };
}

function verificationCounts(v: VerificationSummary): NonNullable<CaseResult["verification"]> {
  return {
    enabled: v.enabled,
    checked: v.checked,
    confirmed: v.confirmed,
    rejected: v.rejected,
    uncertain: v.uncertain,
    belowScore: v.belowScore,
    failed: v.failed,
    usage: v.usage,
    calls: v.calls,
  };
}

/** Overall and per-category scores before verification, over the cases that recorded them; undefined when none did. */
export function beforeVerificationTotals(cases: readonly CaseResult[]): EvalResult["beforeVerification"] {
  const recorded = cases.flatMap((c) => (c.beforeVerification ? [{ c, before: c.beforeVerification }] : []));
  if (recorded.length === 0) return undefined;
  const matched: MatchedCase[] = recorded.map(({ c, before }) => ({
    language: c.language,
    expected: c.expected,
    findings: before.findings,
    outcome: { pairs: before.matches },
  }));
  let droppedMatched = 0;
  for (const { before } of recorded) {
    const matchedFindings = new Set(before.matches.map((p) => p.finding));
    droppedMatched += before.dropped.filter((i) => matchedFindings.has(i)).length;
  }
  return {
    overall: overallScores(matched),
    byCategory: Object.fromEntries(scoresByCategory(matched)),
    dropped: recorded.reduce((sum, { before }) => sum + before.dropped.length, 0),
    droppedMatched,
  };
}

/** The case's head tree as a repository snapshot (text files within the size cap). */
async function treeSnapshot(headDir: string, maxFileBytes: number) {
  const files = new Map<string, string>();
  for (const [path, bytes] of await readTree(headDir)) if (bytes.length <= maxFileBytes && !looksBinary(bytes)) files.set(path, bytes.toString("utf8"));
  return memorySnapshot(files, "EVAL-HEAD");
}

/**
 * Which evidence lines the windows the model was sent show, and which the
 * same plan would show without the impact section (planned again without it).
 */
async function measureContext(c: EvalCase, planned: { request: WindowPlanRequest; plan: WindowPlan }, impact: ImpactContext | null): Promise<CaseContext> {
  const shownWith = shownLocations(planned.plan.windows.map(renderWindow));
  const { impact: _dropped, ...options } = planned.request.options;
  const without = impact === null ? planned.plan : await planWindows({ ...planned.request, options });
  const shownWithout = shownLocations(without.windows.map(renderWindow));
  const withImpact = evidenceShown(c.expected, shownWith);
  const withoutImpact = evidenceShown(c.expected, shownWithout);
  return {
    evidence: withImpact.evidence,
    shownWithImpact: withImpact.shown,
    shownWithoutImpact: withoutImpact.shown,
    crossFile: c.expected.some((e) => (e.evidence?.length ?? 0) > 0),
  };
}

interface JudgedCandidates {
  /** The judge's answers for any list of these findings (or a subset): pairs are told apart by the finding's identity, not its index. */
  readonly acceptsFor: (findings: readonly PlacedFinding[]) => PairAcceptor;
  readonly usage: TokenUsage;
  readonly calls: number;
  readonly failures: number;
  readonly notices: readonly string[];
}

/**
 * One judge call per expected issue that has candidates. When the judge
 * fails for an issue (after the SDK's retries and one repair), that issue is
 * matched by location and category alone, and the case says so.
 */
async function judgeCandidates(
  c: EvalCase,
  findings: readonly PlacedFinding[],
  judge: Judge,
  tolerance: number,
  log: Logger,
  signal: AbortSignal | undefined,
): Promise<JudgedCandidates> {
  const byIssue = new Map<number, CandidatePair[]>();
  for (const pair of candidatePairs(c.expected, findings, tolerance)) byIssue.set(pair.expected, [...(byIssue.get(pair.expected) ?? []), pair]);

  const accepted = new Set<string>();
  const notices: string[] = [];
  let usage = ZERO_USAGE;
  let calls = 0;
  let failures = 0;
  for (const [e, pairs] of [...byIssue].sort(([a], [b]) => a - b)) {
    const issue = c.expected[e];
    if (issue === undefined) continue;
    const candidates = pairs.map((p) => findings[p.finding]).filter((f): f is PlacedFinding => f !== undefined);
    try {
      const verdict = await judge.decide(c.id, issue, candidates, signal);
      usage = addUsage(usage, verdict.usage);
      calls += verdict.calls;
      pairs.forEach((p, i) => verdict.accepted.has(i) && accepted.add(key(p, findings)));
    } catch (error) {
      if (!(error instanceof ModelError) || signal?.aborted) throw error;
      usage = addUsage(usage, error.usage);
      calls += error.calls;
      failures++;
      log.warn({ err: error, expected: e }, "judge failed; matching this issue by location only");
      notices.push(`The judge failed for expected issue ${e + 1} (${error.message}); it was matched by location and category only.`);
      for (const p of pairs) accepted.add(key(p, findings));
    }
  }
  return { acceptsFor: (list) => (pair) => accepted.has(key(pair, list)), usage, calls, failures, notices };
}

function key(pair: Pick<CandidatePair, "expected" | "finding">, findings: readonly PlacedFinding[]): string {
  const finding = findings[pair.finding];
  return `${pair.expected}:${finding === undefined ? "" : findingKey(finding)}`;
}

function summarizeFinding(f: PlacedFinding): CaseResult["findings"][number] {
  return {
    path: f.path,
    line: f.line,
    startLine: f.startLine,
    side: f.side,
    category: f.category,
    severity: f.severity,
    title: f.title,
    source: f.source,
    ruleId: f.ruleId,
    confidence: f.confidence,
  };
}

type Spend = CaseResult["review"];

function sumSpend(spends: readonly Omit<Spend, "durationMs">[]): Omit<Spend, "durationMs"> {
  return {
    usage: spends.reduce((sum, s) => addUsage(sum, s.usage), ZERO_USAGE),
    modelCalls: spends.reduce((sum, s) => sum + s.modelCalls, 0),
    // One unpriced case makes the total unknown rather than too low.
    costUsd: spends.some((s) => s.costUsd === null) ? null : spends.reduce((sum, s) => sum + (s.costUsd ?? 0), 0),
  };
}

function sumJudge(cases: readonly CaseResult[]): NonNullable<EvalResult["totals"]["judge"]> {
  const judged = cases.flatMap((c) => (c.judge === null ? [] : [c.judge]));
  return { ...sumSpend(judged), failures: judged.reduce((sum, j) => sum + j.failures, 0) };
}

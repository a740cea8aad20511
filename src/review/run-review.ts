import type { Logger } from "pino";
import type { Analyzer } from "../analyzers/analyzer.js";
import { runAnalyzers, type AnalyzerRun } from "../analyzers/index.js";
import { ModelError, NO_TOOL_USAGE, ZERO_USAGE, addToolUsage, addUsage, type TokenUsage, type ToolUsage } from "../model/index.js";
import { pullRequestMemory, reviewTools, type Reviewer, type WindowReview } from "../reviewer/index.js";
import type { RepoConfig } from "../config/repo-config.js";
import { fanOutFindings, withMemory, type WindowBudget } from "../context/index.js";
import type { ChangeSet } from "../domain/change-set.js";
import type { ImpactContext } from "../domain/impact.js";
import type { RepositoryAccessStats, RepositorySnapshot } from "../domain/repository.js";
import { redactedSnapshot } from "../repo/index.js";
import type { Finding, FindingFunnel, PlacedFinding } from "../domain/finding.js";
import { addFunnel, EMPTY_FUNNEL, severityRank } from "../domain/finding.js";
import type { Survey } from "../domain/survey.js";
import type { Walkthrough } from "../domain/walkthrough.js";
import type { Coverage, MemoryNote, WindowPlanStats } from "../domain/window.js";
import { mapConcurrent } from "../util/map-concurrent.js";
import { mergeFindings } from "./merge-findings.js";
import { placeFindings } from "./placement.js";
import { planWindows, type PlanWindows } from "./plan-windows.js";
import { buildWalkthrough } from "./walkthrough.js";
import { createRedactor } from "./redact-change-set.js";
import { repositoryContext } from "./repository-context.js";
import { agreedFindings, isConsistencyCandidate } from "./self-consistency.js";
import { isSuppressed } from "./suppressions.js";
import { verifyFindings, type VerificationSummary } from "./verification.js";

/**
 * The one review pipeline, shared by the GitHub App and the CLI:
 * change set → analyzers → windows → survey → reviewer per window (as slots
 * free up, with memory; optionally several times for self-consistency) →
 * synthesis → merged and filtered findings → verification of the model's
 * findings → placed findings.
 * Sources and sinks live elsewhere.
 *
 * Memory: every window carries the pull request's memory (deterministic
 * notes, then the survey) and the notes of the windows that finished before
 * it started. The survey and the synthesis never fail a review: a failure is
 * a notice.
 */

export interface ReviewInput {
  readonly changeSet: ChangeSet;
  readonly pr: { readonly title: string; readonly description: string };
  /** Repository guidelines (AGENTS.md "Review guidelines") and config instructions, already combined. */
  readonly guidelines: string;
  readonly config: RepoConfig;
  readonly budget: WindowBudget;
  readonly reviewer: Reviewer | null;
  readonly analyzers: readonly Analyzer[];
  /** Redaction and window planning; inline by default, on worker threads in the app. */
  readonly planWindows?: PlanWindows;
  /**
   * The whole repository at the head commit, as read (not yet redacted): the
   * impact context and the deterministic memory are computed from it, and the
   * model's tools read it (redacted). Absent: the review sees the change alone.
   */
  readonly repository?: RepositorySnapshot;
  readonly windowConcurrency: number;
  /** Notes computed without a model (e.g. API changes from an outline diff): the first memory of every window. */
  readonly deterministicNotes?: readonly MemoryNote[];
  readonly log: Logger;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: ReviewProgress) => void | Promise<void>;
}

export interface ReviewProgress {
  readonly windowsDone: number;
  readonly windowsTotal: number;
}

export interface ReviewResult {
  /** Sorted most severe first, filtered by `review.minSeverity`, each with its placement. */
  readonly findings: readonly PlacedFinding[];
  readonly coverage: Coverage;
  readonly plan: WindowPlanStats & { readonly windows: number; readonly waves: number };
  /** The model used, or null in offline (analyzers-only) mode. */
  readonly model: string | null;
  readonly usage: TokenUsage;
  readonly modelCalls: number;
  readonly durationMs: number;
  /** Sentences for the reader: offline mode, windows the model could not review, analyzer failures. */
  readonly notices: readonly string[];
  /** Windows the model could not review (each also a notice); absent when none failed. */
  readonly windowsFailed?: number;
  /** The survey pass's view of the change; absent when it did not run (offline, switched off) or found nothing. */
  readonly survey?: Survey;
  /** What the change does, computed without a model: files, their size and handling, changed API and its unchanged users. */
  readonly walkthrough?: Walkthrough;
  /** What the passes around the windows cost (already part of `usage` and `modelCalls`); absent when neither ran. */
  readonly passes?: {
    readonly survey?: PassSpend;
    readonly synthesis?: PassSpend & { readonly findings: number };
    readonly verification?: PassSpend;
    /** The extra reviews of windows with P0/P1 findings (`verification.selfConsistency`). */
    readonly consistency?: PassSpend;
  };
  /** What the windows' tools ran (all windows together); absent when no window had tools. */
  readonly tools?: ToolUsage;
  /** What reading the repository cost (impact context and tools); absent without a repository. */
  readonly repository?: RepositoryAccessStats;
  /** Wall time of each stage, in ms: the impact context, analyzers, window planning, and everything the model does. */
  readonly stages?: ReviewStageTimes;
  /** Findings left out by `review.suppress`; absent when none were. */
  readonly suppressed?: number;
  /** How many candidate findings each stage removed: unevidenced quotes, lines outside the reviewed hunks, duplicates merged, self-consistency, verification. Always set by runReview. */
  readonly funnel?: FindingFunnel;
  /** What the verification of model findings did; absent in offline mode. */
  readonly verification?: VerificationSummary;
}

export interface ReviewStageTimes {
  readonly impactMs: number;
  readonly analyzersMs: number;
  readonly planningMs: number;
  /** Survey, windows, synthesis and verification. */
  readonly modelMs: number;
}

export interface PassSpend {
  readonly usage: TokenUsage;
  readonly calls: number;
}

/** Tokens of memory notes each window may carry; the context command plans with the same reserve. */
export const MEMORY_TOKEN_CAP = 1_500;

export const OFFLINE_NOTICE = "Offline mode: no `OPENAI_API_KEY` is configured, so this review comes from Longview's built-in analyzers only.";

/** The analyzer once the impact context is known, given it when there is one. */
function afterImpact(analyzer: Analyzer, context: Promise<{ readonly impact?: ImpactContext | null } | null>): Analyzer {
  return {
    name: analyzer.name,
    analyze: async (input, signal) => {
      const impact = (await context)?.impact ?? undefined;
      return analyzer.analyze({ ...input, ...(impact ? { impact } : {}) }, signal);
    },
  };
}

export async function runReview(input: ReviewInput): Promise<ReviewResult> {
  const started = performance.now();
  const { changeSet, config, log, reviewer, signal } = input;
  const notices: string[] = [];
  // One redactor for everything read beyond the change this review (notes, tool results); the planner redacts the change.
  const redactor = createRedactor();
  const context = input.repository ? repositoryContext(changeSet, input.repository, redactor, log, signal) : Promise.resolve(null);
  // Analyzers that never read the impact context (ESLint, secretlint) run while it is computed; the others
  // wait for it. `runAnalyzers` keeps their order, so the result is the same as one after the other.
  const analyzing = config.analyzers.enabled
    ? runAnalyzers(
        input.analyzers.map((a) => (a.ignoresImpact ? a : afterImpact(a, context))),
        { files: changeSet.files, headContents: changeSet.headContents, lineMap: changeSet.lineMap, filter: config.analyzers.filter },
        log,
        signal,
      )
    : Promise.resolve<AnalyzerRun>({ findings: [], errors: [], secrets: [] });
  // Taken up below; a failure of the impact context (an abort) is thrown first.
  analyzing.catch(() => undefined);
  const seen = await context;
  const impactDone = performance.now();
  if (seen?.notice) notices.push(seen.notice);
  const impact = seen?.impact ?? undefined;
  const deterministicNotes = [...(input.deterministicNotes ?? []), ...(seen?.notes ?? [])];

  const analyzed = await analyzing;
  for (const e of analyzed.errors) notices.push(`Analyzer \`${e.analyzer}\` failed: ${e.message}`);
  const analyzersDone = performance.now();

  const plan = await (input.planWindows ?? planWindows)(
    {
      changeSet,
      pr: input.pr,
      guidelines: input.guidelines,
      budget: input.budget,
      options: { waveSize: input.windowConcurrency, memoryTokenCap: MEMORY_TOKEN_CAP, ...(impact ? { impact } : {}) },
      redact: reviewer !== null,
      flaggedSecrets: analyzed.secrets,
    },
    signal,
  );
  const waves = Math.ceil(plan.windows.length / Math.max(1, input.windowConcurrency));
  const planningDone = performance.now();

  let agentFindings: Finding[] = [];
  let usage = ZERO_USAGE;
  let modelCalls = 0;
  let toolUsage: ToolUsage | null = null;
  let windowsFailed = 0;
  let funnel: FindingFunnel = { ...EMPTY_FUNNEL, candidates: analyzed.findings.length };
  let survey: Survey | null = null;
  const passes: { survey?: PassSpend; synthesis?: PassSpend & { findings: number }; verification?: PassSpend; consistency?: PassSpend } = {};
  // The same tools for every window and pass: the repository at head (redacted as read) and what the plan compacted.
  const tools = reviewer ? reviewTools({ repository: input.repository ? redactedSnapshot(input.repository, redactor) : null, plan }) : null;
  const consistency = config.verification.selfConsistency;
  if (reviewer) {
    if (reviewer.survey && config.review.survey && plan.windows.length > 0) {
      signal?.throwIfAborted();
      try {
        const surveyed = await reviewer.survey.survey(plan.windows, signal);
        usage = addUsage(usage, surveyed.usage);
        modelCalls += surveyed.calls;
        passes.survey = { usage: surveyed.usage, calls: surveyed.calls };
        notices.push(...surveyed.failures);
        const found = surveyed.survey;
        survey = found.files.length + found.apiChanges.length + found.risks.length > 0 ? found : null;
      } catch (error) {
        // The pass reports failed batches itself; this is anything else, and the windows do without the survey.
        if (signal?.aborted) throw error;
        log.error({ err: error }, "survey failed");
        notices.push(
          `The survey of the change failed: ${oneLine(error instanceof Error ? error.message : String(error))}. The windows were reviewed without it.`,
        );
      }
    }
    // Given to every window first, also to windows that start together; deterministic notes need no model.
    const pinned = pullRequestMemory(survey, deterministicNotes);
    const notes: MemoryNote[] = [];
    let done = 0;
    // Windows start as slots free up; each carries the notes written by the windows finished by then.
    const results = await mapConcurrent(
      plan.windows,
      input.windowConcurrency,
      async (window) => {
        const withNotes = withMemory(window, notes, MEMORY_TOKEN_CAP, pinned);
        const paths = new Set(window.local.files.map((file) => file.path));
        const evidence = analyzed.findings.filter((f) => paths.has(f.path));
        try {
          const first = await reviewer.review(withNotes, evidence, signal, tools ?? undefined);
          notes.push(...first.notes);
          if (!consistency.enabled) return { window, review: first, consistency: null, error: null };
          const checked = await selfConsistent(first, consistency.samples, () => reviewer.review(withNotes, evidence, signal, tools ?? undefined), log);
          return { window, review: checked.review, consistency: checked, error: null };
        } catch (error) {
          if (signal?.aborted) throw error;
          return { window, review: null, consistency: null, error: error instanceof Error ? error : new Error(String(error)) };
        } finally {
          done++;
          await input.onProgress?.({ windowsDone: done, windowsTotal: plan.windows.length });
        }
      },
      signal,
    );
    for (const { window, review, consistency: checked, error } of results) {
      if (checked && checked.spend.calls > 0) {
        usage = addUsage(usage, checked.spend.usage);
        modelCalls += checked.spend.calls;
        passes.consistency = addSpend(passes.consistency ?? { usage: ZERO_USAGE, calls: 0 }, checked.spend);
        funnel = { ...funnel, droppedConsistency: funnel.droppedConsistency + checked.dropped };
      }
      if (review) {
        agentFindings.push(...review.findings);
        funnel = addFunnel(funnel, { ...EMPTY_FUNNEL, ...(review.funnel ?? { candidates: review.findings.length }) });
        usage = addUsage(usage, review.usage);
        modelCalls += review.calls;
        if (review.tools) toolUsage = addToolUsage(toolUsage ?? NO_TOOL_USAGE, review.tools);
      } else {
        windowsFailed++;
        const files = window.local.files.map((f) => `\`${f.path}\``).join(", ");
        log.error({ err: error, windowId: window.id }, "window review failed");
        notices.push(
          `The model could not review window ${window.id} (${files}): ${error?.message ?? "unknown error"}. Analyzer findings for these files are still included.`,
        );
      }
    }
    agentFindings = fanOutFindings(agentFindings, plan);

    // Defects across windows need two reviewed windows at least.
    if (reviewer.synthesis && config.review.synthesis && plan.windows.length - windowsFailed >= 2) {
      signal?.throwIfAborted();
      try {
        const synthesized = await reviewer.synthesis.synthesize(
          { windows: plan.windows, notes: [...pinned, ...notes], findings: [...agentFindings, ...analyzed.findings] },
          signal,
          tools ?? undefined,
        );
        usage = addUsage(usage, synthesized.usage);
        if (synthesized.tools) toolUsage = addToolUsage(toolUsage ?? NO_TOOL_USAGE, synthesized.tools);
        modelCalls += synthesized.calls;
        passes.synthesis = { usage: synthesized.usage, calls: synthesized.calls, findings: synthesized.findings.length };
        agentFindings.push(...synthesized.findings);
        funnel = addFunnel(funnel, { ...EMPTY_FUNNEL, ...(synthesized.funnel ?? { candidates: synthesized.findings.length }) });
      } catch (error) {
        if (signal?.aborted) throw error;
        const spend = spendOf(error);
        usage = addUsage(usage, spend.usage);
        modelCalls += spend.calls;
        passes.synthesis = { ...spend, findings: 0 };
        log.error({ err: error }, "synthesis failed");
        notices.push(
          `The synthesis across windows did not run to completion: ${oneLine(error instanceof Error ? error.message : String(error))}. The windows' own findings are all included.`,
        );
      }
    }
  } else {
    notices.push(OFFLINE_NOTICE);
    await input.onProgress?.({ windowsDone: plan.windows.length, windowsTotal: plan.windows.length });
  }

  const unmerged = [...agentFindings, ...analyzed.findings];
  const merged = mergeFindings(unmerged);
  funnel = { ...funnel, merged: unmerged.length - merged.length };
  const minRank = severityRank(config.review.minSeverity);
  // What the repository suppresses (`review.suppress`) is left out here, so the app, the CLI and eval agree.
  const unsuppressed = merged.filter((f) => !isSuppressed(f, config.review.suppress));
  const suppressed = merged.length - unsuppressed.length;
  const wanted = unsuppressed.filter((f) => severityRank(f.severity) <= minRank);

  // Only what would be posted is verified: suppressed and too-minor findings cost no calls.
  let verification: VerificationSummary | null = null;
  let verified: readonly Finding[] = wanted;
  if (reviewer) {
    signal?.throwIfAborted();
    const run = await verifyFindings({
      findings: wanted,
      files: plan.windows.flatMap((w) => w.local.files),
      pass: config.verification.enabled ? (reviewer.verification ?? null) : null,
      policy: config.verification,
      ...(tools ? { tools } : {}),
      concurrency: input.windowConcurrency,
      log,
      ...(signal ? { signal } : {}),
    });
    verified = run.findings;
    verification = run.summary;
    notices.push(...run.notices);
    usage = addUsage(usage, run.summary.usage);
    modelCalls += run.summary.calls;
    if (run.summary.calls > 0) passes.verification = { usage: run.summary.usage, calls: run.summary.calls };
    if (run.tools) toolUsage = addToolUsage(toolUsage ?? NO_TOOL_USAGE, run.tools);
    funnel = { ...funnel, droppedVerification: funnel.droppedVerification + run.dropped, withheld: funnel.withheld + run.withheld };
  }
  const findings = placeFindings([...verified], changeSet.lineMap, config.review.maxInlineComments);

  const durationMs = Math.round(performance.now() - started);
  const stages: ReviewStageTimes = {
    impactMs: Math.round(impactDone - started),
    analyzersMs: Math.round(analyzersDone - impactDone),
    planningMs: Math.round(planningDone - analyzersDone),
    modelMs: Math.round(performance.now() - planningDone),
  };
  log.info(
    {
      findings: findings.length,
      windows: plan.windows.length,
      modelCalls,
      usage,
      durationMs,
      stages,
      coverage: plan.coverage,
      funnel,
      ...(toolUsage ? { tools: toolUsage } : {}),
      ...(input.repository ? { repository: input.repository.stats() } : {}),
    },
    "review finished",
  );
  return {
    findings,
    coverage: plan.coverage,
    plan: { ...plan.stats, windows: plan.windows.length, waves },
    model: reviewer?.model ?? null,
    usage,
    modelCalls,
    durationMs,
    stages,
    notices,
    funnel,
    ...(windowsFailed > 0 ? { windowsFailed } : {}),
    ...(survey ? { survey } : {}),
    walkthrough: buildWalkthrough({ changeSet, windows: plan.windows, coverage: plan.coverage, impact: impact ?? null }),
    ...(Object.keys(passes).length > 0 ? { passes } : {}),
    ...(verification ? { verification } : {}),
    ...(toolUsage ? { tools: toolUsage } : {}),
    ...(input.repository ? { repository: input.repository.stats() } : {}),
    ...(suppressed > 0 ? { suppressed } : {}),
  };
}

/**
 * Self-consistency (`verification.selfConsistency`): a window whose review reported P0/P1 findings is
 * reviewed `samples - 1` more times, and those findings stay only when a majority report them. A
 * sample that fails does not vote; when every extra sample fails, the first review stands.
 */
async function selfConsistent(
  first: WindowReview,
  samples: number,
  again: () => Promise<WindowReview>,
  log: Logger,
): Promise<{ readonly review: WindowReview; readonly dropped: number; readonly spend: PassSpend }> {
  const none = { usage: ZERO_USAGE, calls: 0 };
  if (!first.findings.some(isConsistencyCandidate)) return { review: first, dropped: 0, spend: none };
  const settled = await Promise.allSettled(Array.from({ length: samples - 1 }, () => again()));
  let spend: PassSpend = none;
  const others: WindowReview[] = [];
  for (const s of settled) {
    if (s.status === "fulfilled") {
      others.push(s.value);
      spend = addSpend(spend, { usage: s.value.usage, calls: s.value.calls });
    } else {
      log.warn({ err: s.reason }, "a self-consistency review failed; it does not vote");
      spend = addSpend(spend, spendOf(s.reason));
    }
  }
  if (others.length === 0) return { review: first, dropped: 0, spend };
  const { kept, dropped } = agreedFindings(
    first.findings,
    others.map((r) => r.findings),
  );
  for (const f of dropped)
    log.info({ path: f.path, line: f.line, title: f.title, samples: others.length + 1 }, "finding dropped: no majority of independent reviews");
  // The candidates are what the first review reported, dropped ones included.
  const funnel = first.funnel ?? { candidates: first.findings.length, droppedEvidence: 0, droppedScope: 0, reanchored: 0 };
  return { review: { ...first, findings: kept, funnel }, dropped: dropped.length, spend };
}

function addSpend(a: PassSpend, b: PassSpend): PassSpend {
  return { usage: addUsage(a.usage, b.usage), calls: a.calls + b.calls };
}

/** What a failed model task had spent (model errors carry it); nothing for other errors. */
function spendOf(error: unknown): PassSpend {
  return error instanceof ModelError ? { usage: error.usage, calls: error.calls } : { usage: ZERO_USAGE, calls: 0 };
}

/** Error messages end up in the posted review: one line, bounded; the full error is in the log. */
function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

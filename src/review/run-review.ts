import type { Logger } from "pino";
import type { Analyzer } from "../analyzers/analyzer.js";
import { runAnalyzers } from "../analyzers/index.js";
import { ZERO_USAGE, addUsage, type TokenUsage } from "../model/index.js";
import type { Reviewer } from "../reviewer/index.js";
import type { RepoConfig } from "../config/repo-config.js";
import { fanOutFindings, withMemory, type WindowBudget } from "../context/index.js";
import type { ChangeSet } from "../domain/change-set.js";
import type { ImpactContext } from "../domain/impact.js";
import type { Finding, PlacedFinding } from "../domain/finding.js";
import { severityRank } from "../domain/finding.js";
import type { Coverage, MemoryNote, Window, WindowPlanStats } from "../domain/window.js";
import { mapConcurrent } from "../util/map-concurrent.js";
import { mergeFindings } from "./merge-findings.js";
import { placeFindings } from "./placement.js";
import { planWindows, type PlanWindows } from "./plan-windows.js";

/**
 * The one review pipeline, shared by the GitHub App and the CLI:
 * change set → analyzers → windows → reviewer (in waves, with memory) →
 * merged, filtered and placed findings. Sources and sinks live elsewhere.
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
  /** Changed definitions and their unchanged users (repo/impact.ts), for the windows and the analyzers; absent: neither gets one. */
  readonly impact?: ImpactContext;
  readonly windowConcurrency: number;
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
}

/** Tokens of memory notes each window may carry; the context command plans with the same reserve. */
export const MEMORY_TOKEN_CAP = 1_500;

export const OFFLINE_NOTICE = "Offline mode: no `OPENAI_API_KEY` is configured, so this review comes from Longview's built-in analyzers only.";

export async function runReview(input: ReviewInput): Promise<ReviewResult> {
  const started = performance.now();
  const { changeSet, config, log, reviewer, signal } = input;
  const notices: string[] = [];

  const analyzed = config.analyzers.enabled
    ? await runAnalyzers(
        input.analyzers,
        {
          files: changeSet.files,
          headContents: changeSet.headContents,
          lineMap: changeSet.lineMap,
          filter: config.analyzers.filter,
          ...(input.impact ? { impact: input.impact } : {}),
        },
        log,
        signal,
      )
    : { findings: [], errors: [], secrets: [] };
  for (const e of analyzed.errors) notices.push(`Analyzer \`${e.analyzer}\` failed: ${e.message}`);

  const plan = await (input.planWindows ?? planWindows)(
    {
      changeSet,
      pr: input.pr,
      guidelines: input.guidelines,
      budget: input.budget,
      options: { waveSize: input.windowConcurrency, memoryTokenCap: MEMORY_TOKEN_CAP, ...(input.impact ? { impact: input.impact } : {}) },
      redact: reviewer !== null,
      flaggedSecrets: analyzed.secrets,
    },
    signal,
  );
  const waves = groupByWave(plan.windows);

  let agentFindings: Finding[] = [];
  let usage = ZERO_USAGE;
  let modelCalls = 0;
  let windowsFailed = 0;
  if (reviewer) {
    const notes: MemoryNote[] = [];
    let done = 0;
    for (const wave of waves) {
      signal?.throwIfAborted();
      const results = await mapConcurrent(wave, input.windowConcurrency, async (window) => {
        const withNotes = withMemory(window, notes, MEMORY_TOKEN_CAP);
        const paths = new Set(window.local.files.map((file) => file.path));
        const evidence = analyzed.findings.filter((f) => paths.has(f.path));
        try {
          const review = await reviewer.review(withNotes, evidence, signal);
          return { window, review, error: null };
        } catch (error) {
          if (signal?.aborted) throw error;
          return { window, review: null, error: error instanceof Error ? error : new Error(String(error)) };
        } finally {
          done++;
          await input.onProgress?.({ windowsDone: done, windowsTotal: plan.windows.length });
        }
      });
      for (const { window, review, error } of results) {
        if (review) {
          agentFindings.push(...review.findings);
          notes.push(...review.notes);
          usage = addUsage(usage, review.usage);
          modelCalls += review.calls;
        } else {
          windowsFailed++;
          const files = window.local.files.map((f) => `\`${f.path}\``).join(", ");
          log.error({ err: error, windowId: window.id }, "window review failed");
          notices.push(
            `The model could not review window ${window.id} (${files}): ${error?.message ?? "unknown error"}. Analyzer findings for these files are still included.`,
          );
        }
      }
    }
    agentFindings = fanOutFindings(agentFindings, plan);
  } else {
    notices.push(OFFLINE_NOTICE);
    await input.onProgress?.({ windowsDone: plan.windows.length, windowsTotal: plan.windows.length });
  }

  const merged = mergeFindings([...agentFindings, ...analyzed.findings]);
  const minRank = severityRank(config.review.minSeverity);
  const findings = placeFindings(
    merged.filter((f) => severityRank(f.severity) <= minRank),
    changeSet.lineMap,
    config.review.maxInlineComments,
  );

  const durationMs = Math.round(performance.now() - started);
  log.info({ findings: findings.length, windows: plan.windows.length, modelCalls, usage, durationMs, coverage: plan.coverage }, "review finished");
  return {
    findings,
    coverage: plan.coverage,
    plan: { ...plan.stats, windows: plan.windows.length, waves: waves.length },
    model: reviewer?.model ?? null,
    usage,
    modelCalls,
    durationMs,
    notices,
    ...(windowsFailed > 0 ? { windowsFailed } : {}),
  };
}

function groupByWave(windows: readonly Window[]): Window[][] {
  const waves = new Map<number, Window[]>();
  for (const w of windows) waves.set(w.wave, [...(waves.get(w.wave) ?? []), w]);
  return [...waves.entries()].sort(([a], [b]) => a - b).map(([, ws]) => ws);
}

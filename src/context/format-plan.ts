import type { SkippedFile } from "../domain/change-set.js";
import { coverageLines, type CoverageLines, type WindowPlan } from "../domain/window.js";
import { compactedRefs } from "./expand.js";
import { renderWindow } from "./render.js";

/** `longview context --format json`: the plan, with each window's rendered text, for inspection and scripts. */
export interface PlanJson {
  readonly windows: readonly {
    readonly id: string;
    readonly wave: number;
    readonly tokens: { readonly global: number; readonly memory: number; readonly local: number; readonly total: number };
    /** Paths reviewed in the window, in window order. */
    readonly files: readonly string[];
    /** Hunks (or hunk parts) reviewed in the window, folded duplicates not included. */
    readonly hunks: number;
    /** The window's text exactly as the model is sent it (before memory notes from earlier windows are added). */
    readonly text: string;
  }[];
  readonly coverage: CoverageLines & { readonly skipped: readonly SkippedFile[] };
  /** Refs the windows show for folded copies, summarized deletions and triaged files (`expandCompacted`). */
  readonly refs: readonly string[];
  readonly stats: {
    readonly diffTokens: number;
    readonly tokensSent: number;
    readonly compaction: Readonly<Record<string, number>>;
    readonly ms: number;
  };
}

export function planToJson(plan: WindowPlan): PlanJson {
  return {
    windows: plan.windows.map((w) => ({
      id: w.id,
      wave: w.wave,
      tokens: { global: w.tokens.global, memory: w.tokens.memory, local: w.tokens.local, total: w.tokens.total },
      files: unique(w.local.files.map((f) => f.path)),
      hunks: w.local.files.reduce((n, f) => n + f.hunks.length, 0),
      text: renderWindow(w),
    })),
    coverage: { ...coverageLines(plan.coverage), skipped: plan.coverage.skipped },
    refs: compactedRefs(plan),
    stats: {
      diffTokens: plan.stats.diffTokens,
      tokensSent: plan.stats.tokensSent,
      compaction: plan.stats.compaction,
      ms: plan.stats.ms,
    },
  };
}

/** A short human-readable summary of a plan, one line per window. */
export function formatPlanText(plan: WindowPlan): string {
  const { coverage, stats } = plan;
  const waves = new Set(plan.windows.map((w) => w.wave)).size;
  const percent = coverage.changedLines === 0 ? 100 : (100 * coverage.reviewedLines) / coverage.changedLines;
  const lines = [
    `${plan.windows.length} window(s) in ${waves} wave(s); ${coverage.reviewedLines} of ${coverage.changedLines} changed lines reviewed (${percent.toFixed(1)}%), ${coverage.foldedLines} folded, ${coverage.summarizedLines} summarized, ${coverage.triagedLines} triaged, ${coverage.skippedLines} skipped.`,
    `Tokens: ${stats.tokensSent} sent for a diff of ${stats.diffTokens}; built in ${stats.ms} ms.`,
  ];
  const compaction = Object.entries(stats.compaction).filter(([, n]) => n > 0);
  if (compaction.length > 0) lines.push(`Compaction: ${compaction.map(([k, n]) => `${k} ${n}`).join(", ")}.`);
  for (const w of plan.windows) {
    const files = unique(w.local.files.map((f) => f.path));
    const shown = files.slice(0, 4).join(", ") + (files.length > 4 ? `, +${files.length - 4} more` : "");
    lines.push(
      `${w.id.padEnd(5)} wave ${w.wave}  ${String(w.tokens.total).padStart(6)} tokens (global ${w.tokens.global}, local ${w.tokens.local}${w.tokens.memory > 0 ? `, memory ${w.tokens.memory}` : ""})  ${files.length} file(s): ${shown}`,
    );
  }
  if (coverage.skipped.length > 0) {
    lines.push("Skipped:");
    for (const s of coverage.skipped) lines.push(`  ${s.path}  ${s.reason}  ${s.lines} line(s)${s.detail ? `  (${s.detail})` : ""}`);
  }
  return lines.join("\n");
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

import type { ChangedFile, ChangeSet, Hunk } from "../domain/change-set.js";
import type { Window, WindowFile, WindowPlan } from "../domain/window.js";
import { MIN_LOCAL_TOKENS, planLimits, type WindowBudget, type WindowPlanOptions } from "./budget.js";
import { emptyCompactionStats, type CompactionStats } from "./compaction.js";
import { computeCoverage } from "./coverage.js";
import { WindowBudgetError, WindowPlanInvariantError } from "./errors.js";
import { fileUnits, type Unit } from "./file-units.js";
import { manifestRelations } from "./manifest-relations.js";
import { buildGlobalLayer, type GlobalInput } from "./global-layer.js";
import { classify, FILE_CLASSES, reviewGroups } from "./grouping.js";
import { HeadFiles } from "./head-files.js";
import { packWindows } from "./packing.js";
import { impactFor } from "./impact-section.js";
import { buildPeripheralIndex, peripheralFor } from "./peripheral.js";
import { findRelations } from "./relations.js";
import { diffLineStats, emitLocal, fileHeader, globalTokens, hunkHeader, LOCAL_HEADER, PERIPHERAL_HEADER, tokensOf } from "./render.js";
import { selectReview } from "./review-files.js";
import { createOutliner } from "./syntax/outliner.js";
import { countCached } from "./tokens.js";

/** Share of a window's code room kept for peripheral outlines and signatures. */
const PERIPHERAL_SHARE = 0.08;
/** Share kept for the impact section (changed signatures and their unchanged callers), when the plan has an impact. */
const IMPACT_SHARE = 0.1;

/**
 * ChangeSet → ordered windows that together review every changed line once,
 * each within budget with room reserved for memory notes. Synchronous and
 * deterministic for the same input (and the same `initSyntax()` state).
 */
export function buildWindowPlan(changeSet: ChangeSet, global: GlobalInput, budget: WindowBudget, options?: WindowPlanOptions): WindowPlan {
  const started = performance.now();
  const limits = planLimits(budget, options);
  const globalLayer = buildGlobalLayer(changeSet, global, limits);
  const globalCost = globalTokens(globalLayer);
  const localBudget = limits.windowTokens - limits.memoryTokenCap - globalCost;
  const localHeaderCost = countCached(LOCAL_HEADER);
  const peripheralCap = Math.floor(localBudget * PERIPHERAL_SHARE);
  const impact = options?.impact !== undefined && options.impact.changes.length > 0 ? options.impact : undefined;
  // The impact's room never makes a plan fail that would fit without it.
  const impactCap =
    impact === undefined ? 0 : Math.max(0, Math.min(Math.floor(localBudget * IMPACT_SHARE), localBudget - localHeaderCost - peripheralCap - MIN_LOCAL_TOKENS));
  const capacity = localBudget - localHeaderCost - peripheralCap - impactCap;
  if (capacity < MIN_LOCAL_TOKENS) {
    throw new WindowBudgetError(
      `A window of ${limits.windowTokens} tokens leaves ${Math.max(0, capacity)} for code after the global layer (${globalCost}), memory (${limits.memoryTokenCap}) and peripheral context; at least ${MIN_LOCAL_TOKENS} are needed.`,
    );
  }

  const stats = emptyCompactionStats();
  const heads = new HeadFiles(changeSet, createOutliner());
  let refs = 0;
  const nextRef = (): string => `c${++refs}`;
  const { reviewable, files: reviewFiles, skips } = selectReview(changeSet, heads, capacity, stats, nextRef);

  const unitsByPath = new Map<string, Unit[]>();
  // In review-priority order, so the parsing budget goes to security-sensitive and source files first.
  const byPriority = reviewFiles
    .map((review, i) => ({ review, i, rank: FILE_CLASSES.indexOf(classify(review.file.path)) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i);
  for (const { review } of byPriority) {
    const units = fileUnits(review, capacity, nextRef);
    unitsByPath.set(review.file.path, units);
    if (units.some((u) => u.summarized)) stats.pureDeletionsSummarized++;
  }

  const hunksByPath = new Map(reviewFiles.map((r) => [r.file.path, r.hunks]));
  const relations = [
    ...findRelations(
      reviewable.map((f) => f.path),
      (path) => heads.get(path)?.text ?? addedText(hunksByPath.get(path) ?? []),
    ),
    ...manifestRelations(reviewFiles.map((r) => ({ path: r.file.path, added: addedLines(r.hunks) }))),
  ];
  const groups = reviewGroups(
    reviewFiles.map((r) => ({ path: r.file.path, tokens: sum(unitsByPath.get(r.file.path)!.map((u) => u.tokens)) })),
    relations,
    capacity,
  );
  const packed = packWindows(
    groups.map((paths) => paths.flatMap((p) => unitsByPath.get(p)!)),
    capacity,
  );

  const windowsOf = new Map<string, string[]>();
  packed.forEach((units, i) => {
    for (const unit of units) {
      // A file whose changes were all folded is reviewed where its representative is.
      const paths = [unit.file.path, ...unit.file.hunks.flatMap((h) => h.duplicates.map((d) => d.path))];
      for (const path of paths) {
        const ids = windowsOf.get(path) ?? [];
        if (!ids.includes(`w${i + 1}`)) ids.push(`w${i + 1}`);
        windowsOf.set(path, ids);
      }
    }
  });
  const peripheralIndex = buildPeripheralIndex(reviewFiles, relations);
  const peripheralHeaderCost = countCached(PERIPHERAL_HEADER);

  const windows: Window[] = packed.map((units, i) => {
    const files: WindowFile[] = units.map((u) => u.file);
    const used = localHeaderCost + sum(units.map((u) => u.tokens));
    const room = Math.min(peripheralCap, localBudget - used);
    const peripheral = peripheralFor(files, peripheralIndex, (p) => windowsOf.get(p) ?? [], room, peripheralHeaderCost);
    stats.outlinedFiles += peripheral.outlinedFiles;
    const impactRoom = Math.min(impactCap, localBudget - used - peripheral.tokens);
    const shownImpact = impactFor(files, impact, impactRoom);
    const local = shownImpact.text === "" ? { files, peripheral: peripheral.text } : { files, peripheral: peripheral.text, impact: shownImpact.text };
    const localCost = tokensOf((sink) => emitLocal(local, sink));
    const total = globalCost + localCost;
    if (total + limits.memoryTokenCap > limits.windowTokens) {
      throw new WindowPlanInvariantError(`window w${i + 1} takes ${total} tokens plus ${limits.memoryTokenCap} for memory, over ${limits.windowTokens}`);
    }
    return {
      id: `w${i + 1}`,
      wave: Math.floor(i / limits.waveSize) + 1,
      global: globalLayer,
      memory: [],
      local,
      tokens: { global: globalCost, memory: 0, local: localCost, total },
    };
  });

  const coverage = computeCoverage({ changeSet, windows, planSkips: skips });
  const diffTokens = measureDiff(reviewable, stats);
  return {
    windows,
    coverage,
    stats: {
      diffTokens,
      tokensSent: sum(windows.map((w) => w.tokens.total)),
      compaction: { ...stats },
      ms: Math.round((performance.now() - started) * 10) / 10,
    },
  };
}

function addedLines(hunks: readonly Hunk[]): string[] {
  const lines: string[] = [];
  for (const hunk of hunks) for (const line of hunk.lines) if (line.kind === "add") lines.push(line.text);
  return lines;
}

function addedText(hunks: readonly Hunk[]): string | null {
  const lines = addedLines(hunks);
  return lines.length === 0 ? null : lines.join("\n");
}

/** Tokens of the reviewable hunks in Longview's rendering, without surrounding code or layers: the size of the diff itself. */
function measureDiff(files: readonly ChangedFile[], stats: CompactionStats): number {
  let tokens = 0;
  for (const file of files) {
    tokens += countCached(fileHeader(file));
    for (const hunk of file.hunks) {
      tokens += countCached(hunkHeader(hunk));
      for (const line of hunk.lines) {
        const measured = diffLineStats(line);
        tokens += measured.tokens;
        if (measured.clipped) stats.longLinesClipped++;
      }
    }
  }
  return tokens;
}

function sum(values: readonly number[]): number {
  let n = 0;
  for (const v of values) n += v;
  return n;
}

import type { ChangedFile, ChangeSet, Hunk, SkippedFile } from "../domain/change-set.js";
import type { DuplicateHunk, Window, WindowFile, WindowPlan } from "../domain/window.js";
import { MIN_LOCAL_TOKENS, planLimits, type WindowBudget, type WindowPlanOptions } from "./budget.js";
import { changeKey, duplicateOf, emptyCompactionStats, isWhitespaceOnly, type CompactionStats } from "./compaction.js";
import { computeCoverage } from "./coverage.js";
import { InvalidChangeSetError, WindowBudgetError, WindowPlanInvariantError } from "./errors.js";
import { fileUnits, type ReviewFile, type Unit } from "./file-units.js";
import { buildGlobalLayer, type GlobalInput } from "./global-layer.js";
import { classify, FILE_CLASSES, reviewGroups } from "./grouping.js";
import { HeadFiles } from "./head-files.js";
import { changedAnchors, changedLineCount } from "./hunk-lines.js";
import { packWindows } from "./packing.js";
import { peripheralFor, symbolRefs, type PeripheralIndex, type SymbolRef } from "./peripheral.js";
import { findRelations } from "./relations.js";
import { diffLineStats, emitLocal, fileHeader, globalTokens, hunkHeader, LOCAL_HEADER, PERIPHERAL_HEADER, tokensOf } from "./render.js";
import { headAgreesWith, type HeadFile } from "./surrounding-code.js";
import { createOutliner } from "./syntax/outliner.js";
import { innermostDefAt } from "./syntax/outline.js";
import { countCached } from "./tokens.js";

/** Share of a window's code room kept for peripheral outlines and signatures. */
const PERIPHERAL_SHARE = 0.08;

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
  const capacity = localBudget - localHeaderCost - peripheralCap;
  if (capacity < MIN_LOCAL_TOKENS) {
    throw new WindowBudgetError(
      `A window of ${limits.windowTokens} tokens leaves ${Math.max(0, capacity)} for code after the global layer (${globalCost}), memory (${limits.memoryTokenCap}) and peripheral context; at least ${MIN_LOCAL_TOKENS} are needed.`,
    );
  }

  const stats = emptyCompactionStats();
  const planSkips: SkippedFile[] = [];
  const skippedPaths = new Set(changeSet.skipped.map((s) => s.path));
  const reviewable = changeSet.files.filter((f) => !skippedPaths.has(f.path));
  assertUniquePaths(reviewable);
  const heads = new HeadFiles(changeSet, createOutliner());

  const kept = new Map<string, Hunk[]>();
  for (const file of reviewable) {
    reportMissingPatchLines(file, planSkips);
    kept.set(file.path, skipWhitespaceOnly(file, planSkips, stats));
  }
  const { duplicates, duplicateLines } = foldIdenticalHunks(reviewable, kept, stats);

  const reviewFiles: ReviewFile[] = [];
  for (const file of reviewable) {
    const hunks = kept.get(file.path)!;
    if (hunks.length === 0) continue;
    const head = heads.get(file.path);
    reviewFiles.push({
      file,
      hunks,
      duplicates: duplicates.get(file.path) ?? new Map(),
      head: head !== null && hunks.every((h) => headAgreesWith(h, head)) ? head : null,
    });
  }
  const unitsByPath = new Map<string, Unit[]>();
  // In review-priority order, so the parsing budget goes to security-sensitive and source files first.
  const byPriority = reviewFiles
    .map((review, i) => ({ review, i, rank: FILE_CLASSES.indexOf(classify(review.file.path)) }))
    .sort((a, b) => a.rank - b.rank || a.i - b.i);
  for (const { review } of byPriority) {
    const units = fileUnits(review, capacity);
    unitsByPath.set(review.file.path, units);
    if (units.some((u) => u.summarized)) stats.pureDeletionsSummarized++;
  }

  const relations = findRelations(
    reviewable.map((f) => f.path),
    (path) => heads.get(path)?.text ?? addedText(kept.get(path) ?? []),
  );
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
      const ids = windowsOf.get(unit.file.path) ?? [];
      if (!ids.includes(`w${i + 1}`)) ids.push(`w${i + 1}`);
      windowsOf.set(unit.file.path, ids);
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
    const local = { files, peripheral: peripheral.text };
    const localCost = tokensOf((emit) => emitLocal(local, emit));
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

  const coverage = computeCoverage({ changeSet, windows, planSkips, duplicateLines });
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

function assertUniquePaths(files: readonly ChangedFile[]): void {
  const seen = new Set<string>();
  for (const file of files) {
    if (seen.has(file.path)) throw new InvalidChangeSetError(`the change set lists ${file.path} twice`);
    seen.add(file.path);
  }
}

/** GitHub truncates large patches: lines counted by the API but absent from the hunks are reported, not lost. */
function reportMissingPatchLines(file: ChangedFile, planSkips: SkippedFile[]): void {
  const inHunks = file.hunks.reduce((n, h) => n + changedLineCount(h), 0);
  const missing = file.additions + file.deletions - inHunks;
  if (missing > 0) {
    planSkips.push({ path: file.path, reason: "patch-unavailable", lines: missing, detail: `${missing} changed lines are not in the patch` });
  }
}

function skipWhitespaceOnly(file: ChangedFile, planSkips: SkippedFile[], stats: CompactionStats): Hunk[] {
  const keep: Hunk[] = [];
  let lines = 0;
  let count = 0;
  for (const hunk of file.hunks) {
    if (changedLineCount(hunk) > 0 && isWhitespaceOnly(file.path, hunk)) {
      lines += changedLineCount(hunk);
      count++;
    } else if (changedLineCount(hunk) > 0) keep.push(hunk);
  }
  if (count > 0) {
    stats.whitespaceOnlySkipped += count;
    planSkips.push({ path: file.path, reason: "whitespace-only", lines, detail: `${count} of ${file.hunks.length} hunks change only whitespace` });
  }
  return keep;
}

/**
 * The first occurrence of each change (in change-set order) is reviewed; later
 * identical ones are removed from their files and listed on it.
 */
function foldIdenticalHunks(
  files: readonly ChangedFile[],
  kept: Map<string, Hunk[]>,
  stats: CompactionStats,
): { duplicates: Map<string, Map<number, DuplicateHunk[]>>; duplicateLines: (path: string, hunkIndex: number) => number } {
  const first = new Map<string, { path: string; hunk: Hunk }>();
  const duplicates = new Map<string, Map<number, DuplicateHunk[]>>();
  const lines = new Map<string, number>();
  for (const file of files) {
    const remaining: Hunk[] = [];
    for (const hunk of kept.get(file.path)!) {
      const key = changeKey(hunk);
      const representative = key === null ? undefined : first.get(key);
      if (key === null || representative === undefined) {
        if (key !== null) first.set(key, { path: file.path, hunk });
        remaining.push(hunk);
        continue;
      }
      const byHunk = duplicates.get(representative.path) ?? new Map<number, DuplicateHunk[]>();
      duplicates.set(representative.path, byHunk);
      const list = byHunk.get(representative.hunk.index) ?? [];
      byHunk.set(representative.hunk.index, list);
      list.push(duplicateOf(representative.hunk, hunk, file.path));
      lines.set(`${file.path}\u0000${hunk.index}`, changedLineCount(hunk));
      stats.identicalHunks++;
    }
    kept.set(file.path, remaining);
  }
  return { duplicates, duplicateLines: (path, hunkIndex) => lines.get(`${path}\u0000${hunkIndex}`) ?? 0 };
}

function addedText(hunks: readonly Hunk[]): string | null {
  const lines: string[] = [];
  for (const hunk of hunks) for (const line of hunk.lines) if (line.kind === "add") lines.push(line.text);
  return lines.length === 0 ? null : lines.join("\n");
}

function buildPeripheralIndex(reviewFiles: readonly ReviewFile[], relations: ReturnType<typeof findRelations>): PeripheralIndex {
  const symbols = new Map<string, SymbolRef[]>();
  const changeSummary = new Map<string, string>();
  for (const review of reviewFiles) {
    const head: HeadFile | null = review.head;
    if (head === null) continue;
    for (const ref of symbolRefs(head)) {
      const list = symbols.get(ref.def.name);
      if (list) list.push(ref);
      else symbols.set(ref.def.name, [ref]);
    }
    const outline = head.quickOutline();
    const names: string[] = [];
    for (const hunk of review.hunks) {
      const anchor = changedAnchors(hunk);
      const def = anchor === null ? null : innermostDefAt(outline, anchor.first);
      const name = def === null ? "top-level code" : `${def.kind} ${def.name}`;
      if (!names.includes(name)) names.push(name);
    }
    changeSummary.set(review.file.path, `changes in ${names.slice(0, 6).join(", ")}${names.length > 6 ? `, and ${names.length - 6} more` : ""}`);
  }
  const related = new Map<string, Set<string>>();
  const link = (a: string, b: string): void => {
    const set = related.get(a) ?? new Set<string>();
    set.add(b);
    related.set(a, set);
  };
  for (const r of relations) {
    link(r.from, r.to);
    link(r.to, r.from);
  }
  return { symbols, related, changeSummary };
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

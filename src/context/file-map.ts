import type { ChangedFile, FileStatus, SkippedFile } from "../domain/change-set.js";
import { oneLine } from "./render.js";
import { countCached } from "./tokens.js";

/**
 * The file map of the whole pull request: one line per file while it fits its
 * token cap, otherwise directories with counts (deepest level that fits),
 * otherwise the largest directories and one line for the rest. Never silently
 * shorter: every file is in a line or in a count.
 */

interface Entry {
  readonly path: string;
  readonly previousPath: string | null;
  readonly status: FileStatus | "unlisted";
  readonly additions: number;
  readonly deletions: number;
  readonly skip: string | null;
}

const CODES: Readonly<Record<Entry["status"], string>> = {
  added: "A",
  modified: "M",
  removed: "D",
  renamed: "R",
  copied: "C",
  binary: "B",
  "mode-only": "P",
  unlisted: "U",
};

export function buildFileMap(files: readonly ChangedFile[], skipped: readonly SkippedFile[], capTokens: number): string {
  const entries = toEntries(files, skipped);
  const header = summaryLine(entries, skipped.length);
  const levels = candidateLevels(entries);
  // Counting every candidate exactly is wasteful on huge PRs: estimate from a sample, then confirm.
  const perLine = sampleTokensPerLine(levels[0]!);
  const budget = capTokens - countCached(header);
  let start = levels.findIndex((lines) => lines.length * perLine <= budget * 1.25);
  if (start === -1) start = levels.length - 1;
  for (let i = start; i < levels.length; i++) {
    const lines = levels[i]!;
    if (tokensOf(lines) <= budget) return [header, ...lines].join("").trimEnd();
  }
  return [header, ...truncate(levels[levels.length - 1]!, entries, budget)].join("").trimEnd();
}

function toEntries(files: readonly ChangedFile[], skipped: readonly SkippedFile[]): Entry[] {
  const reasons = new Map<string, string>();
  for (const s of skipped) reasons.set(s.path, reasons.has(s.path) ? `${reasons.get(s.path)}, ${s.reason}` : s.reason);
  const listed = new Set(files.map((f) => f.path));
  const entries: Entry[] = files.map((f) => ({
    path: f.path,
    previousPath: f.previousPath,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    skip: reasons.get(f.path) ?? null,
  }));
  for (const s of skipped) {
    if (listed.has(s.path)) continue;
    listed.add(s.path);
    entries.push({ path: s.path, previousPath: null, status: "unlisted", additions: 0, deletions: s.lines, skip: reasons.get(s.path)! });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function summaryLine(entries: readonly Entry[], skippedCount: number): string {
  const adds = entries.reduce((n, e) => n + e.additions, 0);
  const dels = entries.reduce((n, e) => n + e.deletions, 0);
  const notReviewed = skippedCount > 0 ? `; ${skippedCount} not reviewed (reason in brackets)` : "";
  return `${entries.length} files, +${adds} -${dels}${notReviewed}. Codes: A added, M modified, D deleted, R renamed, C copied, B binary, P mode only, U not listed.\n`;
}

function fileLine(e: Entry): string {
  const from = e.previousPath !== null && e.previousPath !== e.path ? ` (from ${oneLine(e.previousPath)})` : "";
  const skip = e.skip !== null ? ` [${e.skip}]` : "";
  return `${CODES[e.status]} ${oneLine(e.path)}${from} +${e.additions} -${e.deletions}${skip}\n`;
}

function dirLine(dir: string, members: readonly Entry[]): string {
  const byCode = new Map<string, number>();
  let adds = 0;
  let dels = 0;
  let skipped = 0;
  for (const e of members) {
    byCode.set(CODES[e.status], (byCode.get(CODES[e.status]) ?? 0) + 1);
    adds += e.additions;
    dels += e.deletions;
    if (e.skip !== null) skipped++;
  }
  const codes = [...byCode]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([c, n]) => `${n} ${c}`)
    .join(", ");
  const skip = skipped > 0 ? `, ${skipped} not reviewed` : "";
  return `* ${oneLine(dir)}/ ${members.length} files (${codes}${skip}) +${adds} -${dels}\n`;
}

/** Level 0 lists every file; each next level groups files into shallower directories. */
function candidateLevels(entries: readonly Entry[]): string[][] {
  const levels: string[][] = [entries.map(fileLine)];
  const maxDepth = entries.reduce((m, e) => Math.max(m, e.path.split("/").length - 1), 0);
  for (let depth = maxDepth; depth >= 1; depth--) levels.push(groupAtDepth(entries, depth));
  return levels;
}

function groupAtDepth(entries: readonly Entry[], depth: number): string[] {
  const groups = new Map<string, Entry[]>();
  for (const e of entries) {
    const parts = e.path.split("/");
    const dir = parts.slice(0, Math.min(depth, parts.length - 1)).join("/");
    const group = groups.get(dir);
    if (group) group.push(e);
    else groups.set(dir, [e]);
  }
  const lines: string[] = [];
  for (const [dir, members] of groups) {
    if (members.length === 1 || dir === "") lines.push(...members.map(fileLine));
    else lines.push(dirLine(dir, members));
  }
  return lines;
}

function truncate(lines: readonly string[], entries: readonly Entry[], budget: number): string[] {
  const kept: string[] = [];
  let used = 0;
  let keptCount = 0;
  for (const line of lines) {
    const cost = countCached(line);
    if (used + cost > budget - 40) break;
    kept.push(line);
    used += cost;
    keptCount++;
  }
  const rest = lines.length - keptCount;
  kept.push(`[... ${rest} more entries not listed; ${entries.length} files in total are counted in the first line]\n`);
  return kept;
}

function tokensOf(lines: readonly string[]): number {
  let n = 0;
  for (const line of lines) n += countCached(line);
  return n;
}

function sampleTokensPerLine(lines: readonly string[]): number {
  if (lines.length === 0) return 1;
  const step = Math.max(1, Math.floor(lines.length / 64));
  let n = 0;
  let count = 0;
  for (let i = 0; i < lines.length; i += step) {
    n += countCached(lines[i]!);
    count++;
  }
  return n / count;
}

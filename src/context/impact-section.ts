import { changeSummary, type ApiChange, type ImpactContext } from "../domain/impact.js";
import type { WindowFile } from "../domain/window.js";
import { IMPACT_HEADER, oneLine } from "./render.js";
import { countCached } from "./tokens.js";

/**
 * The impact section of one window: the changed definitions of the window's
 * files, before and after, and the unchanged lines that use them as
 * `path:line`, most important first, within `capTokens` (header included).
 * The count is of the exact segment `emitLocal` renders, so it is exact.
 */

const MAX_CODE_CHARS = 240;

export function impactFor(files: readonly WindowFile[], impact: ImpactContext | undefined, capTokens: number): { text: string; tokens: number } {
  if (impact === undefined || capTokens <= 0) return { text: "", tokens: 0 };
  const here = new Set<string>();
  for (const f of files) {
    here.add(f.path);
    if (f.previousPath !== null) here.add(f.previousPath);
  }
  const relevant = impact.changes.filter((c) => here.has(c.path));
  if (relevant.length === 0) return { text: "", tokens: 0 };

  // Every change's heading and first usage before anyone's second usage: breadth first.
  const blocks = relevant.map((c) => ({ head: headLines(c), usages: c.usages.map((u) => usageLine(u)), more: c.usagesTruncated }));
  const kept: string[] = [];
  let used = countCached(IMPACT_HEADER);
  const tryAdd = (lines: readonly string[]): boolean => {
    const cost = lines.reduce((n, l) => n + countCached(`${l}\n`), 0);
    if (used + cost > capTokens) return false;
    kept.push(...lines);
    used += cost;
    return true;
  };
  const placed = blocks.map((b) => tryAdd([...b.head, ...b.usages.slice(0, 1)]));
  const sections = blocks.map((b, i) => (placed[i] ? [...b.head, ...b.usages.slice(0, 1)] : []));
  blocks.forEach((b, i) => {
    if (!placed[i]) return;
    for (const line of b.usages.slice(1)) {
      const cost = countCached(`${line}\n`);
      if (used + cost > capTokens) break;
      sections[i]!.push(line);
      used += cost;
    }
    if (b.more || sections[i]!.length - b.head.length < b.usages.length) {
      const line = "- (more usages exist; search the repository for the rest)";
      const cost = countCached(`${line}\n`);
      if (used + cost <= capTokens) {
        sections[i]!.push(line);
        used += cost;
      }
    }
  });
  let lines = sections.flat();
  // Counted per line above; the rendered segment is counted whole, and trimmed until it fits.
  for (;;) {
    if (lines.length === 0) return { text: "", tokens: 0 };
    const text = lines.join("\n");
    const tokens = countCached(`${IMPACT_HEADER}${text}\n`);
    if (tokens <= capTokens) return { text, tokens };
    lines = lines.slice(0, -1);
  }
}

function headLines(change: ApiChange): string[] {
  const name = change.kind === "key-removed" ? `key "${change.symbol}"` : change.symbol;
  const lines = [`## ${oneLine(name)} in ${oneLine(change.path)}: ${changeSummary(change)}`];
  lines.push(`- before (base line ${change.before.line}): ${code(change.before.text)}`);
  if (change.after !== null && change.kind !== "body-changed") lines.push(`- after (head line ${change.after.line}): ${code(change.after.text)}`);
  return lines;
}

function usageLine(u: ApiChange["usages"][number]): string {
  return `- ${u.kind} ${oneLine(u.path)}:${u.line}: ${code(u.text)}`;
}

function code(text: string): string {
  const flat = oneLine(text).trim();
  return flat.length > MAX_CODE_CHARS ? `${flat.slice(0, MAX_CODE_CHARS)}…` : flat;
}

import type { Scores } from "./metrics.js";
import type { EvalResult } from "./result.js";

/** Number formats shared by the text and Markdown reports. */

export const NONE = "–";

export function pct(ratio: number | null): string {
  return ratio === null ? NONE : `${(ratio * 100).toFixed(1)}%`;
}

/** A change of a ratio, in percentage points. */
export function pp(delta: number | null): string {
  if (delta === null) return NONE;
  const points = delta * 100;
  return `${points > 0 ? "+" : points < 0 ? "−" : "±"}${Math.abs(points).toFixed(1)} pp`;
}

export function signed(delta: number | null, format: (n: number) => string = String): string {
  if (delta === null) return NONE;
  return `${delta > 0 ? "+" : delta < 0 ? "−" : "±"}${format(Math.abs(delta))}`;
}

export function usd(value: number | null): string {
  if (value === null) return "n/a";
  return value === 0 ? "$0" : `$${value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function thousands(n: number): string {
  return n.toLocaleString("en-US");
}

export function recallCell(s: Scores | null | undefined): string {
  return s ? `${pct(s.recall)} (${s.matchedExpected}/${s.expected})` : NONE;
}

export function precisionCell(s: Scores | null | undefined): string {
  return s ? `${pct(s.precision)} (${s.matchedFindings}/${s.findings})` : NONE;
}

/** Category rows in a stable order: the labeled categories first, then whatever else occurs. */
export function orderedKeys(record: Readonly<Record<string, unknown>>, preferred: readonly string[]): string[] {
  const rest = Object.keys(record)
    .filter((k) => !preferred.includes(k))
    .sort();
  return [...preferred.filter((k) => k in record), ...rest];
}

export const CATEGORY_ORDER = ["bug", "security", "performance", "any", "other"] as const;
export const SEVERITY_ORDER = ["P0", "P1", "P2", "P3"] as const;

/** One line naming how the run was made. */
export function runLine(result: EvalResult): string {
  const mode =
    result.mode === "offline"
      ? `offline — analyzers only (${result.offlineReason ?? "no model"})`
      : `model ${result.model ?? "?"} + analyzers${result.judgeModel ? `, judge ${result.judgeModel}` : ""}`;
  return `${plural(result.cases.length, "case")} from ${result.dataset}; ${mode}; line tolerance ±${result.tolerance}; window ${thousands(result.windowTokens)} tokens`;
}

/** Left-aligned first column, right-aligned others, two spaces apart. */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const escape = (cell: string) => cell.replace(/\|/g, "\\|").replace(/\n/g, " ");
  return [
    `| ${header.map(escape).join(" | ")} |`,
    `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`,
    ...rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

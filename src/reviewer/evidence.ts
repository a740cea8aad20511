import type { Side } from "../domain/change-set.js";
import type { WindowFile } from "../domain/window.js";

/**
 * Holds a model finding to the code it quotes. The quote must be on the cited
 * lines (whitespace-normalised); when it is not, the finding moves to where
 * the quote is inside the window's reviewed hunks (same file first, nearest
 * occurrence). A finding whose cited line is surrounding code, or whose quote
 * is found nowhere the window reviewed, is dropped with its reason. Pure.
 */

export interface Anchor {
  readonly path: string;
  readonly line: number;
  readonly startLine: number | null;
  readonly side: Side;
}

/** Model findings answered by one call, and what validation dropped (per stage) or moved. */
export interface ModelFindingFunnel {
  readonly candidates: number;
  readonly droppedEvidence: number;
  readonly droppedScope: number;
  readonly reanchored: number;
}

export type EvidenceVerdict =
  | { readonly kind: "ok" }
  | { readonly kind: "reanchored"; readonly anchor: Anchor; readonly reason: string }
  | { readonly kind: "dropped"; readonly stage: "evidence" | "scope"; readonly reason: string };

/** Bounds on what is compared, so a hostile answer cannot make the search expensive. */
export const QUOTE_LIMITS = { chars: 2_000, lines: 20 } as const;

interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/** A file's lines as the window showed them: per side, each hunk's lines in order, and the surrounding (head) code. */
interface FileLines {
  readonly path: string;
  readonly hunks: Readonly<Record<Side, readonly (readonly NumberedLine[])[]>>;
  readonly surrounding: ReadonlyMap<number, string>;
}

export function checkEvidence(cited: Anchor, quote: string, files: readonly WindowFile[]): EvidenceVerdict {
  const wanted = normalizeQuote(quote);
  if (wanted.text === "") return { kind: "dropped", stage: "evidence", reason: "the finding quotes no code" };
  const shown = files.map(fileLines);
  const own = shown.find((f) => f.path === cited.path);
  if (!own) return { kind: "dropped", stage: "scope", reason: "the file is not among those reviewed in this window" };

  const citedText = textAt(own, cited);
  if (citedText !== null && normalize(citedText).includes(wanted.text)) {
    if (isHunkLine(own, cited.side, cited.line)) return { kind: "ok" };
    return { kind: "dropped", stage: "scope", reason: `line ${cited.line} is surrounding code outside the diff, not a reviewed line` };
  }

  const found = findQuote(own, wanted, cited) ?? firstInOtherFiles(shown, cited.path, wanted);
  if (found) {
    const where = found.startLine !== null ? `${found.startLine}-${found.line}` : `${found.line}`;
    return { kind: "reanchored", anchor: found, reason: `the quote is not on the cited lines; moved to ${found.path}:${where} (${found.side}) where it is` };
  }
  if ([...own.surrounding.values()].some((text) => normalize(text).includes(wanted.text))) {
    return { kind: "dropped", stage: "scope", reason: "the quoted code is surrounding context outside the diff" };
  }
  return { kind: "dropped", stage: "evidence", reason: "the quoted code is not on any line this window reviewed" };
}

/** Collapses whitespace; strips window line prefixes (`R12 + `) and diff markers a model may have copied. */
export function normalizeQuote(quote: string): { readonly text: string; readonly lines: number } {
  const lines = quote
    .slice(0, QUOTE_LIMITS.chars)
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*[RL~]\d+\s?[+\-|]\s?/, ""))
    .filter((line) => line.trim() !== "")
    .slice(0, QUOTE_LIMITS.lines);
  return { text: normalize(lines.join("\n")), lines: Math.max(1, lines.length) };
}

function normalize(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function fileLines(file: WindowFile): FileLines {
  const right: NumberedLine[][] = [];
  const left: NumberedLine[][] = [];
  for (const { hunk } of file.hunks) {
    right.push(hunk.lines.flatMap((l) => (l.newLine !== null ? [{ line: l.newLine, text: l.text }] : [])));
    left.push(hunk.lines.flatMap((l) => (l.oldLine !== null ? [{ line: l.oldLine, text: l.text }] : [])));
  }
  const surrounding = new Map<number, string>();
  for (const { surrounding: around } of file.hunks) {
    if (!around) continue;
    around.text.split("\n").forEach((text, i) => surrounding.set(around.startLine + i, text));
  }
  return { path: file.path, hunks: { RIGHT: right, LEFT: left }, surrounding };
}

function isHunkLine(file: FileLines, side: Side, line: number): boolean {
  return file.hunks[side].some((hunk) => hunk.some((l) => l.line === line));
}

/** The cited lines' text as shown (hunk lines first, then surrounding head code), or null when a line was not shown. */
function textAt(file: FileLines, cited: Anchor): string | null {
  const from = cited.startLine !== null && cited.startLine < cited.line ? cited.startLine : cited.line;
  if (cited.line - from >= QUOTE_LIMITS.lines * 4) return null;
  const byLine = new Map<number, string>();
  if (cited.side === "RIGHT") for (const [line, text] of file.surrounding) byLine.set(line, text);
  for (const hunk of file.hunks[cited.side]) for (const l of hunk) byLine.set(l.line, l.text);
  const texts: string[] = [];
  for (let line = from; line <= cited.line; line++) {
    const text = byLine.get(line);
    if (text === undefined) return null;
    texts.push(text);
  }
  return texts.join("\n");
}

/** The occurrence of the quote in the file's hunks nearest to the cited line (the cited side wins ties). */
function findQuote(file: FileLines, wanted: { text: string; lines: number }, cited: Anchor): Anchor | null {
  let best: { anchor: Anchor; distance: number } | null = null;
  const sides: Side[] = cited.side === "RIGHT" ? ["RIGHT", "LEFT"] : ["LEFT", "RIGHT"];
  for (const side of sides) {
    for (const hunk of file.hunks[side]) {
      for (let i = 0; i + wanted.lines <= hunk.length; i++) {
        const span = hunk.slice(i, i + wanted.lines);
        if (!normalize(span.map((l) => l.text).join("\n")).includes(wanted.text)) continue;
        const last = span[span.length - 1]!;
        const distance = Math.abs(last.line - cited.line);
        if (best === null || distance < best.distance) {
          best = { anchor: { path: file.path, line: last.line, startLine: span.length > 1 ? span[0]!.line : null, side }, distance };
        }
      }
    }
  }
  return best?.anchor ?? null;
}

function firstInOtherFiles(files: readonly FileLines[], path: string, wanted: { text: string; lines: number }): Anchor | null {
  for (const file of files) {
    if (file.path === path) continue;
    const found = findQuote(file, wanted, { path: file.path, line: 0, startLine: null, side: "RIGHT" });
    if (found) return found;
  }
  return null;
}

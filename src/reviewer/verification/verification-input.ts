import { countTokens, renderLocal } from "../../context/index.js";
import type { Finding } from "../../domain/finding.js";
import type { WindowFile, WindowHunk } from "../../domain/window.js";

/**
 * What the verifier reads for one batch: the candidates (id, place, claim,
 * quoted code) and the file's changed hunks as the windows showed them
 * (redacted, with the code around them), hunks holding a candidate first.
 * Hunks beyond the token cap are counted, not sent: the verifier can read
 * the file with its tools. Pure.
 */

export interface VerificationCandidate {
  /** Short id the verifier answers with (`F1`, `F2`, …), unique within the batch. */
  readonly id: string;
  readonly finding: Finding;
}

export interface VerificationBatch {
  readonly path: string;
  readonly candidates: readonly VerificationCandidate[];
  /** The file as the windows showed it (a file split across windows appears once per window). */
  readonly files: readonly WindowFile[];
}

export interface VerificationContent {
  readonly text: string;
  readonly tokens: number;
  /** Hunks of the file left out for size. */
  readonly omittedHunks: number;
}

export const VERIFICATION_INPUT_TOKENS = 12_000;
/** Of the cap, what the file's other hunks (those without a candidate) may take: context, not evidence; the tools read more. */
const OTHER_HUNKS_TOKENS = 2_000;
/** A hunk longer than this many lines (a new file is one hunk) is sent as the lines around the candidates only. */
const EXCERPT_ABOVE_LINES = 120;
const EXCERPT_RADIUS = 40;
const MAX_BODY_CHARS = 1_500;
const MAX_QUOTE_CHARS = 1_000;

export function verificationContent(batch: VerificationBatch, maxTokens = VERIFICATION_INPUT_TOKENS): VerificationContent {
  const head = `# File: ${oneLine(batch.path)}\n## Candidate findings\n${batch.candidates.map(candidateText).join("")}`;
  let used = countTokens(head);
  const file = batch.files[0];
  if (!file) return { text: head, tokens: used, omittedHunks: 0 };

  const ordered = orderedHunks(batch);
  const holding = ordered.holding.map((h) => excerpt(h, batch));
  const others = ordered.others;
  const kept: WindowHunk[] = [];
  let omittedHunks = 0;
  let otherTokens = 0;
  for (const hunk of [...holding, ...others]) {
    const cost = countTokens(renderLocal({ files: [{ ...file, hunks: [hunk] }], peripheral: "" }));
    const isOther = !holding.includes(hunk);
    // The first hunk (one the candidates are on) is sent whatever its size: without it nothing can be checked.
    if ((kept.length > 0 && used + cost > maxTokens) || (isOther && otherTokens + cost > OTHER_HUNKS_TOKENS)) {
      omittedHunks++;
      continue;
    }
    used += cost;
    if (isOther) otherTokens += cost;
    kept.push(hunk);
  }
  const code = renderLocal({ files: [{ ...file, hunks: kept }], peripheral: "" });
  const note = omittedHunks > 0 ? `\n[${omittedHunks} more changed hunks of this file are not shown for size; read them with the tools.]\n` : "";
  const text = `${head}\n${code}${note}`;
  return { text, tokens: countTokens(text), omittedHunks };
}

function candidateText({ id, finding: f }: VerificationCandidate): string {
  const lines = f.startLine === null ? `line ${f.line}` : `lines ${f.startLine}-${f.line}`;
  const side = f.side === "RIGHT" ? "RIGHT, new numbering" : "LEFT, old numbering: deleted code";
  const quote = f.quote === undefined ? "(none)" : clip(f.quote, MAX_QUOTE_CHARS);
  return (
    `### ${id}\n` +
    `Where: ${lines} (${side})\n` +
    `Claim: ${f.severity} ${f.category}: ${oneLine(f.title)}\n` +
    `Quoted code:\n${indent(quote)}\n` +
    `Explanation: ${clip(f.body.trim(), MAX_BODY_CHARS)}\n\n`
  );
}

/** Distinct hunks of the file: those holding a candidate's lines, and the others, each in file order. */
function orderedHunks(batch: VerificationBatch): { readonly holding: WindowHunk[]; readonly others: WindowHunk[] } {
  const seen = new Set<string>();
  const all: WindowHunk[] = [];
  for (const file of batch.files) {
    for (const h of file.hunks) {
      const key = `${h.hunk.oldStart}:${h.hunk.oldLines}:${h.hunk.newStart}:${h.hunk.newLines}`;
      if (seen.has(key)) continue;
      seen.add(key);
      all.push(h);
    }
  }
  const holds = (h: WindowHunk) =>
    batch.candidates.some(({ finding: f }) => {
      const start = f.side === "RIGHT" ? h.hunk.newStart : h.hunk.oldStart;
      const count = f.side === "RIGHT" ? h.hunk.newLines : h.hunk.oldLines;
      const first = f.startLine ?? f.line;
      return first <= start + Math.max(count, 1) - 1 && f.line >= start;
    });
  return { holding: all.filter(holds), others: all.filter((h) => !holds(h)) };
}

/**
 * A long hunk cut to the lines within `EXCERPT_RADIUS` of the candidates it holds (one span from the first
 * to the last), with its line numbers as they are; the verifier reads the rest with its tools. Pure.
 */
export function excerpt(windowHunk: WindowHunk, batch: Pick<VerificationBatch, "candidates">): WindowHunk {
  const { hunk } = windowHunk;
  if (hunk.lines.length <= EXCERPT_ABOVE_LINES) return windowHunk;
  const lineOf = (side: "LEFT" | "RIGHT", i: number) => (side === "RIGHT" ? hunk.lines[i]!.newLine : hunk.lines[i]!.oldLine);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const { finding: f } of batch.candidates) {
    for (let i = 0; i < hunk.lines.length; i++) {
      const n = lineOf(f.side, i);
      if (n !== null && n >= (f.startLine ?? f.line) && n <= f.line) {
        first = Math.min(first, i);
        last = Math.max(last, i);
      }
    }
  }
  if (!Number.isFinite(first)) return windowHunk;
  const from = Math.max(0, first - EXCERPT_RADIUS);
  const to = Math.min(hunk.lines.length, last + EXCERPT_RADIUS + 1);
  const lines = hunk.lines.slice(from, to);
  const firstOld = lines.find((l) => l.oldLine !== null)?.oldLine ?? hunk.oldStart;
  const firstNew = lines.find((l) => l.newLine !== null)?.newLine ?? hunk.newStart;
  const shown = {
    ...hunk,
    header: `@@ -0,0 +0,0 @@ excerpt, ${hunk.lines.length - lines.length} more lines not shown (read_file)`,
    oldStart: firstOld,
    newStart: firstNew,
    oldLines: lines.filter((l) => l.kind !== "add").length,
    newLines: lines.filter((l) => l.kind !== "del").length,
    lines,
  };
  return { ...windowHunk, hunk: shown, surrounding: null };
}

function indent(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => `    ${line}`)
    .join("\n");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

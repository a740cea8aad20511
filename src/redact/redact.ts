import { mergeRanges, type SecretRange } from "./secret-range.js";
import { tokenPatternRanges } from "./token-patterns.js";

export function placeholder(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** Any placeholder `redact()` writes, whatever its kind. */
export const PLACEHOLDER_PATTERN = /\[REDACTED:[^\]\n]*\]/;

/**
 * Replaces every range of `text` with its placeholder. Pure; ranges may
 * overlap or be unsorted. A range spanning lines gets one placeholder per
 * line, after that line's indentation, so the text keeps its line count
 * (line numbers shown to the model stay true) and indentation-sensitive
 * syntax such as a YAML block stays valid.
 */
export function redact(text: string, ranges: readonly SecretRange[]): string {
  let out = "";
  let cursor = 0;
  for (const range of mergeRanges(ranges)) {
    const start = Math.max(range.start, cursor);
    const end = Math.min(range.end, text.length);
    if (start >= end) continue;
    out += text.slice(cursor, start) + replaceLines(text.slice(start, end), range.kind);
    cursor = end;
  }
  return out + text.slice(cursor);
}

function replaceLines(value: string, kind: string): string {
  // Odd parts are the separators (a line break and the next line's indentation), kept as they are.
  return value
    .split(/(\r?\n[ \t]*)/)
    .map((part, i) => (i % 2 === 1 || part.trim() === "" ? part : placeholder(kind)))
    .join("");
}

/** Stateless: replaces well-known token shapes (private keys, cloud, SaaS and package-registry keys) in any text. */
export function redactTokenShapes(text: string): string {
  return redact(text, tokenPatternRanges(text));
}

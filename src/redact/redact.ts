import { mergeRanges, type SecretRange } from "./secret-range.js";
import { tokenPatternRanges } from "./token-patterns.js";

export function placeholder(kind: string): string {
  return `[REDACTED:${kind}]`;
}

/** Replaces every range of `text` with its placeholder. Pure; ranges may overlap or be unsorted. */
export function redact(text: string, ranges: readonly SecretRange[]): string {
  let out = "";
  let cursor = 0;
  for (const range of mergeRanges(ranges)) {
    const start = Math.max(range.start, cursor);
    const end = Math.min(range.end, text.length);
    if (start >= end) continue;
    out += text.slice(cursor, start) + placeholder(range.kind);
    cursor = end;
  }
  return out + text.slice(cursor);
}

/** Stateless: replaces well-known token shapes (private keys, GitHub/AWS/Slack/OpenAI keys) in any text. */
export function redactTokenShapes(text: string): string {
  return redact(text, tokenPatternRanges(text));
}

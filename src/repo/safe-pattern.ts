import { findCatastrophicBacktracking } from "../analyzers/regex/catastrophic-backtracking.js";
import { escapeRegExp } from "./tool-text.js";

/**
 * A search pattern from untrusted input (the model, a pull request) compiled
 * only when it cannot run away: bounded length, no backreferences (which no
 * analysis makes safe), and no nested ambiguous repetition (the same check the
 * `longview/unsafe-regex` rule applies to code). Matching also runs line by
 * line on clipped lines under a deadline (search.ts), so even a pattern that
 * slips through costs bounded time per line.
 */

export const MAX_PATTERN_CHARS = 200;

export type CompiledPattern = { readonly ok: true; readonly regex: RegExp } | { readonly ok: false; readonly reason: string };

export function compileSearchPattern(query: string, options: { regex: boolean; caseSensitive: boolean; wholeWord: boolean }): CompiledPattern {
  if (query.length === 0) return { ok: false, reason: "the pattern is empty" };
  if (query.length > MAX_PATTERN_CHARS) return { ok: false, reason: `the pattern is longer than ${MAX_PATTERN_CHARS} characters` };
  let source = options.regex ? query : escapeRegExp(query);
  if (options.regex) {
    if (/\\[1-9]|\\k</.test(query)) return { ok: false, reason: "backreferences are not allowed" };
    const risk = findCatastrophicBacktracking(query, "u");
    if (risk !== null) return { ok: false, reason: `the pattern can backtrack catastrophically at \`${risk.fragment}\`` };
  }
  if (options.wholeWord) source = `(?<![\\w$])(?:${source})(?![\\w$])`;
  try {
    return { ok: true, regex: new RegExp(source, options.caseSensitive ? "u" : "iu") };
  } catch (error) {
    return { ok: false, reason: `invalid regular expression: ${error instanceof Error ? error.message : String(error)}` };
  }
}

import { countO200k, decodeO200k, encodeO200k } from "./o200k.js";

/**
 * Token counting with o200k_base. Special-token strings such as `<|endoftext|>`
 * are counted as the plain text they are: the API treats them that way in
 * user content, and a diff may well contain them.
 *
 * Rendered windows are built from segments that each end with "\n" and are
 * followed by a segment starting with a character other than whitespace or
 * "/". No o200k pre-token can span such a boundary, so the token count of the
 * concatenation equals the sum of the segments' counts; that is what lets the
 * builder count line by line (with a cache) and still be exact for the real
 * rendered text. Within a line, the marker prefix (ending in "+", "-" or "|")
 * and the text part (starting with a space) split at a pre-token boundary too.
 */

export function countTokens(text: string): number {
  if (text === "") return 0;
  return countO200k(text);
}

/** Repeated segments (code lines, prefixes) are counted once; the cache only ever holds exact counts. */
const CACHE_LIMIT = 250_000;
const cache = new Map<string, number>();

export function countCached(segment: string): number {
  const hit = cache.get(segment);
  if (hit !== undefined) return hit;
  const n = countTokens(segment);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(segment, n);
  return n;
}

/**
 * The longest prefix of `text` whose token count is at most `maxTokens`,
 * cut at a token boundary of `text` itself.
 */
export function clipToTokens(text: string, maxTokens: number): string {
  const tokens = encodeO200k(text);
  if (tokens.length <= maxTokens) return text;
  let clipped = decodeO200k(tokens.slice(0, Math.max(0, maxTokens)));
  // A cut inside a multi-byte character decodes to U+FFFD; drop it rather than show a broken character.
  while (clipped.endsWith("\uFFFD")) clipped = clipped.slice(0, -1);
  return clipped;
}

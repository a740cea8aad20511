import type { SecretRange } from "./secret-range.js";

/**
 * Private-key blocks (PEM, OpenSSH, PGP armor). The secret is the base64
 * body; the `-----BEGIN/END …-----` lines stay, so the model still sees that
 * a key is committed there. Only the base64 runs are replaced: line breaks,
 * indentation, `\n` escapes in a JSON or JavaScript string and the quotes and
 * `+` of a key written as concatenated strings are kept, so the code still
 * parses and keeps its line count.
 */

const BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----/g;

/**
 * What may follow the BEGIN line inside a key: armor headers (`Proc-Type: …`),
 * base64 and whitespace, `\n` escapes, and the glue between concatenated or
 * listed string pieces (`" +\n  "`, `",\n  "`). The first alternative matching
 * wins and nothing follows the loop, so matching is linear.
 */
const BODY = /(?:[A-Za-z][A-Za-z0-9-]*:[ \t][^\n"'`\\]*|[A-Za-z0-9+/=\s]|\\[nr]|["'`][ \t]*[+,]?[ \t]*\r?\n?[ \t]*["'`])*/y;

/** Base64 runs of the body; escapes are matched first so `\nMIIE…` does not start a run at `n`. */
const RUN = /\\[nr]|([A-Za-z0-9+/]{4,}={0,2})/g;

/** A real key body has full base64 lines (64 characters in PEM); anything shorter is a marker quoted in code. */
const MIN_LONGEST_RUN = 16;

export function privateKeyRanges(text: string): SecretRange[] {
  const ranges: SecretRange[] = [];
  for (const begin of text.matchAll(BEGIN)) {
    const bodyStart = begin.index + begin[0].length;
    // A body stops at the next `-----` (an END or BEGIN line), so bodies never overlap: linear in the text.
    BODY.lastIndex = bodyStart;
    const body = BODY.exec(text);
    ranges.push(...keyRuns(text, bodyStart, bodyStart + (body?.[0].length ?? 0)));
  }
  return ranges;
}

/** Ranges of a key's base64 runs within [start, end) of `text`; none unless one run is long enough to be key material. */
function keyRuns(text: string, start: number, end: number): SecretRange[] {
  const runs: SecretRange[] = [];
  let longest = 0;
  for (const match of text.slice(start, end).matchAll(RUN)) {
    const run = match[1];
    if (run === undefined) continue;
    longest = Math.max(longest, run.length);
    runs.push({ start: start + match.index, end: start + match.index + run.length, kind: "private-key" });
  }
  return longest >= MIN_LONGEST_RUN ? runs : [];
}

import type { SecretRange } from "./secret-range.js";

/** `.env`, `.env.local`, `config/.env.production`, `prod.env` — files whose every value is configuration, often secret. */
export function isEnvFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  return name === ".env" || name.startsWith(".env.") || name.endsWith(".env");
}

/** Optional `export`, a variable name, `=`: the value is what follows. */
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*=[ \t]*/;

/**
 * Ranges of every non-empty value in `KEY=value` lines: inside the quotes of
 * a quoted value, before the ` # comment` of an unquoted one (dotenv's
 * rules), so the redacted file still reads as the same assignments.
 */
export function envValueRanges(content: string): SecretRange[] {
  const ranges: SecretRange[] = [];
  let offset = 0;
  for (const line of content.split("\n")) {
    const assignment = ASSIGNMENT.exec(line);
    if (assignment) {
      const [from, to] = valueBounds(line.slice(assignment[0].length).replace(/\r$/, ""));
      const start = offset + assignment[0].length;
      if (to > from) ranges.push({ start: start + from, end: start + to, kind: "env-value" });
    }
    offset += line.length + 1;
  }
  return ranges;
}

/** A quoted value up to its closing quote (backslash escapes skipped). */
const QUOTED = /^(["'`])((?:\\.|(?!\1)[^\\])*)\1/;

/** [from, to) of the value itself within what follows `=`. */
function valueBounds(rest: string): [number, number] {
  if (/^["'`]/.test(rest)) {
    const quoted = QUOTED.exec(rest);
    // No closing quote on this line: a multi-line value, redacted to the line's end.
    return [1, quoted ? 1 + quoted[2]!.length : rest.trimEnd().length];
  }
  const comment = /\s#/.exec(rest);
  return [0, (comment ? rest.slice(0, comment.index) : rest).trimEnd().length];
}

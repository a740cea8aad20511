import type { SecretRange } from "./secret-range.js";

/** `.env`, `.env.local`, `config/.env.production`, `prod.env` — files whose every value is configuration, often secret. */
export function isEnvFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1).toLowerCase();
  return name === ".env" || name.startsWith(".env.") || name.endsWith(".env");
}

/** Optional `export`, a variable name, `=`: the value is what follows. */
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?[A-Za-z_][A-Za-z0-9_.-]*[ \t]*=[ \t]*/;

/** Ranges of every non-empty value in `KEY=value` lines (quotes included, comments and blank lines skipped). */
export function envValueRanges(content: string): SecretRange[] {
  const ranges: SecretRange[] = [];
  let offset = 0;
  for (const line of content.split("\n")) {
    const assignment = ASSIGNMENT.exec(line);
    if (assignment) {
      const value = line.slice(assignment[0].length).replace(/\r$/, "").trimEnd();
      if (value !== "") ranges.push({ start: offset + assignment[0].length, end: offset + assignment[0].length + value.length, kind: "env-value" });
    }
    offset += line.length + 1;
  }
  return ranges;
}

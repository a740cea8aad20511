import type { Hunk } from "../domain/change-set.js";
import { envValueRanges, isEnvFile } from "./env-file.js";
import { findSecretRanges } from "./find-secret-ranges.js";
import { redact } from "./redact.js";
import type { SecretRange } from "./secret-range.js";
import { tokenPatternRanges } from "./token-patterns.js";

/**
 * Redacts everything that goes to the model. It remembers every secret value
 * found in the files it redacted and replaces that value wherever it shows up
 * later (hunk lines, surrounding code, descriptions), on top of stateless
 * detection of well-known token shapes. Redact every file's content first,
 * then the hunks and any other text.
 */
export interface Redactor {
  /** The content with its secrets replaced by `[REDACTED:kind]`; the values are remembered. */
  redactFile(path: string, content: string): Promise<string>;
  /** Any text: remembered values and token shapes; for a `.env`-style `path`, also `KEY=value` values. */
  redactLine(text: string, path?: string): string;
  /** Consecutive lines of one file, redacted line by line so the count stays the same; secrets spanning lines (key blocks) are found across them. */
  redactLines(lines: readonly string[], path?: string): string[];
  /** A hunk with its header and line texts redacted (each side is scanned as consecutive text). */
  redactHunk(path: string, hunk: Hunk): Hunk;
  /** Distinct secret values remembered so far. */
  readonly knownSecrets: number;
}

/** Remembered values shorter than this would replace ordinary words and numbers everywhere. */
const MIN_REMEMBERED_LENGTH = 8;

export function createRedactor(): Redactor {
  /** value → kind, longest values first when applied. */
  const known = new Map<string, string>();
  let ordered: [string, string][] | null = null;

  const remember = (value: string, kind: string, generic: boolean): void => {
    const candidates = value.includes("\n") ? [value, ...value.split("\n").map((line) => line.trim())] : [value];
    for (const candidate of candidates) {
      if (candidate.length < MIN_REMEMBERED_LENGTH || known.has(candidate)) continue;
      // Plain `.env` values like `production` or `localhost` are redacted in place but not hunted everywhere.
      if (generic && !looksLikeSecret(candidate)) continue;
      if (/^-----(BEGIN|END) /.test(candidate)) continue;
      known.set(candidate, kind);
      ordered = null;
    }
  };

  const knownRanges = (text: string): SecretRange[] => {
    ordered ??= [...known.entries()].sort((a, b) => b[0].length - a[0].length || a[0].localeCompare(b[0]));
    const ranges: SecretRange[] = [];
    for (const [value, kind] of ordered) {
      for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + value.length)) {
        ranges.push({ start: at, end: at + value.length, kind });
      }
    }
    return ranges;
  };

  const rangesIn = (text: string, path: string | undefined): SecretRange[] => [
    ...knownRanges(text),
    ...tokenPatternRanges(text),
    ...(path !== undefined && isEnvFile(path) ? envValueRanges(text) : []),
  ];

  const redactLines = (lines: readonly string[], path?: string): string[] => {
    const perLine = splitRangesByLine(lines, rangesIn(lines.join("\n"), path));
    return lines.map((line, i) => redact(line, perLine[i] ?? []));
  };

  return {
    async redactFile(path, content) {
      const ranges = await findSecretRanges(path, content);
      for (const range of ranges) remember(content.slice(range.start, range.end), range.kind, range.kind === "env-value");
      return redact(content, [...ranges, ...knownRanges(content)]);
    },
    redactLine(text, path) {
      return redact(text, rangesIn(text, path));
    },
    redactLines,
    redactHunk(path, hunk) {
      const texts = hunk.lines.map((line) => line.text);
      const perLine = texts.map(() => [] as SecretRange[]);
      // Old and new side each read as consecutive text, plus the hunk as printed.
      const views = [
        hunk.lines.map((_, i) => i),
        hunk.lines.flatMap((line, i) => (line.kind === "del" ? [] : [i])),
        hunk.lines.flatMap((line, i) => (line.kind === "add" ? [] : [i])),
      ];
      for (const view of views) {
        const viewLines = view.map((i) => texts[i]!);
        splitRangesByLine(viewLines, rangesIn(viewLines.join("\n"), path)).forEach((ranges, j) => perLine[view[j]!]!.push(...ranges));
      }
      return {
        ...hunk,
        header: redact(hunk.header, rangesIn(hunk.header, undefined)),
        lines: hunk.lines.map((line, i) => ({ ...line, text: redact(line.text, perLine[i]!) })),
      };
    },
    get knownSecrets() {
      return known.size;
    },
  };
}

/** Ranges over `lines.join("\n")` clipped to each line, in each line's own offsets. */
function splitRangesByLine(lines: readonly string[], ranges: readonly SecretRange[]): SecretRange[][] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const perLine = lines.map(() => [] as SecretRange[]);
  for (const range of ranges) {
    for (let i = 0; i < lines.length; i++) {
      const lineStart = starts[i]!;
      const lineEnd = lineStart + lines[i]!.length;
      const start = Math.max(range.start, lineStart);
      const end = Math.min(range.end, lineEnd);
      if (start < end) perLine[i]!.push({ start: start - lineStart, end: end - lineStart, kind: range.kind });
    }
  }
  return perLine;
}

/** Mixed character classes and no spaces: a credential, a URL with a password, a connection string. */
function looksLikeSecret(value: string): boolean {
  if (/\s/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  return classes >= 2;
}

import type { Hunk } from "../domain/change-set.js";
import { envValueRanges, isEnvFile } from "./env-file.js";
import { findSecretRanges } from "./find-secret-ranges.js";
import { redact } from "./redact.js";
import { mergeRanges, type SecretRange } from "./secret-range.js";
import { tokenPatternRanges } from "./token-patterns.js";

/**
 * Redacts everything that goes to the model. It remembers every secret value
 * found in the files it redacted and replaces that value wherever it shows up
 * later (hunk lines, surrounding code, descriptions), on top of stateless
 * detection of well-known token shapes. Redact every file's content first,
 * then the hunks and any other text.
 */
export interface Redactor {
  /**
   * The content with its secrets replaced by `[REDACTED:kind]`, keeping its
   * line count; the values are remembered. `flagged`: ranges of `content`
   * known to hold credentials (what the analyzers flagged), redacted too.
   */
  redactFile(path: string, content: string, flagged?: readonly SecretRange[]): Promise<string>;
  /** Any text: remembered values and token shapes; for a `.env`-style `path`, also `KEY=value` values. */
  redactLine(text: string, path?: string): string;
  /** Consecutive lines of one file, redacted line by line so the count stays the same; secrets spanning lines (key blocks) are found across them. */
  redactLines(lines: readonly string[], path?: string): string[];
  /**
   * A hunk with its header and line texts redacted (each side is scanned as
   * consecutive text). Lines of the new side of a file redacted with
   * `redactFile` also get that file's ranges, so a secret found with the
   * whole file's context (or flagged by an analyzer) is hidden in the diff too.
   */
  redactHunk(path: string, hunk: Hunk): Hunk;
  /** Distinct secret values remembered so far. */
  readonly knownSecrets: number;
}

/** Remembered values shorter than this would replace ordinary words and numbers everywhere. */
const MIN_REMEMBERED_LENGTH = 8;
/** Flagged credentials are deliberate values, remembered down to the analyzers' own minimum length. */
const MIN_FLAGGED_LENGTH = 6;

/** A redacted file's secret ranges by line, to apply to the same lines in hunks. */
interface FileRanges {
  readonly content: string;
  readonly lineStarts: readonly number[];
  readonly byLine: ReadonlyMap<number, readonly SecretRange[]>;
}

export function createRedactor(): Redactor {
  /** value → kind, longest values first when applied. */
  const known = new Map<string, string>();
  let ordered: [string, string][] | null = null;
  const files = new Map<string, FileRanges>();

  const remember = (value: string, kind: string, generic: boolean, minLength = MIN_REMEMBERED_LENGTH): void => {
    const candidates = value.includes("\n") ? [value, ...value.split("\n").map((line) => line.trim())] : [value];
    for (const candidate of candidates) {
      if (candidate.length < minLength || known.has(candidate)) continue;
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
    async redactFile(path, content, flagged = []) {
      for (const range of flagged) remember(content.slice(range.start, range.end), range.kind, false, MIN_FLAGGED_LENGTH);
      const found = await findSecretRanges(path, content, flagged);
      for (const range of found) remember(content.slice(range.start, range.end), range.kind, range.kind === "env-value");
      const ranges = [...found, ...knownRanges(content)];
      files.set(path, fileRanges(content, ranges));
      return redact(content, ranges);
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
      const file = files.get(path);
      if (file) hunk.lines.forEach((line, i) => perLine[i]!.push(...headLineRanges(file, line.newLine, line.text)));
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

/** Ranges over `lines.join("\n")` clipped to each line, in each line's own offsets; a continuation line's indentation is kept. */
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
      const indent = range.start < lineStart ? /^[ \t]*/.exec(lines[i]!)![0].length : 0;
      const start = Math.max(range.start, lineStart + indent);
      const end = Math.min(range.end, lineEnd);
      if (start < end) perLine[i]!.push({ start: start - lineStart, end: end - lineStart, kind: range.kind });
    }
  }
  return perLine;
}

function fileRanges(content: string, ranges: readonly SecretRange[]): FileRanges {
  const lines = content.split("\n");
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStarts.push(offset);
    offset += line.length + 1;
  }
  const byLine = new Map<number, SecretRange[]>();
  splitRangesByLine(lines, mergeRanges(ranges)).forEach((lineRanges, i) => {
    if (lineRanges.length > 0) byLine.set(i + 1, lineRanges);
  });
  return { content, lineStarts, byLine };
}

/** The file's ranges for 1-based head line `newLine`, when the hunk line is that line's text (a stale diff gets none). */
function headLineRanges(file: FileRanges, newLine: number | null, text: string): readonly SecretRange[] {
  if (newLine === null) return [];
  const ranges = file.byLine.get(newLine);
  const start = file.lineStarts[newLine - 1];
  if (ranges === undefined || start === undefined || !file.content.startsWith(text, start)) return [];
  return ranges.filter((range) => range.end <= text.length);
}

/** Mixed character classes and no spaces: a credential, a URL with a password, a connection string. */
function looksLikeSecret(value: string): boolean {
  if (/\s/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(value)).length;
  return classes >= 2;
}

import type { ChangedFile, DiffLine, FileStatus, Hunk } from "../domain/change-set.js";
import { withLineCounts } from "./line-counts.js";

/**
 * Unified diff text → ChangedFile[]. Reads git's extended headers (renames,
 * copies, binary markers, mode changes) and plain `diff -u` output. Diffs come
 * from pull requests and local files, so nothing here trusts its input: every
 * step is linear in the input's size, and a diff whose structure cannot be
 * trusted (hunks that overlap, counts that hide changes) is rejected with a
 * `DiffParseError` that says why, never half-read.
 */

/** The diff cannot be read as a faithful description of a change; the message says where and why. */
export class DiffParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiffParseError";
  }
}

export function parseUnifiedDiff(text: string): ChangedFile[] {
  const lines = splitLines(text);
  const files = lines.some((l) => l.startsWith("diff --git ")) ? gitSections(lines) : plainSections(lines);
  return files.map(toChangedFile);
}

/**
 * One file's hunks as GitHub's `pulls.listFiles` returns them: `patch` holds
 * only hunks, without the `diff --git` / `---` / `+++` headers.
 */
export function parseFilePatch(input: { path: string; previousPath: string | null; status: FileStatus; patch: string }): ChangedFile {
  const hunks = readHunks(splitLines(input.patch), 0, input.path, "git").hunks;
  return withLineCounts({ path: input.path, previousPath: input.previousPath, status: input.status, hunks });
}

/** Lines without their terminators; a final newline does not make an extra empty line. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
}

interface Section {
  readonly header: readonly string[];
  readonly hunks: readonly Hunk[];
  /** Whether the section had a `GIT binary patch` body. */
  readonly binaryPatch: boolean;
}

/** `diff --git` output: each file starts at its `diff --git` line. */
function gitSections(lines: readonly string[]): Section[] {
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (l.startsWith("diff --git ")) starts.push(i);
  });
  return starts.map((start, k) => {
    const end = starts[k + 1] ?? lines.length;
    const firstHunk = indexOfHunk(lines, start, end);
    const header = lines.slice(start, firstHunk);
    const label = pathFromHeader(header) ?? "(unknown)";
    const binaryPatch = header.includes("GIT binary patch");
    const hunks = firstHunk < end ? readHunks(lines.slice(firstHunk, end), 0, label, "git").hunks : [];
    return { header, hunks, binaryPatch };
  });
}

/** Plain `diff -u` output: a file starts at a `---` line followed by a `+++` line. */
function plainSections(lines: readonly string[]): Section[] {
  const sections: Section[] = [];
  let i = 0;
  while (i < lines.length) {
    const start = findPlainFileStart(lines, i);
    if (start === -1) break;
    const label = plainPath(lines[start + 1]!.slice(4)) ?? "(unknown)";
    const read = readHunks(lines, start + 2, label, "plain");
    sections.push({ header: lines.slice(start, start + 2), hunks: read.hunks, binaryPatch: false });
    i = read.next;
  }
  return sections;
}

function findPlainFileStart(lines: readonly string[], from: number): number {
  for (let i = from; i + 1 < lines.length; i++) {
    if (lines[i]!.startsWith("--- ") && lines[i + 1]!.startsWith("+++ ")) return i;
  }
  return -1;
}

function indexOfHunk(lines: readonly string[], from: number, to: number): number {
  for (let i = from; i < to; i++) if (lines[i]!.startsWith("@@ ")) return i;
  return to;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

interface OpenHunk {
  readonly header: string;
  readonly oldStart: number;
  readonly newStart: number;
  remainingOld: number;
  remainingNew: number;
  nextOld: number;
  nextNew: number;
  readonly lines: DiffLine[];
}

/**
 * Reads hunks from `from` on. A hunk holds as many lines as its header's
 * counts say, as git reads it. Counts that are too large end at the next hunk
 * header (a line starting with `@@ ` is never a line of content); counts too
 * small would leave changes outside every hunk, so that is an error. In plain
 * mode reading stops at the next file's `---`/`+++` pair.
 */
function readHunks(lines: readonly string[], from: number, path: string, mode: "git" | "plain"): { hunks: Hunk[]; next: number } {
  const hunks: Hunk[] = [];
  let open: OpenHunk | null = null;
  const close = () => {
    // A hunk without lines (`@@ -0,0 +0,0 @@`, or one cut short) changes nothing and offers no line to comment on.
    if (open && open.lines.length > 0) hunks.push(finish(open, hunks.length));
    open = null;
  };
  let i = from;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("@@")) {
      close();
      open = openHunk(line, path, hunks.length);
      continue;
    }
    // "\ No newline at end of file" qualifies the line before it; it is not a line of the file.
    if (line.startsWith("\\")) continue;
    if (open !== null && (open.remainingOld > 0 || open.remainingNew > 0)) {
      takeLine(open, line, path, hunks.length);
      continue;
    }
    if (mode === "plain" && line.startsWith("--- ") && lines[i + 1]?.startsWith("+++ ")) break;
    close();
    if (hunks.length > 0 && looksLikeChange(line)) {
      const last = hunks.at(-1)!;
      throw new DiffParseError(
        `${path}: a change follows hunk ${last.index + 1} (${last.header.slice(0, 80)}) outside every hunk (the header's counts are wrong); it would not be reviewed`,
      );
    }
    // Anything else after a hunk (a mail signature, trailing text) is not part of the diff.
  }
  close();
  checkOrder(hunks, path);
  return { hunks, next: i };
}

function openHunk(line: string, path: string, index: number): OpenHunk {
  const m = HUNK_HEADER.exec(line);
  if (!m) {
    const what = line.startsWith("@@@") ? "a combined (merge) diff hunk, which cannot be reviewed" : "not a valid hunk header";
    throw new DiffParseError(`${path}: hunk ${index + 1}: \`${line.slice(0, 80)}\` is ${what}`);
  }
  const oldStart = lineNumber(m[1], path, index);
  const oldCount = m[2] === undefined ? 1 : lineNumber(m[2], path, index);
  const newStart = lineNumber(m[3], path, index);
  const newCount = m[4] === undefined ? 1 : lineNumber(m[4], path, index);
  // An empty side starts at the line before the hunk (0 at the top of a file); otherwise at a real line.
  if ((oldCount > 0 && oldStart < 1) || (newCount > 0 && newStart < 1)) {
    throw new DiffParseError(`${path}: hunk ${index + 1}: \`${line.slice(0, 80)}\` starts at line 0 but has lines`);
  }
  return { header: line, oldStart, newStart, remainingOld: oldCount, remainingNew: newCount, nextOld: oldStart, nextNew: newStart, lines: [] };
}

/** Line numbers far beyond any real file would overflow the arithmetic downstream. */
const MAX_LINE_NUMBER = 1e9;

function lineNumber(digits: string | undefined, path: string, index: number): number {
  const n = Number(digits);
  if (!Number.isSafeInteger(n) || n > MAX_LINE_NUMBER) {
    throw new DiffParseError(`${path}: hunk ${index + 1}: line number ${String(digits).slice(0, 20)} is out of range`);
  }
  return n;
}

function takeLine(open: OpenHunk, line: string, path: string, index: number): void {
  const marker = line[0];
  if (marker === "+") {
    open.lines.push({ kind: "add", oldLine: null, newLine: open.nextNew++, text: line.slice(1) });
    open.remainingNew--;
  } else if (marker === "-") {
    open.lines.push({ kind: "del", oldLine: open.nextOld++, newLine: null, text: line.slice(1) });
    open.remainingOld--;
  } else {
    // A context line; tools that strip trailing whitespace turn " " into "" (and other text keeps its first character).
    if (open.remainingOld === 0 || open.remainingNew === 0) {
      throw new DiffParseError(`${path}: hunk ${index + 1} (${open.header.slice(0, 80)}) has more context lines than its header counts`);
    }
    open.lines.push({ kind: "context", oldLine: open.nextOld++, newLine: open.nextNew++, text: marker === " " ? line.slice(1) : line });
    open.remainingOld--;
    open.remainingNew--;
  }
}

function looksLikeChange(line: string): boolean {
  // "-- " opens a mail signature under `git format-patch` output.
  return (line.startsWith("+") || line.startsWith("-")) && line !== "-- ";
}

function finish(open: OpenHunk, index: number): Hunk {
  let oldLines = 0;
  let newLines = 0;
  for (const l of open.lines) {
    if (l.oldLine !== null) oldLines++;
    if (l.newLine !== null) newLines++;
  }
  // Counts are what the hunk holds, so `start + lines` is always where it ends, whatever the header claimed.
  return { index, header: open.header, oldStart: open.oldStart, oldLines, newStart: open.newStart, newLines, lines: open.lines };
}

/** Hunks of one file must follow each other without overlapping, or one line would have two meanings. */
function checkOrder(hunks: readonly Hunk[], path: string): void {
  let lastOld = 0;
  let lastNew = 0;
  for (const hunk of hunks) {
    const firstOld = hunk.lines.find((l) => l.oldLine !== null)?.oldLine ?? null;
    const firstNew = hunk.lines.find((l) => l.newLine !== null)?.newLine ?? null;
    if ((firstOld !== null && firstOld <= lastOld) || (firstNew !== null && firstNew <= lastNew)) {
      throw new DiffParseError(`${path}: hunk ${hunk.index + 1} (${hunk.header.slice(0, 80)}) overlaps or precedes the hunk before it`);
    }
    lastOld = hunk.oldLines > 0 ? hunk.oldStart + hunk.oldLines - 1 : Math.max(lastOld, hunk.oldStart);
    lastNew = hunk.newLines > 0 ? hunk.newStart + hunk.newLines - 1 : Math.max(lastNew, hunk.newStart);
  }
}

function toChangedFile(section: Section): ChangedFile {
  const { header, hunks } = section;
  const find = (prefix: string) => header.find((l) => l.startsWith(prefix))?.slice(prefix.length);
  const renameFrom = find("rename from ") ?? find("copy from ");
  const renameTo = find("rename to ") ?? find("copy to ");
  const minus = find("--- ");
  const plus = find("+++ ");
  const gitPaths = header[0]?.startsWith("diff --git ") ? splitGitPaths(header[0].slice("diff --git ".length)) : null;

  const from = nonEmpty(renameFrom !== undefined ? unquote(renameFrom) : null) ?? plainPath(minus) ?? nonEmpty(gitPaths?.[0]) ?? null;
  const to = nonEmpty(renameTo !== undefined ? unquote(renameTo) : null) ?? plainPath(plus) ?? nonEmpty(gitPaths?.[1]) ?? null;
  const deleted = header.some((l) => l.startsWith("deleted file mode ")) || to === DEV_NULL;
  const added = header.some((l) => l.startsWith("new file mode ")) || from === DEV_NULL;
  const path = (deleted ? from : to) ?? from ?? "(unknown)";

  let status: FileStatus;
  if (section.binaryPatch || header.some((l) => /^Binary files .* differ$/.test(l))) status = "binary";
  else if (deleted) status = "removed";
  else if (added) status = "added";
  else if (renameFrom !== undefined && find("copy from ") !== undefined) status = "copied";
  else if (renameFrom !== undefined || (from !== null && to !== null && from !== to)) status = "renamed";
  else if (hunks.length === 0 && header.some((l) => l.startsWith("old mode ") || l.startsWith("new mode "))) status = "mode-only";
  else status = "modified";

  const previousPath = status === "renamed" || status === "copied" ? from : null;
  return withLineCounts({ path: path === DEV_NULL ? "(unknown)" : path, previousPath, status, hunks });
}

const DEV_NULL = "/dev/null";

function nonEmpty(path: string | null | undefined): string | null {
  return path === undefined || path === null || path === "" ? null : path;
}

function pathFromHeader(header: readonly string[]): string | null {
  const first = header[0];
  return first?.startsWith("diff --git ") ? (splitGitPaths(first.slice("diff --git ".length))?.[1] ?? null) : null;
}

/**
 * The two paths of a `diff --git` line. Unquoted paths may contain spaces, so
 * the line is ambiguous; like git, prefer the split where both names are equal
 * (the common case), else the first ` b/`. Renames name their paths in
 * `rename from/to` lines anyway.
 */
function splitGitPaths(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const first = readQuoted(rest, 0);
    if (!first || rest[first.end] !== " ") return null;
    const second = rest[first.end + 1] === '"' ? readQuoted(rest, first.end + 1)?.value : rest.slice(first.end + 1);
    return second === undefined ? null : [stripPrefix(first.value), stripPrefix(second)];
  }
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === " " && stripPrefix(rest.slice(0, half)) === stripPrefix(rest.slice(half + 1))) {
    return [stripPrefix(rest.slice(0, half)), stripPrefix(rest.slice(half + 1))];
  }
  const quotedSecond = rest.indexOf(' "');
  if (quotedSecond !== -1) {
    const second = readQuoted(rest, quotedSecond + 1);
    if (second) return [stripPrefix(rest.slice(0, quotedSecond)), stripPrefix(second.value)];
  }
  const split = rest.indexOf(" b/");
  return split === -1 ? null : [stripPrefix(rest.slice(0, split)), stripPrefix(rest.slice(split + 1))];
}

/** The path of a `---` / `+++` line: unquoted, without git's `a/` / `b/` prefix or a `diff -u` timestamp. */
function plainPath(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let name = raw;
  const tab = name.indexOf("\t");
  // git ends a name that has a space with a tab: up to the tab, trailing blanks are part of the name ("x ").
  if (tab !== -1) name = name.slice(0, tab);
  else name = name.replace(/ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4}$/, "").trimEnd();
  name = unquote(name);
  if (name === DEV_NULL) return DEV_NULL;
  const path = stripPrefix(name);
  return path === "" ? null : path;
}

/** git's mnemonic prefixes: a/ b/ (default), i/ w/ c/ o/ 1/ 2/ (`diff.mnemonicPrefix`). */
function stripPrefix(path: string): string {
  return /^[abiwco12]\//.test(path) ? path.slice(2) : path;
}

function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  const quoted = readQuoted(path, 0);
  return quoted && quoted.end === path.length ? quoted.value : path;
}

const ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

/** A C-style quoted name as git writes it (`"caf\303\251.txt"`): escapes and octal UTF-8 bytes. */
function readQuoted(text: string, start: number): { value: string; end: number } | null {
  const bytes: number[] = [];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value: Buffer.from(bytes).toString("utf8"), end: i + 1 };
    if (c !== "\\") {
      const code = text.codePointAt(i)!;
      if (code < 0x80) bytes.push(code);
      else {
        const char = String.fromCodePoint(code);
        bytes.push(...Buffer.from(char, "utf8"));
        i += char.length - 1;
      }
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return null;
    const octal = /^[0-3][0-7]{2}/.exec(text.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(parseInt(octal[0], 8));
      i += 3;
    } else if (ESCAPES[next] !== undefined) {
      bytes.push(ESCAPES[next]);
      i += 1;
    } else {
      bytes.push(...Buffer.from(next, "utf8"));
      i += 1;
    }
  }
  return null;
}

/**
 * A unified diff read piece by piece and cut into its files (`diff --git`
 * sections) as it arrives, so a diff of any size is split without being held
 * whole: a section up to `maxSectionBytes` is handed over with its text, a
 * larger one only with its header and counts. The cut is the parser's own
 * (`parseUnifiedDiff` splits git output at the same lines), so parsing each
 * section alone gives what parsing the whole diff would. Output without any
 * `diff --git` line (plain `diff -u`) cannot be cut that way; it is kept, up
 * to `maxPlainBytes`, for the parser to read whole. Pure: the caller feeds text.
 */

export interface DiffSection {
  /** The section's first lines, up to its first hunk: enough to know its paths and status. */
  readonly header: string;
  /** The whole section (joined when asked: most sections of a huge diff are only counted), or null when it is over `maxSectionBytes`. */
  text(): string | null;
  /** UTF-8 bytes of the section. */
  readonly bytes: number;
  /** Added and deleted lines in its hunks. */
  readonly changedLines: number;
  /** Whether it has hunks at all (a header alone cannot tell a mode change from a changed file). */
  readonly hasHunks: boolean;
}

export interface DiffSectionEnd {
  /** A diff without `diff --git` sections, to parse whole; null when the input had such sections. */
  readonly plain: string | null;
  /** The plain diff was over `maxPlainBytes` and was not kept. */
  readonly plainTooLarge: boolean;
  /** UTF-8 bytes read in all. */
  readonly bytes: number;
}

/** Header lines kept of a section that is only counted (a `GIT binary patch` body never belongs to them). */
const MAX_HEADER_LINES = 64;

export class DiffSectionReader {
  /** The line being read, in pieces (joined once, when it ends: long lines cost linear time). */
  private carry: string[] = [];
  private carryLength = 0;
  /** A line longer than anything that could be held: only its start and size are kept. */
  private longLine: { prefix: string; bytes: number } | null = null;
  private totalBytes = 0;
  private sawSection = false;
  private preamble: string[] | null = [];
  private preambleBytes = 0;
  private current: OpenSection | null = null;

  constructor(
    private readonly options: {
      readonly maxSectionBytes: number;
      readonly maxPlainBytes: number;
      readonly onSection: (section: DiffSection) => void;
    },
  ) {}

  push(text: string): void {
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      this.endLine(text.slice(start, nl));
      start = nl + 1;
    }
    this.extendLine(text.slice(start));
  }

  end(): DiffSectionEnd {
    if (this.carryLength > 0 || this.longLine) this.endLine("");
    this.close();
    const plain = this.sawSection || this.preamble === null ? null : joinLines(this.preamble);
    return { plain, plainTooLarge: !this.sawSection && this.preamble === null, bytes: this.totalBytes };
  }

  private extendLine(piece: string): void {
    if (piece === "") return;
    if (this.longLine) {
      this.longLine.bytes += Buffer.byteLength(piece);
      return;
    }
    this.carry.push(piece);
    this.carryLength += piece.length;
    // Past what could be held where it is, a line is only measured.
    const limit = this.current ? this.options.maxSectionBytes : this.options.maxPlainBytes;
    if (this.carryLength > limit) {
      const joined = this.carry.join("");
      this.longLine = { prefix: joined.slice(0, PREFIX_CHARS), bytes: Buffer.byteLength(joined) };
      this.carry = [];
      this.carryLength = 0;
    }
  }

  private endLine(piece: string): void {
    const long = this.longLine;
    if (long) {
      this.longLine = null;
      this.line(long.prefix, long.bytes + Buffer.byteLength(piece) + 1, false);
      return;
    }
    const whole = this.carry.length === 0 ? piece : this.carry.join("") + piece;
    this.carry = [];
    this.carryLength = 0;
    this.line(whole, Buffer.byteLength(whole) + 1, true);
  }

  /** `complete` is false for a line only measured: whatever held it can no longer be held whole. */
  private line(line: string, bytes: number, complete: boolean): void {
    this.totalBytes += bytes;
    if (line.startsWith("diff --git ")) {
      this.close();
      this.sawSection = true;
      this.preamble = null;
      this.current = { header: [], headerDone: false, lines: [], bytes: 0, changedLines: 0, inHunks: false };
    }
    const section = this.current;
    if (section === null) {
      this.keepPreamble(line, bytes, complete);
      return;
    }
    section.bytes += bytes;
    if (line.startsWith("@@")) {
      section.inHunks = true;
      section.headerDone = true;
    } else if (section.inHunks && (line.startsWith("+") || line.startsWith("-"))) {
      section.changedLines++;
    }
    if (!section.headerDone) {
      section.header.push(line);
      if (line === "GIT binary patch" || section.header.length >= MAX_HEADER_LINES) section.headerDone = true;
    }
    if (section.lines !== null) {
      if (complete && section.bytes <= this.options.maxSectionBytes) section.lines.push(line);
      else section.lines = null;
    }
  }

  private keepPreamble(line: string, bytes: number, complete: boolean): void {
    // Text before the first section: a commit message, or a plain diff that never has one.
    if (this.preamble === null) return;
    this.preambleBytes += bytes;
    if (!complete || this.preambleBytes > this.options.maxPlainBytes) this.preamble = null;
    else this.preamble.push(line);
  }

  private close(): void {
    const section = this.current;
    if (section === null) return;
    this.current = null;
    const lines = section.lines;
    this.options.onSection({
      header: joinLines(section.header),
      text: () => (lines === null ? null : joinLines(lines)),
      bytes: section.bytes,
      changedLines: section.changedLines,
      hasHunks: section.inHunks,
    });
  }
}

/** Characters kept of a line too long to hold: enough to tell what kind of line it is. */
const PREFIX_CHARS = 256;

interface OpenSection {
  readonly header: string[];
  headerDone: boolean;
  /** Null once the section is over the size it may be held at. */
  lines: string[] | null;
  bytes: number;
  changedLines: number;
  inHunks: boolean;
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/**
 * Markdown helpers for text Longview posts. Model output, pull-request text
 * and file names are untrusted: whatever they contain, what Longview posts
 * must not
 *  - carry a hidden marker (`<!-- longview:… -->`) that Longview would later
 *    read back as its own state;
 *  - render HTML (hidden text, forms, images that load from other hosts);
 *  - hide where a link goes, or load an image (a request to a host the text
 *    names, with whatever the text put in the URL);
 *  - notify people (`@someone`) on the model's say-so.
 *
 * Untrusted text is read leniently (prose, code spans, fenced and indented
 * code blocks) and written back strictly: Longview writes every code
 * delimiter itself — a fence or a span the content cannot close — and
 * escapes in the prose everything that could open a code span, a fence, HTML,
 * an entity, a link or an image. Whether or not this reading of the text
 * matches GitHub's, what Longview wrote as code is code and everything else
 * is plain prose. Flattening to one line and cutting to a length happen on
 * the pieces, before anything is written, so neither can break a delimiter,
 * an escape or an entity.
 */

/**
 * Untrusted Markdown as Markdown (paragraphs, lists, emphasis, code blocks
 * and spans stay) made safe to post. A code block always sits on lines of
 * its own, whatever the caller puts around the result. `max` keeps that many
 * characters of the text and marks the cut with "…".
 */
export function neutralizeUntrusted(text: string, max = Infinity): string {
  const blocks = cutBlocks(readBlocks(trimBlankLines(text)), max);
  const out = blocks.map((b) => (b.kind === "code" ? fence(safeInfo(b.info), defuseMarkers(b.text)) : writeInlines(b.inlines))).join("\n");
  // A fence must start and end its own line, whatever text the caller writes before and after.
  const lead = blocks[0]?.kind === "code" ? "\n" : "";
  const trail = blocks.at(-1)?.kind === "code" ? "\n" : "";
  return defuseMarkers(`${lead}${out}${trail}`);
}

/**
 * Untrusted text on one line, for titles, notes, list items, quotes and table
 * cells: the same rules, code blocks become code spans, every kind of line
 * break becomes a space, and nothing at its start can make the line a
 * heading, list item or quote. `max` as for {@link neutralizeUntrusted}.
 */
export function neutralizeLine(text: string, max = Infinity): string {
  const pieces: Inline[] = [];
  // Text that is one line already has no blocks: a fence-like run at its start is shown, as GitHub would show it mid-line.
  const blocks: readonly Block[] = /[\r\n]/.test(text) ? readBlocks(text) : [{ kind: "prose", inlines: readSpans(text) }];
  for (const block of blocks) {
    if (pieces.length > 0) pieces.push({ kind: "prose", text: " " });
    if (block.kind === "code") pieces.push({ kind: "code", text: block.text });
    else pieces.push(...block.inlines);
  }
  const flat = mergeProse(pieces.map((p) => ({ kind: p.kind, text: p.kind === "prose" ? p.text.replace(LINE_SPACE, " ") : p.text })));
  trimEnds(flat);
  return defuseMarkers(protectLineStart(writeInlines(cutInlines(flat, max))));
}

/** Untrusted text for places that show plain text but still notify (commit messages): one line, no mention, no marker. */
export function plainUntrusted(text: string): string {
  return defuseMarkers(defuseMentions(text.replace(LINE_SPACE, " ").trim()));
}

/** Breaks anything that reads like one of Longview's hidden markers, with a zero-width space that changes nothing visible. */
export function defuseMarkers(text: string): string {
  return text.replace(/<!--(\s*longview)/gi, "<!--\u200B$1");
}

/** `@name` notifies nobody once a zero-width space follows the `@`; an e-mail address (a letter or digit before the `@`) stays as it is. */
function defuseMentions(text: string): string {
  return text.replace(/(^|[^A-Za-z0-9])@(?=[A-Za-z0-9])/g, "$1@\u200B");
}

/** A fenced block that the content cannot close: the fence is longer than any backtick run inside. */
export function fence(info: string, content: string): string {
  const ticks = "`".repeat(Math.max(3, longestBacktickRun(content) + 1));
  return `${ticks}${info}\n${content.replace(/\n$/, "")}\n${ticks}`;
}

/** A code span the text cannot close early (its delimiters are longer than any backtick run inside), on one line, markers defused. */
export function inlineCode(text: string): string {
  const clean = defuseMarkers(text.replace(/[\r\n]+/g, " "));
  // An empty span would be a bare backtick run, which another run later in the paragraph could close.
  if (clean === "") return "` `";
  const longestRun = longestBacktickRun(clean);
  if (longestRun === 0) return `\`${clean}\``;
  const ticks = "`".repeat(longestRun + 1);
  return `${ticks} ${clean} ${ticks}`;
}

/** Plain text cut to `max` characters (for text that is never rendered as Markdown). */
export function truncate(text: string, max: number, marker = "…"): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - marker.length)) + marker;
}

/**
 * Markdown that Longview assembled, cut to `max` characters between two
 * lines (untrusted parts are single-line or fenced, so a line boundary never
 * falls inside a code span), closing a fence the cut left open, then `note`.
 */
export function truncateMarkdown(text: string, max: number, note: string): string {
  if (text.length <= max) return text;
  let budget = max - note.length;
  for (let tries = 0; tries < 2; tries++) {
    const cut = text.lastIndexOf("\n", budget);
    const kept = cut > 0 ? text.slice(0, cut) : "";
    const open = openFence(kept);
    const closed = open === null ? kept : `${kept}\n${open}`;
    if (closed.length + note.length <= max) return closed + note;
    budget -= (open?.length ?? 0) + 1;
  }
  return note.trimStart();
}

/** The closing line for a fence left open at the end of `text`, or null. */
function openFence(text: string): string | null {
  let open: string | null = null;
  for (const line of text.split("\n")) {
    if (open === null) {
      const m = FENCE_OPEN.exec(line);
      if (m && !(m[2]![0] === "`" && m[3]!.includes("`"))) open = m[2]!;
    } else {
      const m = FENCE_CLOSE.exec(line);
      if (m && m[1]![0] === open[0] && m[1]!.length >= open.length) open = null;
    }
  }
  return open;
}

// ——— reading untrusted text ———

interface Inline {
  readonly kind: "prose" | "code";
  readonly text: string;
}

type Block = { readonly kind: "prose"; readonly inlines: readonly Inline[] } | { readonly kind: "code"; readonly info: string; readonly text: string };

const FENCE_OPEN = /^( {0,3})(`{3,}|~{3,})([^\n]*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
const LIST_ITEM = /^([ \t]*)([-+*]|\d{1,9}[.)])([ \t]+|$)/;
/** Lines that start a block of their own: a code span cannot continue across them. */
const BLOCK_START = /^ {0,3}(?:[-+*][ \t]|\d{1,9}[.)][ \t]|>|#{1,6}(?:[ \t]|$)|(?:[-*_][ \t]*){3,}$)/;
/** Line breaks of every kind, and the white space around them, for one-line text. */
const LINE_SPACE = /[\s\u0085]+/g;

/**
 * Fenced code (3+ backticks or tildes, closed by a run as long or the end of
 * the text), indented code (4 columns more than the list item it is in,
 * after a blank line), and prose with its code spans (CommonMark's rules,
 * simplified: a span is closed by the next backtick run of the same length
 * in the same paragraph).
 */
function readBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const blocks: Block[] = [];
  let prose: string[] = [];
  const flush = (): void => {
    if (prose.length > 0) blocks.push({ kind: "prose", inlines: readInlines(prose) });
    prose = [];
  };
  // An indented code block cannot interrupt a paragraph, and inside a list item it is indented past the item's content.
  let afterBlank = true;
  let listIndent = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const open = FENCE_OPEN.exec(line);
    if (open && !(open[2]![0] === "`" && open[3]!.includes("`"))) {
      flush();
      const run = open[2]!;
      const body: string[] = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const close = FENCE_CLOSE.exec(lines[j]!);
        if (close && close[1]![0] === run[0] && close[1]!.length >= run.length) break;
        body.push(dropColumns(lines[j]!, open[1]!.length));
      }
      blocks.push({ kind: "code", info: open[3]!.trim(), text: body.join("\n") });
      i = j;
      afterBlank = true;
      continue;
    }
    if (line.trim() === "") {
      prose.push(line);
      afterBlank = true;
      continue;
    }
    const indent = columns(line);
    if (afterBlank && indent >= listIndent + 4) {
      flush();
      let last = i;
      for (let j = i + 1; j < lines.length; j++) {
        if (lines[j]!.trim() === "") continue;
        if (columns(lines[j]!) < listIndent + 4) break;
        last = j;
      }
      const body = lines.slice(i, last + 1).map((l) => dropColumns(l, listIndent + 4));
      blocks.push({ kind: "code", info: "", text: body.join("\n") });
      i = last;
      afterBlank = false;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item && indent < listIndent + 4) listIndent = columns(item[0]) + (item[3] === "" ? 1 : 0);
    else if (afterBlank && indent < listIndent) listIndent = 0;
    prose.push(line);
    afterBlank = false;
  }
  flush();
  return blocks;
}

/** Prose lines → prose and code spans; a span never crosses a blank line or the start of another block. */
function readInlines(lines: readonly string[]): Inline[] {
  const inlines: Inline[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) inlines.push(...readSpans(paragraph.join("\n")));
    paragraph = [];
  };
  lines.forEach((line, i) => {
    if (i > 0) {
      if (line.trim() === "" || BLOCK_START.test(line) || lines[i - 1]!.trim() === "") flush();
      if (paragraph.length === 0) inlines.push({ kind: "prose", text: "\n" });
    }
    paragraph.push(line);
  });
  flush();
  return mergeProse(inlines);
}

function readSpans(text: string): Inline[] {
  const inlines: Inline[] = [];
  const runs = [...text.matchAll(/`+/g)].flatMap((m) => {
    // A backslash escapes the first backtick of a run; the rest is still a run.
    const escaped = precedingBackslashes(text, m.index) % 2 === 1;
    const at = m.index + (escaped ? 1 : 0);
    const length = m[0].length - (escaped ? 1 : 0);
    return length > 0 ? [{ at, length }] : [];
  });
  // For each run, the next run of the same length (a span's only possible closer), found in one pass from the end.
  const nextSame = new Array<number>(runs.length).fill(-1);
  const lastByLength = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    nextSame[k] = lastByLength.get(runs[k]!.length) ?? -1;
    lastByLength.set(runs[k]!.length, k);
  }
  let proseStart = 0;
  for (let k = 0; k < runs.length; k++) {
    const close = nextSame[k]!;
    if (close === -1) continue;
    const start = runs[k]!.at;
    if (start > proseStart) inlines.push({ kind: "prose", text: text.slice(proseStart, start) });
    inlines.push({ kind: "code", text: spanContent(text.slice(start + runs[k]!.length, runs[close]!.at)) });
    proseStart = runs[close]!.at + runs[close]!.length;
    k = close;
  }
  if (proseStart < text.length) inlines.push({ kind: "prose", text: text.slice(proseStart) });
  return inlines;
}

/** A span's content as CommonMark shows it: line breaks are spaces, one space each side stripped when both are there. */
function spanContent(raw: string): string {
  const text = raw.replace(/\n/g, " ");
  return text.length > 2 && text.startsWith(" ") && text.endsWith(" ") && text.trim() !== "" ? text.slice(1, -1) : text;
}

function precedingBackslashes(text: string, at: number): number {
  let n = 0;
  while (at - n - 1 >= 0 && text[at - n - 1] === "\\") n++;
  return n;
}

// ——— cutting to a length ———

function cutBlocks(blocks: readonly Block[], max: number): Block[] {
  let left = max;
  const kept: Block[] = [];
  const ellipsis: Block = { kind: "prose", inlines: [{ kind: "prose", text: "…" }] };
  for (const block of blocks) {
    const size = block.kind === "code" ? block.text.length : block.inlines.reduce((n, p) => n + p.text.length, 0);
    if (size <= left) {
      kept.push(block);
      left -= size + 1;
    } else if (left <= 0) {
      kept.push(ellipsis);
      break;
    } else {
      kept.push(
        ...(block.kind === "code"
          ? [{ ...block, text: cutText(block.text, left) }, ellipsis]
          : [{ kind: "prose" as const, inlines: cutInlines(block.inlines, left) }]),
      );
      break;
    }
  }
  return kept;
}

/** The pieces within `max` characters, the last one cut (a cut span stays a whole span) and followed by "…". */
function cutInlines(pieces: readonly Inline[], max: number): Inline[] {
  const total = pieces.reduce((n, p) => n + p.text.length, 0);
  if (total <= max) return [...pieces];
  let left = Math.max(0, max - 1);
  const kept: Inline[] = [];
  for (const piece of pieces) {
    if (left <= 0) break;
    const text = cutText(piece.text, left);
    if (text !== "") kept.push({ kind: piece.kind, text });
    left -= piece.text.length;
  }
  kept.push({ kind: "prose", text: "…" });
  return mergeProse(kept);
}

/** At most `max` characters, never half of a surrogate pair. */
function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = max > 0 && /[\uD800-\uDBFF]/.test(text[max - 1]!) ? max - 1 : max;
  return text.slice(0, Math.max(0, end));
}

// ——— writing ———

function writeInlines(pieces: readonly Inline[]): string {
  return pieces
    .map((piece, k) => {
      if (piece.kind === "prose") return escapeProse(piece.text);
      const before = pieces[k - 1];
      // A bare URL runs on to the next space or `<`: it would take the span's opening backticks and leave its content as prose.
      const gap = before?.kind === "prose" && /:|www\./i.test(lastWord(before.text)) ? " " : "";
      return gap + inlineCode(piece.text);
    })
    .join("");
}

/** The text after its last white space (found from the end: a regular expression anchored at the end would scan it again from every start). */
function lastWord(text: string): string {
  let start = text.length;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  return text.slice(start);
}

/** ASCII punctuation: what a backslash can escape in CommonMark. */
const PUNCTUATION = /[!-/:-@[-`{-~]/;
const ALNUM = /[A-Za-z0-9]/;
/** A character reference, as CommonMark reads one. */
const ENTITY = /^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;

/**
 * Prose with nothing left that could open code, HTML, a link, an image or a
 * fence, nor mention anyone. What the reader sees is what the text said.
 *  - `<` and `&` become entities, not backslash escapes: a bare URL
 *    (GitHub's autolink) runs on to the next space or `<`, taking a
 *    backslash with it and leaving the character after it unescaped.
 *  - Backticks, `[` and runs of three tildes get a backslash: if a URL takes
 *    the backslash it takes the character too.
 *  - Entities and backslash escapes already in the text are kept, so
 *    escaping twice changes nothing (Longview reads its own comments back
 *    and quotes them again) — but not an entity that reads as `@`.
 */
function escapeProse(text: string): string {
  return text
    .split("\n")
    .map((line) => breakTableDelimiter(escapeLine(line)))
    .join("\n");
}

function escapeLine(text: string): string {
  let out = "";
  // An `@` earlier in the word: a letter before this one may end an e-mail address, which GitHub links on its own.
  let atInWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) atInWord = false;
    if (c === "\\") {
      const next = text[i + 1];
      if (next === "<" || next === "&") {
        out += next === "<" ? "&lt;" : "&amp;";
        i++;
      } else if (next !== undefined && PUNCTUATION.test(next)) {
        out += `\\${next}`;
        i++;
        if (next === "@") {
          out += mentionGuard(text, i, atInWord);
          atInWord = true;
        }
      } else {
        out += "\\\\";
      }
    } else if (c === "<") {
      out += "&lt;";
    } else if (c === "&") {
      const entity = ENTITY.exec(text.slice(i, i + 40))?.[0];
      if (entity !== undefined && !readsAsAt(entity)) {
        out += entity;
        i += entity.length - 1;
      } else {
        out += "&amp;";
      }
    } else if (c === "`" || c === "[") {
      out += `\\${c}`;
    } else if (c === "~") {
      // Three tildes open a fence at a line's start (in a list item or a quote too); fewer are strikethrough at most.
      let end = i;
      while (text[end] === "~") end++;
      out += end - i >= 3 ? `\\${text.slice(i, end)}` : text.slice(i, end);
      i = end - 1;
    } else if (c === "@") {
      out += `@${mentionGuard(text, i, atInWord)}`;
      atInWord = true;
    } else {
      out += c;
    }
  }
  return out;
}

function readsAsAt(entity: string): boolean {
  const numeric = /^&#([xX])?([0-9a-fA-F]+);$/.exec(entity);
  return numeric ? parseInt(numeric[2]!, numeric[1] ? 16 : 10) === 0x40 : entity === "&commat;";
}

/**
 * A zero-width space after an `@` at `at` that GitHub would read as a
 * mention: a letter, digit or entity after it, and before it anything but
 * the letter or digit of an e-mail address's name (`a@b.example` stays).
 */
function mentionGuard(text: string, at: number, atInWord: boolean): string {
  const before = text[at - 1] === "\\" ? text[at - 2] : text[at - 1];
  const after = text[at + 1];
  const mentions = after !== undefined && (ALNUM.test(after) || after === "&");
  const emailName = before !== undefined && ALNUM.test(before) && !atInWord;
  return mentions && !emailName ? "\u200B" : "";
}

/** One-line text placed at a line's start must not turn it into a heading, quote, list item, table, thematic break or setext underline. */
function protectLineStart(line: string): string {
  if (/^(?:[#>]|[-+*=_](?=\s|$)|[-=*_ ]+$)/.test(line)) return `\\${line}`;
  const ordered = /^(\d{1,9})([.)])(?=\s|$)/.exec(line);
  return ordered ? `${ordered[1]}\\${line.slice(ordered[1]!.length)}` : breakTableDelimiter(line);
}

/** Block quote and list item markers at a line's start. */
const CONTAINER_MARKS = /^(?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*/;

/**
 * A line that could be a table's delimiter row (`--|--`, `:-`) gets a
 * backslash and cannot be. A table splits its rows at every pipe, inside code
 * spans too: a span's content would spill into the next cell as prose.
 */
function breakTableDelimiter(line: string): string {
  const content = line.slice(CONTAINER_MARKS.exec(line)![0].length);
  if (!/^[ \t|:-]+$/.test(content) || !content.includes("-") || !/[|:]/.test(content)) return line;
  const at = line.length - content.length + content.search(/[|:]/);
  return `${line.slice(0, at)}\\${line.slice(at)}`;
}

/** Info strings GitHub renders as something other than code (an applicable suggestion, a diagram, a map or a 3D model). */
const RENDERED_INFO = new Set(["suggestion", "mermaid", "geojson", "topojson", "stl", "math"]);

/** The language of a code block, when it is a plain language name: anything else is dropped (info strings are not shown). */
function safeInfo(info: string): string {
  const language = info.split(/\s/, 1)[0] ?? "";
  return /^[A-Za-z0-9_+#.-]{1,32}$/.test(language) && !RENDERED_INFO.has(language.toLowerCase()) ? language : "";
}

function mergeProse(pieces: readonly Inline[]): Inline[] {
  const merged: Inline[] = [];
  for (const piece of pieces) {
    const last = merged.at(-1);
    if (piece.kind === "prose" && last?.kind === "prose") merged[merged.length - 1] = { kind: "prose", text: last.text + piece.text };
    else if (piece.text !== "") merged.push(piece);
  }
  return merged;
}

/** One-line text: no white space at either end, runs of it inside prose made one space. */
function trimEnds(pieces: Inline[]): void {
  for (let k = 0; k < pieces.length; k++) if (pieces[k]!.kind === "prose") pieces[k] = { kind: "prose", text: pieces[k]!.text.replace(/ {2,}/g, " ") };
  const first = pieces[0];
  if (first?.kind === "prose") pieces[0] = { kind: "prose", text: first.text.trimStart() };
  const last = pieces.at(-1);
  if (last?.kind === "prose") pieces[pieces.length - 1] = { kind: "prose", text: last.text.trimEnd() };
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}

/**
 * Without blank lines at either end. Not `String.trim`, which also takes
 * white space CommonMark does not (U+2028, U+2029) and a first line's
 * indentation, changing what the text renders as.
 */
function trimBlankLines(text: string): string {
  let end = text.length;
  while (end > 0 && " \t\r\n".includes(text[end - 1]!)) end--;
  let start = 0;
  for (let i = 0; i < end && " \t\r\n".includes(text[i]!); i++) if (text[i] === "\n" || text[i] === "\r") start = i + 1;
  return text.slice(start, end);
}

/** Columns of leading white space (a tab advances to the next multiple of 4). */
function columns(line: string): number {
  let col = 0;
  for (const c of line) {
    if (c === " ") col++;
    else if (c === "\t") col += 4 - (col % 4);
    else break;
  }
  return col;
}

/** The line without its first `n` columns of leading white space (tabs expanded). */
function dropColumns(line: string, n: number): string {
  let col = 0;
  let i = 0;
  while (i < line.length && col < n && (line[i] === " " || line[i] === "\t")) {
    col += line[i] === "\t" ? 4 - (col % 4) : 1;
    i++;
  }
  return " ".repeat(Math.max(0, col - n)) + line.slice(i);
}

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
 * Code spans and fenced blocks render literally, so only markers are
 * defused there; everything else is left as written.
 */

/** Untrusted Markdown made safe to post: see the module comment for what is neutralised. */
export function neutralizeUntrusted(text: string): string {
  return splitCode(text)
    .map((segment) => (segment.code ? defuseMarkers(segment.text) : neutralizeProse(segment.text)))
    .join("");
}

/** Breaks anything that reads like one of Longview's hidden markers, with a zero-width space that changes nothing visible. */
export function defuseMarkers(text: string): string {
  return text.replace(/<!--(\s*longview)/gi, "<!--\u200B$1");
}

function neutralizeProse(text: string): string {
  return (
    defuseMarkers(text)
      // Any tag, comment, declaration or autolink: shown as text, never rendered.
      .replace(/<(?=[A-Za-z/!?])/g, "&lt;")
      // Links and images show their destination instead of hiding it (GitHub still links a bare URL, visibly).
      .replace(/!\[/g, "!\\[")
      .replace(/\]([([:])/g, "]\\$1")
      // A mention written by the model must not notify anyone.
      .replace(/(^|[^\w`@/])@(?=[A-Za-z0-9])/g, "$1@\u200B")
  );
}

interface Segment {
  readonly text: string;
  readonly code: boolean;
}

/**
 * Fenced code blocks and code spans (CommonMark's rules, simplified: a fence
 * is 3+ backticks or tildes at the start of a line, closed by the same run or
 * the end of the text; a span is closed by a backtick run of the same length).
 */
function splitCode(text: string): Segment[] {
  const segments: Segment[] = [];
  let prose = "";
  const lines = text.split(/(?<=\n)/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]!);
    if (open && !(open[1]![0] === "`" && lines[i]!.slice(open[0].length).includes("`"))) {
      if (prose !== "") segments.push(...splitSpans(prose));
      prose = "";
      const fenceRun = open[1]!;
      let block = lines[i]!;
      let j = i + 1;
      for (; j < lines.length; j++) {
        block += lines[j]!;
        const close = /^ {0,3}(`{3,}|~{3,})[ \t]*\r?\n?$/.exec(lines[j]!);
        if (close && close[1]![0] === fenceRun[0] && close[1]!.length >= fenceRun.length) break;
      }
      segments.push({ text: block, code: true });
      i = j;
      continue;
    }
    prose += lines[i]!;
  }
  if (prose !== "") segments.push(...splitSpans(prose));
  return segments;
}

function splitSpans(text: string): Segment[] {
  const segments: Segment[] = [];
  // A run after a backslash is escaped (at least partly) in CommonMark: never a delimiter here, so its text stays prose and is neutralised.
  const runs = [...text.matchAll(/`+/g)].filter((m) => !/(^|[^\\])(\\\\)*\\$/.test(text.slice(Math.max(0, m.index - 64), m.index))).map((m) => ({ at: m.index, length: m[0].length }));
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
    if (runs[k]!.at < proseStart || close === -1) continue;
    const start = runs[k]!.at;
    const end = runs[close]!.at + runs[close]!.length;
    if (start > proseStart) segments.push({ text: text.slice(proseStart, start), code: false });
    segments.push({ text: text.slice(start, end), code: true });
    proseStart = end;
    k = close;
  }
  if (proseStart < text.length) segments.push({ text: text.slice(proseStart), code: false });
  return segments;
}

/** A fenced block that the content cannot close: the fence is longer than any backtick run inside. */
export function fence(info: string, content: string): string {
  const longestRun = Math.max(0, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = "`".repeat(Math.max(3, longestRun + 1));
  return `${ticks}${info}\n${content.replace(/\n$/, "")}\n${ticks}`;
}

/** A code span the text cannot close early (its delimiters are longer than any backtick run inside), on one line, markers defused. */
export function inlineCode(text: string): string {
  const clean = defuseMarkers(text.replace(/[\r\n]+/g, " "));
  const longestRun = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  if (longestRun === 0) return `\`${clean}\``;
  const ticks = "`".repeat(longestRun + 1);
  return `${ticks} ${clean} ${ticks}`;
}

export function truncate(text: string, max: number, marker = "…"): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max - marker.length)) + marker;
}

/**
 * The "Review guidelines" section of a repository's AGENTS.md: the part meant
 * for code reviewers. Pure text processing, no I/O.
 */

export const MAX_GUIDELINES_CHARS = 4_000;

const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const SECTION_TITLE = /^review guidelines:?$/i;

/**
 * Returns the body of the first heading titled "Review guidelines" (any level,
 * case-insensitive) up to the next heading of the same or a higher level,
 * trimmed and capped at `maxChars`; "" when there is no such section.
 * Only ATX headings (`## Title`) count; lines inside code fences are never headings.
 */
export function extractReviewGuidelines(agentsMd: string, maxChars: number = MAX_GUIDELINES_CHARS): string {
  const lines = agentsMd.split(/\r?\n/);
  let fence: string | null = null;
  let sectionLevel: number | null = null;
  const body: string[] = [];

  for (const line of lines) {
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch?.[1] !== undefined) {
      const marker = fenceMatch[1];
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    } else if (fence === null) {
      const heading = ATX_HEADING.exec(line);
      if (heading?.[1] !== undefined) {
        const level = heading[1].length;
        const title = (heading[2] ?? "")
          .replace(/[ \t]+#+$/, "")
          .replace(/^#+$/, "")
          .trim();
        if (sectionLevel === null) {
          if (SECTION_TITLE.test(title)) sectionLevel = level;
          continue;
        }
        if (level <= sectionLevel) break;
      }
    }
    if (sectionLevel !== null) body.push(line);
  }

  return capAtLine(body.join("\n").trim(), maxChars);
}

const TRUNCATED = "\n[…guidelines truncated]";

function capAtLine(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = Math.max(0, maxChars - TRUNCATED.length);
  const cut = text.slice(0, room);
  const lastBreak = cut.lastIndexOf("\n");
  return `${(lastBreak > 0 ? cut.slice(0, lastBreak) : cut).trimEnd()}${TRUNCATED}`;
}

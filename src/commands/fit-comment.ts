import { truncateMarkdown } from "../markdown/untrusted.js";

/** GitHub refuses comments over 65,536 characters (the job schemas hold a saved reply to the same limit). */
export const MAX_COMMENT = 65_536;

/** Room left for what is added when the reply is posted (the answer marker). */
const POSTING_MARGIN = 200;

/**
 * A reply within GitHub's limit: cut, saying so, where it is too long. A
 * `trailer` (a hidden marker) is kept whole on the last line, and room is
 * left for the answer marker added when it is posted.
 */
export function fitComment(text: string, trailer: string | null = null): string {
  const limit = trailer === null ? MAX_COMMENT : MAX_COMMENT - trailer.length - POSTING_MARGIN;
  const fitted = truncateMarkdown(text, limit, "\n\n… (truncated to fit GitHub's limit)");
  return trailer === null ? fitted : `${fitted}\n${trailer}`;
}

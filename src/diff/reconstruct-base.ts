import type { Hunk } from "../domain/change-set.js";

/**
 * The base version of a file from its head text and the hunks between them:
 * unchanged stretches are copied from head, each hunk contributes its context
 * and deleted lines. Null when the hunks do not fit the head text (a context
 * line differs, or hunks overlap), so a caller never works from a wrong base.
 */
export function reconstructBase(headText: string, hunks: readonly Hunk[]): string | null {
  const head = headText === "" ? [] : headText.split("\n");
  const endsWithNewline = headText.endsWith("\n");
  if (endsWithNewline) head.pop();
  const base: string[] = [];
  let next = 1; // next head line (1-based) not yet copied
  for (const hunk of [...hunks].sort((a, b) => a.newStart - b.newStart)) {
    const first = hunk.lines.find((l) => l.newLine !== null)?.newLine ?? hunk.newStart + (hunk.newLines === 0 ? 1 : 0);
    if (first < next) return null;
    while (next < first && next <= head.length) base.push(head[next++ - 1]!);
    for (const line of hunk.lines) {
      if (line.kind === "del") base.push(line.text);
      else {
        if (head[line.newLine! - 1] !== line.text) return null;
        if (line.kind === "context") base.push(line.text);
        next = line.newLine! + 1;
      }
    }
  }
  while (next <= head.length) base.push(head[next++ - 1]!);
  return base.length === 0 ? "" : `${base.join("\n")}\n`;
}

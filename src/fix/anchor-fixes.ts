import type { FileEdit } from "./edit.js";

/**
 * Offset-based fixes (ESLint's `{ range, text }`) → text-anchored
 * search/replace blocks. Pure. Each block covers whole lines and grows by a
 * line at a time until its text is unique in the file; fixes on neighbouring
 * lines share one block, so blocks never overlap.
 */

export interface TextFix {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** A run of whole lines, `first`..`last` (0-based). */
interface Block {
  first: number;
  last: number;
  fixes: TextFix[];
}

export function anchorFixes(path: string, text: string, fixes: readonly TextFix[]): FileEdit[] {
  const lines = new Lines(text);
  const sorted = [...fixes].sort((a, b) => a.start - b.start || a.end - b.end);
  const blocks: Block[] = [];
  for (const fix of sorted) {
    let block: Block = { first: lines.lineOf(fix.start), last: lines.lineOf(fix.start), fixes: [fix] };
    // A fix may run into (or remove) line breaks: the block ends where the fix does.
    while (block.last < lines.count - 1 && fix.end > lines.end(block.last)) block.last++;
    lines.expandUntilUnique(block);
    // A block that reaches the previous one (or its neighbouring line) joins it: blocks must not overlap.
    for (let previous = blocks.at(-1); previous && previous.last + 1 >= block.first; previous = blocks.at(-1)) {
      blocks.pop();
      block = { first: Math.min(previous.first, block.first), last: Math.max(previous.last, block.last), fixes: [...previous.fixes, ...block.fixes] };
      lines.expandUntilUnique(block);
    }
    blocks.push(block);
  }
  return blocks.map((block) => {
    const start = lines.start(block.first);
    const search = text.slice(start, lines.end(block.last));
    let replace = search;
    for (const fix of [...block.fixes].sort((a, b) => b.start - a.start)) {
      replace = replace.slice(0, fix.start - start) + fix.text + replace.slice(fix.end - start);
    }
    return { path, search, replace };
  });
}

class Lines {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) this.starts.push(at + 1);
  }

  get count(): number {
    return this.starts.length;
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  start(line: number): number {
    return this.starts[line]!;
  }

  /** End of the line, before its line break (`\n` or `\r\n`). */
  end(line: number): number {
    const next = this.starts[line + 1];
    if (next === undefined) return this.text.length;
    return this.text[next - 2] === "\r" ? next - 2 : next - 1;
  }

  /** Grows the block a line at a time, alternately down and up, until its text occurs once in the file. */
  expandUntilUnique(block: Block): void {
    let down = true;
    while (!this.isUnique(this.text.slice(this.start(block.first), this.end(block.last)))) {
      const canDown = block.last < this.count - 1;
      const canUp = block.first > 0;
      if (!canDown && !canUp) return;
      if ((down && canDown) || !canUp) block.last++;
      else block.first--;
      down = !down;
    }
  }

  private isUnique(piece: string): boolean {
    const first = this.text.indexOf(piece);
    return first !== -1 && this.text.indexOf(piece, first + 1) === -1;
  }
}

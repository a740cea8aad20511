import type { SymbolKind } from "./languages.js";

/** A definition in a file, by 1-based line numbers (inclusive). Definitions nest properly. */
export interface SymbolDef {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly startLine: number;
  readonly endLine: number;
}

export type OutlineSource = "tree-sitter" | "indentation";

export interface Outline {
  readonly source: OutlineSource;
  /** Sorted by startLine, outer before inner. */
  readonly defs: readonly SymbolDef[];
  /** parents[i]: index of the innermost definition enclosing defs[i], or -1. */
  readonly parents: readonly number[];
}

export function makeOutline(source: OutlineSource, unsorted: readonly SymbolDef[]): Outline {
  const defs = [...unsorted].sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
  const parents: number[] = [];
  const stack: number[] = [];
  for (let i = 0; i < defs.length; i++) {
    const def = defs[i]!;
    while (stack.length > 0 && defs[stack[stack.length - 1]!]!.endLine < def.startLine) stack.pop();
    parents.push(stack.length > 0 ? stack[stack.length - 1]! : -1);
    stack.push(i);
  }
  return { source, defs, parents };
}

/** The innermost definition containing `line`, or null. */
export function innermostDefAt(outline: Outline, line: number): SymbolDef | null {
  const { defs, parents } = outline;
  let lo = 0;
  let hi = defs.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (defs[mid]!.startLine <= line) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  // Every definition containing `line` encloses the last one starting at or before it.
  for (let i = last; i !== -1; i = parents[i]!) {
    if (defs[i]!.endLine >= line) return defs[i]!;
  }
  return null;
}

/** First line numbers of definitions: preferred places to cut a hunk that is too large for one window. */
export function definitionStarts(outline: Outline): ReadonlySet<number> {
  return new Set(outline.defs.map((d) => d.startLine));
}

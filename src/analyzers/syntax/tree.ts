import type { SyntaxNode } from "./grammars.js";

/** Small, language-neutral helpers over tree-sitter nodes for the syntax rules. */

export function* descendants(node: SyntaxNode): Generator<SyntaxNode> {
  const cursor = node.walk();
  try {
    let depth = 0;
    for (;;) {
      yield cursor.currentNode;
      if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (depth === 0 || !cursor.gotoParent()) return;
        depth--;
      }
      if (depth === 0) return;
    }
  } finally {
    cursor.delete();
  }
}

export function ofType(node: SyntaxNode, ...types: string[]): SyntaxNode[] {
  const wanted = new Set(types);
  const out: SyntaxNode[] = [];
  for (const n of descendants(node)) if (wanted.has(n.type)) out.push(n);
  return out;
}

export function field(node: SyntaxNode | null | undefined, name: string): SyntaxNode | null {
  return node?.childForFieldName(name) ?? null;
}

export function named(node: SyntaxNode): SyntaxNode[] {
  return node.namedChildren.filter((c): c is SyntaxNode => c !== null);
}

export function ancestors(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let p = node.parent; p; p = p.parent) out.push(p);
  return out;
}

/** The nearest ancestor of one of `types`, stopping (null) at a node of `stop`. */
export function enclosing(node: SyntaxNode, types: ReadonlySet<string>, stop: ReadonlySet<string> = new Set()): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (types.has(p.type)) return p;
    if (stop.has(p.type)) return null;
  }
  return null;
}

/** 1-based line of a node's start. */
export function lineOf(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

/** Identifiers used anywhere inside `node` (the node itself included). */
export function identifiersIn(node: SyntaxNode, identifierTypes: ReadonlySet<string>): Set<string> {
  const names = new Set<string>();
  for (const n of descendants(node)) if (identifierTypes.has(n.type)) names.add(n.text);
  return names;
}

export function isWithin(node: SyntaxNode, container: SyntaxNode): boolean {
  return node.startIndex >= container.startIndex && node.endIndex <= container.endIndex;
}

/** Node objects are fresh wrappers on each access, so identity is compared by node id. */
export function same(a: SyntaxNode | null | undefined, b: SyntaxNode | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.id === b.id;
}

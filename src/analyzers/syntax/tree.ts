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

/**
 * Nodes by type for the tree the rules are running on: one walk per file
 * instead of one per rule, since every node read from wasm costs a crossing.
 * Leaves (names, literals' text, punctuation) are not indexed; `ofType` walks
 * the subtree for those.
 */
const UNINDEXED = new Set([
  "identifier",
  "field_identifier",
  "type_identifier",
  "package_identifier",
  "string_content",
  "string_start",
  "string_end",
  "interpreted_string_literal_content",
  "escape_sequence",
  "comment",
  "integer",
  "int_literal",
  "float",
  "float_literal",
  "true",
  "false",
  "none",
  "nil",
]);

interface Indexed {
  readonly node: SyntaxNode;
  readonly start: number;
  readonly end: number;
}

let index: { readonly root: number; readonly byType: Map<string, Indexed[]>; readonly memo: Map<string, unknown> } | null = null;

/** Runs `run` with the node index of `root` in place for `ofType`. Synchronous, so no other file's rules interleave. */
export function withNodeIndex<T>(root: SyntaxNode, run: () => T): T {
  const byType = new Map<string, Indexed[]>();
  const cursor = root.walk();
  try {
    let depth = 0;
    for (;;) {
      const type = cursor.nodeType;
      if (cursor.nodeIsNamed && !UNINDEXED.has(type)) {
        const list = byType.get(type);
        const entry = { node: cursor.currentNode, start: cursor.startIndex, end: cursor.endIndex };
        if (list) list.push(entry);
        else byType.set(type, [entry]);
      }
      if (cursor.gotoFirstChild()) {
        depth++;
        continue;
      }
      let done = false;
      while (!cursor.gotoNextSibling()) {
        if (depth === 0 || !cursor.gotoParent()) {
          done = true;
          break;
        }
        depth--;
      }
      if (done || depth === 0) break;
    }
  } finally {
    cursor.delete();
  }
  index = { root: root.id, byType, memo: new Map() };
  try {
    return run();
  } finally {
    index = null;
  }
}

/** `compute(node)` once per node and purpose while an index is in place (node text is a wasm crossing each time). */
export function memo<T>(purpose: string, node: SyntaxNode, compute: (node: SyntaxNode) => T): T {
  if (index === null) return compute(node);
  const key = `${purpose}:${node.id}`;
  if (index.memo.has(key)) return index.memo.get(key) as T;
  const value = compute(node);
  index.memo.set(key, value);
  return value;
}

/** Descendants of `node` (itself included) of the given types, in document order. */
export function ofType(node: SyntaxNode, ...types: string[]): SyntaxNode[] {
  if (index !== null && !types.some((t) => UNINDEXED.has(t))) {
    const whole = node.id === index.root;
    const [start, end] = whole ? [0, Infinity] : [node.startIndex, node.endIndex];
    const out: Indexed[] = [];
    for (const type of types) {
      for (const n of index.byType.get(type) ?? []) if (n.start >= start && n.end <= end) out.push(n);
    }
    if (types.length > 1) out.sort((a, b) => a.start - b.start || b.end - a.end);
    return out.map((n) => n.node);
  }
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

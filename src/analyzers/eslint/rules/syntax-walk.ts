import type { Rule } from "eslint";
import { isFunction, type Node } from "../ast.js";

export interface WalkOptions {
  /** Also visit the bodies of nested functions (default false: code there runs at another time). */
  readonly intoFunctions?: boolean;
}

/**
 * True when `predicate` holds for `root` or one of its descendants. The
 * predicate sees the chain of ancestors between `root` and the node (nearest
 * last), so callers can tell e.g. which loop a `break` belongs to.
 */
export function someDescendant(
  context: Rule.RuleContext,
  root: Node,
  predicate: (node: Node, ancestors: readonly Node[]) => boolean,
  options: WalkOptions = {},
): boolean {
  const keys = context.sourceCode.visitorKeys;
  const ancestors: Node[] = [];
  const visit = (node: Node): boolean => {
    if (predicate(node, ancestors)) return true;
    if (node !== root && !options.intoFunctions && isFunction(node)) return false;
    ancestors.push(node);
    try {
      for (const key of keys[node.type] ?? []) {
        const child = (node as unknown as Record<string, unknown>)[key];
        const children = Array.isArray(child) ? child : [child];
        for (const item of children) {
          if (isNode(item) && visit(item)) return true;
        }
      }
      return false;
    } finally {
      ancestors.pop();
    }
  };
  return visit(root);
}

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Whether `inner` lies within `outer` in the source. */
export function contains(outer: Node, inner: Node): boolean {
  const [outerStart, outerEnd] = outer.range ?? [0, -1];
  const [innerStart, innerEnd] = inner.range ?? [0, -1];
  return innerStart >= outerStart && innerEnd <= outerEnd;
}

import type { Rule, Scope } from "eslint";
import type * as ESTree from "estree";
import { findVariable, isFunction, memberPath, propertyName, singleInitializer, unwrap, type Node } from "../ast.js";
import { contains, someDescendant } from "./syntax-walk.js";

/**
 * A loop that runs its body once per element of a collection: `for…of`,
 * `for…in`, `for (…; i < xs.length; …)` and `xs.forEach(fn)`. Loops that
 * cannot be told to be collection loops (`while`, `do…while`, counted `for`
 * loops) are never returned: they are usually retries, polling or pagination.
 */
export interface CollectionLoop {
  readonly node: Node;
  /** The statements run per element (for `forEach`, the callback). */
  readonly body: Node;
  /** The expression that names the collection, for messages. */
  readonly collection: Node;
  /** Variables that take a new value on each iteration: the element, the index, or the callback's parameters. */
  readonly bindings: readonly Scope.Variable[];
}

const FOR_EACH: ReadonlySet<string> = new Set(["forEach"]);
const LOOP_TYPES = new Set(["ForOfStatement", "ForInStatement", "ForStatement", "WhileStatement", "DoWhileStatement"]);

/**
 * The innermost loop whose body contains `node` within the same function
 * (or a `forEach` callback, or one of `callbackMethods`), when that loop
 * iterates a collection.
 * Null when the innermost loop is of another kind or there is none.
 */
export function enclosingCollectionLoop(context: Rule.RuleContext, node: Node, callbackMethods: ReadonlySet<string> = FOR_EACH): CollectionLoop | null {
  let child = node;
  let current = node.parent;
  while (current) {
    if (isFunction(current)) return callbackLoop(context, current, callbackMethods);
    if (LOOP_TYPES.has(current.type) && (current as ESTree.ForStatement).body === child) return collectionLoop(context, current);
    child = current;
    current = current.parent;
  }
  return null;
}

function collectionLoop(context: Rule.RuleContext, loop: Node): CollectionLoop | null {
  const declared = (declaration: Node | null | undefined): Scope.Variable[] =>
    declaration?.type === "VariableDeclaration" ? context.sourceCode.getDeclaredVariables(declaration as ESTree.Node) : [];
  if (loop.type === "ForOfStatement" || loop.type === "ForInStatement") {
    if (loop.type === "ForOfStatement" && loop.await) return null;
    const collection = unwrap(loop.right as Node);
    if (isFixedList(context, collection)) return null;
    const left = loop.left as Node;
    const bindings = left.type === "Identifier" ? [findVariable(context, left)].filter((v): v is Scope.Variable => v !== null) : declared(left);
    return { node: loop, body: loop.body as Node, collection, bindings };
  }
  if (loop.type === "ForStatement") {
    const collection = lengthBound(loop.test as Node | null);
    if (!collection || isFixedList(context, collection)) return null;
    return { node: loop, body: loop.body as Node, collection, bindings: declared(loop.init as Node | null) };
  }
  return null;
}

/** `i < xs.length`, `i <= xs.length - 1`, `xs.length > i` → `xs`. */
function lengthBound(test: Node | null): Node | null {
  if (!test) return null;
  const t = unwrap(test);
  if (t.type !== "BinaryExpression") return null;
  const bound = t.operator === "<" || t.operator === "<=" ? t.right : t.operator === ">" || t.operator === ">=" ? t.left : null;
  if (!bound || bound.type === "PrivateIdentifier") return null;
  let b = unwrap(bound as Node);
  if (b.type === "BinaryExpression" && b.operator === "-" && b.left.type !== "PrivateIdentifier") b = unwrap(b.left as Node);
  if (b.type !== "MemberExpression" || propertyName(b) !== "length") return null;
  return unwrap(b.object as Node);
}

/** The callback of `xs.forEach(fn)` (or another array method among `methods`) as a loop over `xs`. */
function callbackLoop(context: Rule.RuleContext, fn: Node, methods: ReadonlySet<string>): CollectionLoop | null {
  const call = fn.parent;
  if (call?.type !== "CallExpression" || call.arguments[0] !== fn) return null;
  const callee = unwrap(call.callee as Node);
  if (callee.type !== "MemberExpression" || !methods.has(propertyName(callee) ?? "")) return null;
  const collection = unwrap(callee.object as Node);
  if (isFixedList(context, collection)) return null;
  const bindings = context.sourceCode.getDeclaredVariables(fn as ESTree.Node).filter((v) => v.defs.some((d) => d.type === "Parameter"));
  return { node: call, body: fn, collection, bindings };
}

const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * A list written out in the code (`["eu", "us"]`, `const REGIONS = […]`,
 * `MIGRATIONS`, `Object.keys(HANDLERS)`): short by construction, and often
 * run in order on purpose (migrations, set-up steps).
 */
function isFixedList(context: Rule.RuleContext, collection: Node): boolean {
  let n = unwrap(collection);
  if (n.type === "CallExpression" && n.arguments.length === 1 && n.arguments[0]!.type !== "SpreadElement") {
    const callee = unwrap(n.callee as Node);
    const path = callee.type === "MemberExpression" ? memberPath(callee) : null;
    if (path?.[0] === "Object" && ["keys", "values", "entries"].includes(path[1]!)) n = unwrap(n.arguments[0] as Node);
  }
  if (isWrittenOut(n)) return true;
  const root = memberPath(n)?.[0];
  if (root !== undefined && CONSTANT_NAME.test(root)) return true;
  if (n.type !== "Identifier") return false;
  const init = singleInitializer(context, n);
  return init !== null && isWrittenOut(unwrap(init));
}

/** `[a, b]`, `{ a, b }`; not `[]` filled later or `[...xs, ...ys]`. */
function isWrittenOut(node: Node): boolean {
  if (node.type === "ArrayExpression") return node.elements.length > 0 && node.elements.every((e) => e !== null && e.type !== "SpreadElement");
  if (node.type === "ObjectExpression") return node.properties.length > 0 && node.properties.every((p) => p.type !== "SpreadElement");
  return false;
}

/**
 * Whether the loop can stop before the end of its collection: a `break` out
 * of it or a `return` from the enclosing function, as in search loops
 * (`for (const host of hosts) { … return await fetch(host) }`).
 */
export function exitsEarly(context: Rule.RuleContext, loop: CollectionLoop): boolean {
  if (loop.node.type === "CallExpression") return false; // `return` in a callback only ends one iteration.
  return someDescendant(context, loop.body, (node, ancestors) => {
    if (node.type === "ReturnStatement") return true;
    if (node.type !== "BreakStatement") return false;
    // A labeled break leaves this loop unless its label is on a statement inside the body.
    const label = node.label?.name;
    if (label !== undefined) return !ancestors.some((a) => a.type === "LabeledStatement" && a.label.name === label);
    // An unlabeled break leaves the nearest loop or switch.
    return !ancestors.some((a) => LOOP_TYPES.has(a.type) || a.type === "SwitchStatement");
  });
}

/**
 * The loop's bindings plus variables declared in its body from them
 * (`const url = `${base}/${item.id}``, `const { id } = item`), a few steps deep.
 */
export function perIterationVariables(context: Rule.RuleContext, loop: CollectionLoop): Set<Scope.Variable> {
  const variables = new Set(loop.bindings);
  let frontier = [...loop.bindings];
  for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
    const next: Scope.Variable[] = [];
    for (const variable of frontier) {
      for (const reference of variable.references) {
        const declarator = enclosingDeclarator(reference.identifier as Node);
        if (!declarator || !contains(loop.body, declarator)) continue;
        for (const derived of context.sourceCode.getDeclaredVariables(declarator as ESTree.Node)) {
          if (variables.has(derived)) continue;
          variables.add(derived);
          next.push(derived);
        }
      }
    }
    frontier = next;
  }
  return variables;
}

/** The declarator whose initializer contains the identifier, stopping at statements and functions. */
function enclosingDeclarator(identifier: Node): Node | null {
  let child = identifier;
  let current = identifier.parent;
  while (current && !isFunction(current) && !current.type.endsWith("Statement")) {
    if (current.type === "VariableDeclarator") return current.init === child ? current : null;
    child = current;
    current = current.parent;
  }
  return null;
}

/** Whether any of the nodes reads one of the variables. */
export function readsAny(nodes: readonly Node[], variables: ReadonlySet<Scope.Variable>): boolean {
  for (const variable of variables) {
    for (const reference of variable.references) {
      if (!reference.isRead()) continue;
      const identifier = reference.identifier as Node;
      if (nodes.some((node) => contains(node, identifier))) return true;
    }
  }
  return false;
}

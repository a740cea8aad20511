import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { findVariable, laterWrites, propertyName, singleInitializer, snippet, unwrap, type Node } from "../ast.js";
import { enclosingCollectionLoop, perIterationVariables, readsAny } from "./collection-loops.js";
import { roundTripOf } from "./round-trip-calls.js";
import { contains } from "./syntax-walk.js";

/** Linear searches of an array. */
const SEARCH_METHODS = new Set(["includes", "indexOf", "lastIndexOf", "find", "findIndex", "some"]);
/** Array methods whose callback runs once per element, like a loop body. */
const ITERATING_METHODS: ReadonlySet<string> = new Set(["forEach", "map", "filter", "flatMap", "some", "every", "find", "findIndex", "reduce"]);
/** Calls that return a new array built element by element from another. */
const ARRAY_BUILDERS = new Set(["map", "filter", "flatMap"]);

/**
 * `existingIds.includes(item.id)` inside a loop over another collection, where
 * `existingIds` holds rows read from a database (or `.map`/`.filter`
 * over one) computed before the loop and never reassigned: each iteration
 * scans the whole array, so the loop costs n × m. A `Set` or `Map` built once
 * makes each lookup constant-time.
 */
export const quadraticLookupRule: Rule.RuleModule = {
  meta: { type: "suggestion", schema: [], docs: { description: "Linear search of a loop-invariant array inside a loop" } },
  create(context) {
    return {
      CallExpression(call: ESTree.CallExpression) {
        const callee = unwrap(call.callee as Node);
        if (callee.type !== "MemberExpression" || !SEARCH_METHODS.has(propertyName(callee) ?? "")) return;
        const array = unwrap(callee.object as Node);
        if (array.type !== "Identifier") return;
        const loop = enclosingCollectionLoop(context, call as Node, ITERATING_METHODS);
        if (!loop) return;
        const init = singleInitializer(context, array) ?? destructuredRows(context, array);
        if (!init || contains(loop.node, init) || !isFetchedArray(context, init) || laterWrites(context, array).length > 0) return;
        if (!readsAny(call.arguments as Node[], perIterationVariables(context, loop))) return;
        context.report({
          node: call,
          message: `\`${snippet(context, call as Node)}\` scans \`${array.name}\` once per element of \`${snippet(context, loop.collection, 40)}\``,
        });
      },
    };
  },
};

/**
 * Rows read from a database (`await prisma.user.findMany()`,
 * `(await db.query(…)).rows`), or `.map`/`.filter` over such rows: sizes
 * follow the data. Arrays computed from in-memory values (schema fields,
 * option names) are usually small and are not reported.
 */
function isFetchedArray(context: Rule.RuleContext, node: Node, depth = 0): boolean {
  if (depth > 3) return false;
  const n = unwrap(node);
  if (n.type === "AwaitExpression") {
    // Only database reads are known to yield rows; a response or a helper's result may be a string or an object.
    const kind = roundTripOf(context, n.argument as Node)?.kind;
    return kind === "sql" || kind === "orm";
  }
  if (n.type === "MemberExpression") return propertyName(n) === "rows" && isFetchedArray(context, n.object as Node, depth + 1);
  if (n.type === "CallExpression") {
    const callee = unwrap(n.callee as Node);
    return callee.type === "MemberExpression" && ARRAY_BUILDERS.has(propertyName(callee) ?? "") && isFetchedArray(context, callee.object as Node, depth + 1);
  }
  if (n.type !== "Identifier") return false;
  const init = singleInitializer(context, n) ?? destructuredRows(context, n);
  return init !== null && isFetchedArray(context, init, depth + 1);
}

/**
 * The awaited query behind `const { rows } = await pool.query(…)` (pg) or
 * `const [rows] = await connection.execute(…)` (mysql2), or null.
 */
function destructuredRows(context: Rule.RuleContext, identifier: ESTree.Identifier): Node | null {
  const defs = findVariable(context, identifier)?.defs;
  const def = defs?.length === 1 ? defs[0] : undefined;
  if (def?.type !== "Variable" || !def.node.init) return null;
  const { id, init } = def.node;
  const declared: unknown = def.name;
  const fromRows =
    (id.type === "ObjectPattern" && id.properties.some((p) => p.type === "Property" && propertyName(p) === "rows" && p.value === declared)) ||
    (id.type === "ArrayPattern" && id.elements[0] === declared);
  return fromRows && unwrap(init as Node).type === "AwaitExpression" ? (init as Node) : null;
}

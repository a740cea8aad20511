import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { calleeName, laterWrites, propertyName, singleInitializer, snippet, unwrap, type Node } from "../ast.js";
import { enclosingCollectionLoop, perIterationVariables, readsAny } from "./collection-loops.js";
import { roundTripOf } from "./round-trip-calls.js";
import { contains } from "./syntax-walk.js";

/** Linear searches of an array. */
const SEARCH_METHODS = new Set(["includes", "indexOf", "lastIndexOf", "find", "findIndex", "some"]);
/** Array methods whose callback runs once per element, like a loop body. */
const ITERATING_METHODS: ReadonlySet<string> = new Set(["forEach", "map", "filter", "flatMap", "some", "every", "find", "findIndex", "reduce"]);
/** Calls that always return a new array built from a collection of the same size. */
const ARRAY_BUILDERS = new Set(["map", "filter", "flatMap"]);

/**
 * `existingIds.includes(item.id)` inside a loop over another collection, where
 * `existingIds` is an array computed once before the loop from data
 * (`xs.map(…)`, `xs.filter(…)`, a query result) and never reassigned: each
 * iteration scans the whole array, so the loop costs n × m. A `Set` or `Map`
 * built once makes each lookup constant-time.
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
        const init = singleInitializer(context, array);
        if (!init || contains(loop.node, init) || !isComputedArray(context, init) || laterWrites(context, array).length > 0) return;
        if (!readsAny(call.arguments as Node[], perIterationVariables(context, loop))) return;
        context.report({
          node: call,
          message: `\`${snippet(context, call as Node)}\` scans \`${array.name}\` once per element of \`${snippet(context, loop.collection, 40)}\``,
        });
      },
    };
  },
};

/** `xs.map(…)`, `xs.filter(…)`, `await db.query(…)`'s rows: an array whose size follows the data. */
function isComputedArray(context: Rule.RuleContext, init: Node): boolean {
  const n = unwrap(init);
  if (n.type === "CallExpression") return ARRAY_BUILDERS.has(calleeName(n) ?? "") && unwrap(n.callee as Node).type === "MemberExpression";
  return n.type === "AwaitExpression" && roundTripOf(context, n.argument as Node) !== null;
}

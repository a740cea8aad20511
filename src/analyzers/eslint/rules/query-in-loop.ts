import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { calleeName, memberPath, nameWords, snippet, unwrap, type Node } from "../ast.js";
import { enclosingCollectionLoop, exitsEarly, perIterationVariables, readsAny, type CollectionLoop } from "./collection-loops.js";
import { roundTripOf, type RoundTripKind } from "./round-trip-calls.js";
import { someDescendant } from "./syntax-walk.js";

const WHAT: Readonly<Record<RoundTripKind, string>> = {
  sql: "a query",
  orm: "a query",
  http: "a request",
  helper: "a function that queries",
};

/**
 * N+1 round trips: an awaited query or request, chosen by the current
 * element, inside a loop over a collection (`for…of`, `for (i < xs.length)`,
 * `xs.forEach(async …)`). Not reported: `for await`, `while`/`do` loops
 * (pagination, polling), loops that can stop early (`break`, `return`),
 * loops that pause between calls on purpose (rate limits), migration
 * runners (each step must finish before the next), calls whose
 * arguments do not depend on the element, and calls that are not awaited in
 * the loop itself (e.g. gathered with `Promise.all`).
 */
export const queryInLoopRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Query or request awaited once per element of a collection (N+1)" } },
  create(context) {
    return {
      AwaitExpression(node: ESTree.AwaitExpression) {
        const awaited = node as Node;
        const loop = enclosingCollectionLoop(context, awaited);
        if (!loop) return;
        const roundTrip = roundTripOf(context, node.argument as Node);
        if (!roundTrip || roundTrip.selectors.length === 0) return;
        if (!readsAny(roundTrip.selectors, perIterationVariables(context, loop))) return;
        if (exitsEarly(context, loop) || waitsBetweenCalls(context, loop.body) || isMigrationLoop(loop)) return;
        context.report({
          node,
          message: `\`${snippet(context, node.argument as Node)}\` awaits ${WHAT[roundTrip.kind]} once per element of \`${snippet(context, loop.collection, 40)}\``,
        });
      },
    };
  },
};

const DELAY_FUNCTIONS = new Set(["sleep", "delay", "wait", "pause", "setTimeout", "timeout"]);

/** `await sleep(200)`, `await new Promise((r) => setTimeout(r, 200))`: the loop is throttled deliberately, so one call at a time is the point. */
function waitsBetweenCalls(context: Rule.RuleContext, body: Node): boolean {
  return someDescendant(context, body, (node) => {
    if (node.type !== "AwaitExpression") return false;
    const awaited = unwrap(node.argument as Node);
    if (awaited.type === "CallExpression") return DELAY_FUNCTIONS.has(calleeName(awaited) ?? "");
    if (awaited.type !== "NewExpression" || calleeName(awaited) !== "Promise") return false;
    return someDescendant(context, awaited, (inner) => inner.type === "CallExpression" && calleeName(inner) === "setTimeout", { intoFunctions: true });
  });
}

/** `for (const migration of pending)`, `for (const m of migrations)`: applied one after another by design. */
function isMigrationLoop(loop: CollectionLoop): boolean {
  const names = [...loop.bindings.map((variable) => variable.name), ...(memberPath(loop.collection) ?? [])];
  return names.some((name) => nameWords(name).some((word) => word === "migration" || word === "migrations"));
}

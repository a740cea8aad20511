import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { isFunction, isStaticValue, propertyName, unwrap, type Node } from "../ast.js";

/**
 * MongoDB's `$where` evaluates JavaScript on the server; a string built from
 * run-time data lets a caller run arbitrary code in the query. A literal
 * string or a function literal is fixed code and is not reported.
 */
export const nosqlWhereInjectionRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "MongoDB $where built from run-time data" } },
  create(context) {
    const isDynamic = (value: Node): boolean => !isStaticValue(value) && !isFunction(unwrap(value));
    return {
      Property(property: ESTree.Property) {
        if (propertyName(property) !== "$where" || !isDynamic(property.value as Node)) return;
        context.report({ node: property, message: "MongoDB `$where` receives code built from run-time data" });
      },
      CallExpression(call: ESTree.CallExpression) {
        const callee = unwrap(call.callee as Node);
        if (callee.type !== "MemberExpression" || propertyName(callee) !== "$where") return;
        const first = call.arguments[0];
        if (!first || first.type === "SpreadElement" || !isDynamic(first as Node)) return;
        context.report({ node: call, message: "Mongoose `.$where()` receives code built from run-time data" });
      },
    };
  },
};

import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { assignedName, calleeName, functionName, isFunction, propertyName, type Node } from "../ast.js";

const CONVERSIONS = new Set(["String", "Number", "BigInt", "parseInt", "parseFloat", "floor", "ceil", "round", "trunc", "abs", "from", "padStart", "padEnd"]);

/**
 * The nearest name that describes what a value is for: the
 * variable, property or field it is stored in, or, for a returned value, the
 * function that returns it. Stops at the first such name so that
 * `function makeToken() { const delay = Math.random(); … }` reads as "delay".
 */
export function purposeName(node: Node): string | null {
  let current: Node = node;
  while (current.parent) {
    const parent = current.parent;
    const stored = assignedName(current);
    if (stored !== null) return stored;
    if (isFunction(parent)) return functionName(parent);
    if (parent.type === "MethodDefinition" || parent.type === "PropertyDefinition") return propertyName(parent);
    if (parent.type === "ExpressionStatement" || parent.type === "Program") return null;
    // A value handed to another function serves that function's purpose, unless the call only converts it.
    if ((parent.type === "CallExpression" || parent.type === "NewExpression") && parent.callee !== current) {
      const callee = calleeName(parent);
      if (callee === null || !CONVERSIONS.has(callee)) return null;
    }
    current = parent;
  }
  return null;
}

/** Source text of the arguments of every call chained onto `node` (`createHash("md5").update(a).digest()` → text of `a`). */
export function chainedArgumentText(context: Rule.RuleContext, node: Node): string {
  const texts: string[] = [];
  let current: Node = node;
  while (current.parent?.type === "MemberExpression" && current.parent.object === current && current.parent.parent?.type === "CallExpression") {
    const call = current.parent.parent as ESTree.CallExpression & Node;
    texts.push(...call.arguments.map((arg) => context.sourceCode.getText(arg)));
    current = call;
  }
  return texts.join(" ");
}

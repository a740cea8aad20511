import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { findVariable, memberPath, type Node } from "../ast.js";

const REQUEST_OBJECTS = new Set(["req", "request"]);
const INPUT_PROPERTIES = new Set(["query", "params", "body", "headers", "cookies", "files", "file", "url", "originalUrl", "path"]);
/** Calls whose result no longer carries the input's text (numbers, booleans, a base name). */
const CLEANING_CALLS = new Set(["Number", "parseInt", "parseFloat", "Boolean", "basename", "encodeURIComponent", "isInteger"]);

/**
 * The request input (`req.query.url`, `request.body`) a value is derived
 * from, following local variables, destructuring, awaits and calls that
 * carry their argument through (`schema.parse(req.body)`, `new URL(x)`,
 * `decodeURIComponent(x)`), a few steps deep; null when it is not.
 * `leading`: only values the input starts (`` `${x}/a` `` yes, `` `https://host/${x}` `` no),
 * for sinks where a fixed prefix confines the value (a URL's host).
 */
export function requestInput(context: Rule.RuleContext, node: Node, leading: boolean, depth = 0): string | null {
  if (depth > 6) return null;
  const n = node as ESTree.Node;
  switch (n.type) {
    case "MemberExpression": {
      const path = memberPath(n as Node);
      if (path) {
        for (let i = 0; i < path.length - 1; i++) {
          const owner = path[i]!;
          if ((REQUEST_OBJECTS.has(owner) || (owner === "ctx" && i === 0)) && INPUT_PROPERTIES.has(path[i + 1]!)) return path.slice(0, i + 3).join(".");
        }
      }
      return requestInput(context, n.object as Node, leading, depth + 1);
    }
    case "Identifier":
      return variableInput(context, n, leading, depth);
    case "AwaitExpression":
    case "TSNonNullExpression" as string:
    case "TSAsExpression" as string:
      return requestInput(context, (n as { expression?: Node; argument?: Node }).argument ?? (n as { expression: Node }).expression, leading, depth + 1);
    case "ChainExpression":
      return requestInput(context, n.expression as Node, leading, depth + 1);
    case "TemplateLiteral":
      if (leading) return n.quasis[0]?.value.raw === "" && n.expressions[0] ? requestInput(context, n.expressions[0] as Node, leading, depth + 1) : null;
      return firstOf(n.expressions.map((e) => () => requestInput(context, e as Node, leading, depth + 1)));
    case "BinaryExpression":
      if (n.operator !== "+" || n.left.type === "PrivateIdentifier") return null;
      return leading
        ? requestInput(context, n.left as Node, leading, depth + 1)
        : firstOf([() => requestInput(context, n.left as Node, leading, depth + 1), () => requestInput(context, n.right as Node, leading, depth + 1)]);
    case "LogicalExpression":
      return firstOf([() => requestInput(context, n.left as Node, leading, depth + 1), () => requestInput(context, n.right as Node, leading, depth + 1)]);
    case "ConditionalExpression":
      return firstOf([
        () => requestInput(context, n.consequent as Node, leading, depth + 1),
        () => requestInput(context, n.alternate as Node, leading, depth + 1),
      ]);
    case "CallExpression":
    case "NewExpression": {
      const callee = n.callee.type === "MemberExpression" ? n.callee.property : n.callee;
      if (callee.type === "Identifier" && CLEANING_CALLS.has(callee.name)) return null;
      // `schema.parse(req.body)`, `new URL(req.query.u)`, `String(x)`, `x.trim()`.
      const parts = [...n.arguments.map((a) => () => (a.type === "SpreadElement" ? null : requestInput(context, a as Node, false, depth + 1)))];
      if (n.callee.type === "MemberExpression")
        parts.push(() => requestInput(context, (n.callee as ESTree.MemberExpression).object as Node, leading, depth + 1));
      return firstOf(parts);
    }
    default:
      return null;
  }
}

function firstOf(candidates: readonly (() => string | null)[]): string | null {
  for (const candidate of candidates) {
    const found = candidate();
    if (found !== null) return found;
  }
  return null;
}

/** `const u = …`, `const { url } = …`: the input the variable was initialized from (never reassigned). */
function variableInput(context: Rule.RuleContext, identifier: ESTree.Identifier, leading: boolean, depth: number): string | null {
  const variable = findVariable(context, identifier);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!def || def.type !== "Variable" || !def.node.init) return null;
  if (variable!.references.some((r) => r.isWrite() && r.writeExpr !== def.node.init)) return null;
  const found = requestInput(context, def.node.init as Node, leading, depth + 1);
  if (found === null) return null;
  return def.node.id.type === "ObjectPattern" ? `${found}.${identifier.name}` : found;
}

/** The enclosing function's source text (checks a rule takes as the fix when present anywhere in it). */
export function enclosingFunctionText(context: Rule.RuleContext, node: Node): string {
  for (let p: Node | null | undefined = node.parent; p; p = p.parent) {
    if (p.type === "FunctionDeclaration" || p.type === "FunctionExpression" || p.type === "ArrowFunctionExpression")
      return context.sourceCode.getText(p as ESTree.Node);
  }
  return "";
}

import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { findVariable, memberPath, propertyName, unwrap, type Node } from "../ast.js";

const REQUEST_OBJECTS = new Set(["req", "request"]);
const INPUT_PROPERTIES = new Set(["query", "params", "body", "headers", "cookies"]);

/**
 * `res.redirect(x)` where x starts with request data (`req.query.next`,
 * `req.headers.referer`, Koa's `ctx.query`…): an attacker sends users
 * through a trusted link to any site. A redirect that starts with a fixed
 * path (`"/users/" + req.params.id`) stays on this site and is not reported.
 */
export const openRedirectRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Redirect target taken from the request" } },
  create(context) {
    return {
      CallExpression(call: ESTree.CallExpression) {
        const callee = unwrap(call.callee as Node);
        if (callee.type !== "MemberExpression" || propertyName(callee) !== "redirect") return;
        const target = call.arguments[call.arguments.length - 1];
        if (!target || target.type === "SpreadElement") return;
        const source = leadingRequestInput(context, target as Node, 0);
        if (source === null) return;
        context.report({ node: target, message: `Redirect target comes from \`${source}\`` });
      },
    };
  },
};

/** The request input (e.g. `req.query.next`) the value starts with, following local variables a few steps. */
function leadingRequestInput(context: Rule.RuleContext, node: Node, depth: number): string | null {
  if (depth > 3) return null;
  const n = unwrap(node);
  if (n.type === "MemberExpression") return requestInputPath(n);
  if (n.type === "TemplateLiteral") {
    const first = n.quasis[0];
    return first?.value.raw === "" && n.expressions[0] ? leadingRequestInput(context, n.expressions[0] as Node, depth + 1) : null;
  }
  if (n.type === "BinaryExpression" && n.operator === "+" && n.left.type !== "PrivateIdentifier")
    return leadingRequestInput(context, n.left as Node, depth + 1);
  if (n.type === "LogicalExpression")
    return leadingRequestInput(context, n.left as Node, depth + 1) ?? leadingRequestInput(context, n.right as Node, depth + 1);
  if (
    n.type === "CallExpression" &&
    n.callee.type === "Identifier" &&
    (n.callee.name === "decodeURIComponent" || n.callee.name === "String") &&
    n.arguments[0]
  ) {
    return leadingRequestInput(context, n.arguments[0] as Node, depth + 1);
  }
  if (n.type === "Identifier") return variableSource(context, n, depth);
  return null;
}

/** `const next = req.query.next` or `const { next } = req.query`. */
function variableSource(context: Rule.RuleContext, identifier: ESTree.Identifier, depth: number): string | null {
  const variable = findVariable(context, identifier);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!def || def.type !== "Variable" || !def.node.init) return null;
  const id = def.node.id;
  if (id.type === "Identifier") return leadingRequestInput(context, def.node.init as Node, depth + 1);
  if (id.type === "ObjectPattern") {
    const object = unwrap(def.node.init as Node);
    if (object.type !== "MemberExpression") return null;
    const path = requestInputPath(object);
    return path === null ? null : `${path}.${identifier.name}`;
  }
  return null;
}

function requestInputPath(node: ESTree.MemberExpression): string | null {
  const path = memberPath(node as Node);
  if (!path) return null;
  // req.query…, request.body…, ctx.query…, ctx.request.query…, this.request.query…
  for (let i = 0; i < path.length - 1; i++) {
    const owner = path[i]!;
    const isRequest = REQUEST_OBJECTS.has(owner) || (owner === "ctx" && i === 0);
    if (isRequest && INPUT_PROPERTIES.has(path[i + 1]!)) return path.join(".");
  }
  return null;
}

import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { findVariable, isFunction, isModuleFunction, propertyName, unwrap, type Node } from "../ast.js";

/** Route registration methods of Express, Koa routers, Fastify, Hono-style routers and Restify. */
const ROUTE_METHODS = new Set(["get", "post", "put", "patch", "delete", "del", "head", "options", "all", "use"]);
const SERVER_FACTORIES = new Set(["createServer", "createSecureServer"]);
const REQUEST_NAMES = new Set(["req", "request"]);
const RESPONSE_NAMES = new Set(["res", "response", "reply"]);
const ERROR_NAMES = new Set(["err", "error", "e"]);

/**
 * Whether `fn` handles HTTP requests: any function that receives both the
 * request and the response (`(req, res)`, `(request, reply)`,
 * `(err, req, res, next)`), wherever it is registered (controllers are often
 * exported and routed in another file); a function with looser parameters
 * (Koa's `(ctx, next)`, Fastify's `(request)`) passed to `app.get(…)`,
 * `router.post(…)`, `app.use(…)` (inline or by name); the `handler` of
 * `fastify.route({…})`/hapi's `server.route({…})`; or any function passed to
 * `http.createServer(…)` / `server.on("request", …)`.
 */
export function isRequestHandler(context: Rule.RuleContext, fn: Node): boolean {
  if (!isFunction(fn)) return false;
  if (hasRequestAndResponse(fn)) return true;
  if (fn.type === "FunctionDeclaration") return fn.id !== null && referencedAsHandler(context, fn, fn.id);
  const parent = fn.parent;
  if (parent?.type === "CallExpression" && parent.arguments.includes(fn as ESTree.Expression)) return registersHandler(context, parent, fn);
  // `handler(request, reply) {…}` or `handler: (request, h) => …` in a route options object.
  if (parent?.type === "Property" && parent.value === fn && propertyName(parent) === "handler") {
    const call = parent.parent?.parent;
    return call?.type === "CallExpression" && isRouteOptionsCall(call) && hasHandlerParameters(fn);
  }
  // `const handler = (req, res) => …` registered by name.
  if (parent?.type === "VariableDeclarator" && parent.init === fn && parent.id.type === "Identifier") return referencedAsHandler(context, fn, parent.id);
  return false;
}

function registersHandler(context: Rule.RuleContext, call: ESTree.CallExpression, fn: Node): boolean {
  const callee = unwrap(call.callee as Node);
  if (
    isModuleFunction(context, callee, "http", SERVER_FACTORIES) !== null ||
    isModuleFunction(context, callee, "https", SERVER_FACTORIES) !== null ||
    isModuleFunction(context, callee, "http2", SERVER_FACTORIES) !== null
  ) {
    return true;
  }
  if (callee.type !== "MemberExpression") return false;
  const method = propertyName(callee);
  if (method === "on") {
    const event = call.arguments[0];
    return event?.type === "Literal" && event.value === "request" && call.arguments[1] === fn;
  }
  return method !== null && ROUTE_METHODS.has(method) && hasHandlerParameters(fn);
}

/** `fastify.route({ method, url, handler })`, hapi `server.route({ method, path, handler })`. */
function isRouteOptionsCall(call: ESTree.CallExpression): boolean {
  const callee = unwrap(call.callee as Node);
  return callee.type === "MemberExpression" && propertyName(callee) === "route";
}

function referencedAsHandler(context: Rule.RuleContext, fn: Node, id: ESTree.Identifier): boolean {
  const variable = findVariable(context, id);
  if (!variable) return false;
  return variable.references.some((reference) => {
    const identifier = reference.identifier as Node;
    const parent = identifier.parent;
    return parent?.type === "CallExpression" && parent.arguments.includes(identifier as ESTree.Expression) && registersHandler(context, parent, fn);
  });
}

function parameterNames(fn: Node): string[] {
  return (fn as ESTree.Function).params.map((param) => (param.type === "Identifier" ? param.name.replace(/^_+/, "") : ""));
}

/** `(req, res…)`, `(request, reply…)`, `(err, req, res, next)`. */
function hasRequestAndResponse(fn: Node): boolean {
  const [first = "", second = "", third = ""] = parameterNames(fn);
  if (REQUEST_NAMES.has(first)) return RESPONSE_NAMES.has(second);
  return ERROR_NAMES.has(first) && REQUEST_NAMES.has(second) && RESPONSE_NAMES.has(third);
}

/** Also `(request)` and Koa's `(ctx, next)`, which are handlers only where they are registered as such. */
function hasHandlerParameters(fn: Node): boolean {
  const names = parameterNames(fn);
  const [first = ""] = names;
  if (hasRequestAndResponse(fn)) return true;
  return (REQUEST_NAMES.has(first) && names.length === 1) || (first === "ctx" && names.length <= 2);
}

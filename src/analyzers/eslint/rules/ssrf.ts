import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { memberPath, unwrap, type Node } from "../ast.js";
import { enclosingFunctionText, requestInput } from "./request-data.js";

/** HTTP clients by the name they are called through: `fetch(url)`, `axios.get(url)`, `got(url)`, `http.get(url)`… */
const CLIENT_FUNCTIONS = new Set(["fetch", "axios", "got", "request", "needle", "ky", "superagent", "undici"]);
const CLIENT_OBJECTS = new Set(["axios", "got", "request", "needle", "ky", "superagent", "undici", "http", "https", "fetch"]);
const CLIENT_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "request", "stream", "fetch"]);
/** Checks that confine where the server connects (an allow-list, a private-address check): their presence is taken as the fix. */
const HOST_CHECK = /\b(?:allowedHosts|ALLOWED_HOSTS|allowlist|allowList|isPrivate|isLoopback|ipaddr|isAllowedHost)\b/;

/**
 * A request-derived URL passed to an HTTP client: the server fetches what
 * the client chose, reaching internal services and cloud metadata. A URL
 * that starts with a fixed origin (`` `https://api.example.com/${id}` ``) is
 * not reported; nor are functions that check the host.
 */
export const ssrfRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Server-side request to a URL from the request" } },
  create(context) {
    return {
      CallExpression(call: ESTree.CallExpression) {
        const client = clientName(call);
        if (client === null) return;
        // `needle("get", url)`: the URL is the second argument.
        const target = client === "needle" ? call.arguments[1] : call.arguments[0];
        if (!target || target.type === "SpreadElement") return;
        const url = target.type === "ObjectExpression" ? urlProperty(target) : (target as Node);
        if (!url) return;
        const source = requestInput(context, url, true);
        if (source === null || HOST_CHECK.test(enclosingFunctionText(context, call as Node))) return;
        context.report({ node: target, message: `\`${client}()\` fetches a URL taken from \`${source}\`` });
      },
    };
  },
};

function clientName(call: ESTree.CallExpression): string | null {
  const callee = unwrap(call.callee as Node);
  if (callee.type === "Identifier") return CLIENT_FUNCTIONS.has(callee.name) ? callee.name : null;
  const path = memberPath(callee);
  if (!path || path.length !== 2) return null;
  const [object, method] = path as [string, string];
  return CLIENT_OBJECTS.has(object) && CLIENT_METHODS.has(method) ? `${object}.${method}` : null;
}

/** `axios({ url })`, `request({ uri })`. */
function urlProperty(options: ESTree.ObjectExpression): Node | null {
  for (const property of options.properties) {
    if (property.type === "Property" && property.key.type === "Identifier" && /^(?:url|uri|baseURL|href)$/.test(property.key.name))
      return property.value as Node;
  }
  return null;
}

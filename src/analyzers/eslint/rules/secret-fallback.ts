import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { assignedName, calleeName, memberPath, staticString, unwrap, type Node } from "../ast.js";
import { isCredentialName } from "./hardcoded-credentials.js";

const TEST_FILE = /(^|\/)(__tests__|__mocks__|test|tests|spec|fixtures?)\/|\.(test|spec)\.[cm]?[jt]sx?$/;
/** Calls whose secret argument signs or verifies sessions and tokens. */
const SIGNING_CALLS: Readonly<Record<string, number>> = { sign: 1, verify: 1, cookieParser: 0, createHmac: 1 };

/**
 * Secrets that sign sessions and tokens, hard-coded where
 * `hardcoded-credentials` does not look: as the fallback of an environment
 * variable (`process.env.JWT_SECRET || "dev-secret"`, which silently becomes
 * the production secret when the variable is missing, placeholder or not),
 * and as the literal argument of `jwt.sign`/`jwt.verify`/`cookieParser`.
 */
export const secretFallbackRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Signing secret with a hard-coded value" } },
  create(context) {
    if (TEST_FILE.test(context.filename.replace(/\\/g, "/"))) return {};
    return {
      LogicalExpression(node: ESTree.LogicalExpression) {
        if (node.operator !== "||" && node.operator !== "??") return;
        const fallback = staticString(node.right as Node);
        if (fallback === null || fallback === "" || !readsEnvironment(node.left as Node)) return;
        const name = assignedName(outermost(node) as Node);
        if (name === null || !isCredentialName(name)) return;
        context.report({ node: node.right, message: `\`${name}\` falls back to a hard-coded value when the environment variable is missing` });
      },
      CallExpression(call: ESTree.CallExpression) {
        const name = calleeName(call);
        const at = name === null ? undefined : SIGNING_CALLS[name];
        if (at === undefined) return;
        // `jwt.sign`, `jsonwebtoken.verify`, `crypto.createHmac(alg, key)`, `cookieParser(secret)`.
        const owner = call.callee.type === "MemberExpression" ? (memberPath(call.callee.object as Node) ?? []).join(".") : "";
        if (name !== "cookieParser" && !/^(?:jwt|jsonwebtoken|JWT|crypto)$/.test(owner)) return;
        const secret = call.arguments[at];
        if (!secret || secret.type === "SpreadElement") return;
        const value = staticString(secret as Node);
        if (value === null || value === "") return;
        context.report({ node: secret, message: `\`${owner ? `${owner}.` : ""}${name}()\` is given a hard-coded secret` });
      },
    };
  },
};

function readsEnvironment(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "LogicalExpression") return readsEnvironment(n.left as Node) || readsEnvironment(n.right as Node);
  const path = n.type === "MemberExpression" ? memberPath(n) : null;
  return path !== null && ((path[0] === "process" && path[1] === "env") || (path[0] === "import" && path[1] === "meta" && path[2] === "env"));
}

/** `a || b || "x"` parses as `(a || b) || "x"`; the name belongs to the whole chain. */
function outermost(node: ESTree.LogicalExpression): Node {
  let current = node as Node;
  const wrappers = new Set<string>(["LogicalExpression", "TSAsExpression", "TSNonNullExpression", "TSSatisfiesExpression"]);
  while (current.parent && wrappers.has(current.parent.type)) current = current.parent as Node;
  return current;
}

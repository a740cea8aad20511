import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { memberPath, propertyName, staticString, unwrap, type Node } from "../ast.js";

/** The same pattern the template/text rules use for non-JavaScript files. */
/** A setting, not a mention: not inside backticks (docs, messages) and not part of a longer name. */
export const TLS_ENV_TEXT = /(?<![`\w$.])NODE_TLS_REJECT_UNAUTHORIZED(?:\s*[=:]\s*|\s+)["']?0["']?(?![\w.`])/;
const VERIFY_OPTIONS = new Set(["rejectUnauthorized", "strictSSL"]);

/**
 * TLS certificate checks switched off: `rejectUnauthorized: false`,
 * `strictSSL: false`, `process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0"`, an
 * env object with `NODE_TLS_REJECT_UNAUTHORIZED: "0"`, or a command string
 * that sets it. Any on-path attacker can then read and change the traffic.
 */
export const tlsVerificationDisabledRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "TLS certificate verification disabled" } },
  create(context) {
    const report = (node: ESTree.Node, what: string): void => context.report({ node, message: `TLS certificate verification disabled (${what})` });
    return {
      Property(property: ESTree.Property) {
        const name = propertyName(property);
        if (name !== null && VERIFY_OPTIONS.has(name) && isFalse(property.value as Node)) report(property, `\`${name}: false\``);
        if (name === "NODE_TLS_REJECT_UNAUTHORIZED" && isZero(property.value as Node)) report(property, "`NODE_TLS_REJECT_UNAUTHORIZED=0`");
      },
      AssignmentExpression(assignment: ESTree.AssignmentExpression) {
        const target = unwrap(assignment.left as Node);
        if (target.type !== "MemberExpression") return;
        const name = propertyName(target);
        if (name !== null && VERIFY_OPTIONS.has(name) && isFalse(assignment.right as Node)) report(assignment, `\`${name} = false\``);
        const path = memberPath(target);
        const isEnv = path?.length === 3 && path[0] === "process" && path[1] === "env";
        if (isEnv && name === "NODE_TLS_REJECT_UNAUTHORIZED" && isZero(assignment.right as Node)) report(assignment, "`NODE_TLS_REJECT_UNAUTHORIZED=0`");
      },
      Literal(node: ESTree.Literal) {
        if (typeof node.value === "string" && TLS_ENV_TEXT.test(node.value) && !isEnvPropertyKey(node as Node))
          report(node, "`NODE_TLS_REJECT_UNAUTHORIZED=0`");
      },
      TemplateElement(node: ESTree.TemplateElement) {
        if (TLS_ENV_TEXT.test(node.value.cooked ?? node.value.raw)) report(node, "`NODE_TLS_REJECT_UNAUTHORIZED=0`");
      },
    };
  },
};

function isFalse(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "Literal") return n.value === false || n.value === 0;
  // `!1`, a minifier's spelling of false.
  return n.type === "UnaryExpression" && n.operator === "!" && n.argument.type === "Literal" && Boolean(n.argument.value);
}

function isZero(node: Node): boolean {
  const n = unwrap(node);
  return (n.type === "Literal" && n.value === 0) || staticString(n)?.trim() === "0";
}

function isEnvPropertyKey(node: Node): boolean {
  return node.parent?.type === "Property" && node.parent.key === node;
}

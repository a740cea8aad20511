import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { memberPath, nameWords, propertyName, unwrap, type Node } from "../ast.js";

const LOGGERS = new Set([
  "console",
  "logger",
  "log",
  "logging",
  "pino",
  "winston",
  "bunyan",
  "fastify.log",
  "req.log",
  "request.log",
  "this.logger",
  "this.log",
  "ctx.log",
  "app.log",
]);
const LEVELS = new Set(["log", "info", "debug", "warn", "error", "trace", "fatal", "verbose"]);
/** The last words of a name that hold a secret (`password`, `user.apiKey`, `accessToken`, `cardNumber`). */
const SECRET_ENDINGS: readonly (readonly string[])[] = [
  ["password"],
  ["passwd"],
  ["passphrase"],
  ["secret"],
  ["token"],
  ["api", "key"],
  ["apikey"],
  ["private", "key"],
  ["credentials"],
  ["card", "number"],
  ["cvv"],
  ["ssn"],
  ["authorization"],
  ["cookie"],
];

/**
 * A password, token, secret or card number passed as a value to a logger
 * (`console.log("login", password)`, `` logger.info(`token ${token}`) ``,
 * `log.debug({ user, password })`, `logger.info(req.headers.authorization)`).
 * Names about a secret that are not it (`tokenCount`, `passwordLength`,
 * `hasToken`) are not reported.
 */
export const sensitiveLogRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Sensitive value written to a log" } },
  create(context) {
    return {
      CallExpression(call: ESTree.CallExpression) {
        if (!isLogCall(call)) return;
        for (const arg of call.arguments) {
          const name = sensitiveValue(arg as Node);
          if (name === null) continue;
          context.report({ node: arg, message: `\`${name}\` is written to the log` });
          return;
        }
      },
    };
  },
};

function isLogCall(call: ESTree.CallExpression): boolean {
  const callee = unwrap(call.callee as Node);
  if (callee.type !== "MemberExpression") return false;
  const method = propertyName(callee);
  const path = memberPath(callee.object as Node);
  return method !== null && LEVELS.has(method) && path !== null && LOGGERS.has(path.join("."));
}

function sensitiveValue(node: Node): string | null {
  const n = unwrap(node);
  if (n.type === "Identifier") return isSecretName(n.name) ? n.name : null;
  if (n.type === "MemberExpression") {
    const name = propertyName(n);
    return name !== null && isSecretName(name) ? (memberPath(n) ?? [name]).join(".") : null;
  }
  if (n.type === "TemplateLiteral") {
    for (const expression of n.expressions) {
      const found = sensitiveValue(expression as Node);
      if (found !== null) return found;
    }
    return null;
  }
  if (n.type === "BinaryExpression" && n.operator === "+") return sensitiveValue(n.left as Node) ?? sensitiveValue(n.right as Node);
  if (n.type === "ObjectExpression") {
    for (const property of n.properties) {
      if (property.type !== "Property") continue;
      // `{ password }`, `{ token: session.token }`; `{ hasToken: … }` and redaction markers are not the value.
      const found = sensitiveValue(property.value as Node);
      if (found !== null) return found;
    }
  }
  return null;
}

function isSecretName(name: string): boolean {
  const words = nameWords(name);
  return SECRET_ENDINGS.some((ending) => ending.length <= words.length && ending.every((word, i) => words[words.length - ending.length + i] === word));
}

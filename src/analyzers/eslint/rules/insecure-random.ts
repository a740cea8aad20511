import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { memberPath, nameWords, type Node } from "../ast.js";
import { purposeName } from "./naming-context.js";

/** Names whose values must be unguessable. */
const SECRET_WORDS = new Set([
  "token",
  "secret",
  "nonce",
  "password",
  "passwd",
  "salt",
  "otp",
  "csrf",
  "apikey",
  "session",
  "sid",
  "auth",
  "key",
  "code",
  "verifier",
]);
/** Identifiers: guessable ids are a problem only when they also grant access, so they are reported with lower confidence. */
const ID_WORDS = new Set(["id", "uuid", "guid", "identifier"]);
/** Ids for logs, tracing and the DOM: predictable values are harmless there. */
const HARMLESS_ID_OWNERS = new Set([
  "request",
  "req",
  "log",
  "trace",
  "span",
  "correlation",
  "element",
  "dom",
  "html",
  "component",
  "temp",
  "tmp",
  "mock",
  "debug",
  "animation",
  "frame",
  "timer",
  "render",
  "instance",
  "client",
  "node",
  "message",
  "msg",
  "input",
  "label",
  "field",
  "form",
]);
/** `key` alone is usually a React list key or a cache key, not a secret. */
const KEY_ONLY_WITH = new Set(["api", "secret", "private", "access", "auth", "signing", "encryption"]);

/**
 * `Math.random()` is not a cryptographic generator; its output can be
 * predicted from a few observed values. Reported when the value is stored
 * under (or returned by a function named for) a token, secret, nonce,
 * password or id.
 */
export const insecureRandomRule: Rule.RuleModule = {
  meta: {
    type: "problem",
    schema: [],
    docs: { description: "Math.random() used for secrets or ids" },
    messages: {
      secret: "`Math.random()` generates a secret value (`{{name}}`)",
      identifier: "`Math.random()` generates an identifier (`{{name}}`)",
    },
  },
  create(context) {
    return {
      CallExpression(call: ESTree.CallExpression) {
        const path = memberPath(call.callee as Node);
        if (path?.length !== 2 || path[0] !== "Math" || path[1] !== "random") return;
        const name = purposeName(call as Node);
        if (name === null) return;
        const words = nameWords(name);
        const secret = words.some(
          (word, i) => SECRET_WORDS.has(word) && (word !== "key" || (i > 0 && KEY_ONLY_WITH.has(words[i - 1]!))) && (word !== "code" || i > 0),
        );
        if (secret) context.report({ node: call, messageId: "secret", data: { name } });
        else if (words.some((word) => ID_WORDS.has(word)) && !words.some((word) => HARMLESS_ID_OWNERS.has(word)))
          context.report({ node: call, messageId: "identifier", data: { name } });
      },
    };
  },
};

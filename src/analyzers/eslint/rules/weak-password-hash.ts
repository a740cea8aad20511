import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { isModuleFunction, nameWords, staticString, type Node } from "../ast.js";
import { chainedArgumentText, purposeName } from "./naming-context.js";

const WEAK_ALGORITHMS = new Set(["md5", "md4", "sha1", "sha-1", "ripemd160"]);
const PASSWORD_WORDS = new Set(["password", "passwords", "passwd", "pwd", "passphrase", "pass"]);

/**
 * `createHash("md5" | "sha1")` applied to a password: fast unsalted hashes
 * are brute-forced at billions of guesses per second. Only reported when the
 * hashed data or the surrounding names mention a password, because MD5/SHA-1
 * remain fine for checksums and cache keys.
 */
export const weakPasswordHashRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Fast hash used for passwords" } },
  create(context) {
    return {
      CallExpression(call: ESTree.CallExpression) {
        if (isModuleFunction(context, call.callee as Node, "crypto", new Set(["createHash"])) === null) return;
        const first = call.arguments[0];
        const algorithm = first && first.type !== "SpreadElement" ? staticString(first as Node)?.toLowerCase() : undefined;
        if (algorithm === undefined || !WEAK_ALGORITHMS.has(algorithm)) return;
        const hashed = nameWords(chainedArgumentText(context, call as Node));
        const purpose = nameWords(purposeName(call as Node) ?? "");
        if (![...hashed, ...purpose].some((word) => PASSWORD_WORDS.has(word))) return;
        context.report({ node: call, message: `Password hashed with fast, unsalted ${algorithm.toUpperCase()}` });
      },
    };
  },
};

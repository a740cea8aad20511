import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { findCatastrophicBacktracking } from "../../regex/catastrophic-backtracking.js";
import { staticString, unwrap, type Node } from "../ast.js";

/**
 * Regular expressions with nested quantifiers that backtrack exponentially on
 * crafted input (ReDoS): regex literals and `RegExp("…")` with literal text.
 */
export const unsafeRegexRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Regular expression with catastrophic backtracking" } },
  create(context) {
    const check = (node: ESTree.Node, pattern: string, flags: string): void => {
      const risk = findCatastrophicBacktracking(pattern, flags);
      if (risk === null) return;
      const fragment = risk.fragment.length > 60 ? `${risk.fragment.slice(0, 59)}…` : risk.fragment;
      context.report({ node, message: `Regular expression can backtrack catastrophically on \`${fragment}\`` });
    };
    const checkConstructor = (node: ESTree.CallExpression | ESTree.NewExpression): void => {
      const callee = unwrap(node.callee as Node);
      if (callee.type !== "Identifier" || callee.name !== "RegExp") return;
      const [source, flags] = node.arguments;
      const pattern = source && source.type !== "SpreadElement" ? staticString(source as Node) : null;
      if (pattern === null) return;
      const flagText = flags && flags.type !== "SpreadElement" ? staticString(flags as Node) : "";
      check(node, pattern, flagText ?? "");
    };
    return {
      Literal(node: ESTree.Literal) {
        if ("regex" in node && node.regex) check(node, node.regex.pattern, node.regex.flags);
      },
      CallExpression: checkConstructor,
      NewExpression: checkConstructor,
    };
  },
};

import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { isModuleFunction, isStaticValue, singleInitializer, snippet, unwrap, type Node } from "../ast.js";

const SHELL_FUNCTIONS = new Set(["exec", "execSync"]);

/**
 * `child_process.exec`/`execSync` run their command through a shell, so any
 * run-time value in the command string can inject shell syntax. Also follows
 * `const run = promisify(exec)` once.
 */
export const commandInjectionRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Shell command built from run-time values" } },
  create(context) {
    return {
      CallExpression(call: ESTree.CallExpression) {
        const name = shellFunction(context, call.callee as Node);
        if (name === null) return;
        const command = call.arguments[0];
        if (!command || command.type === "SpreadElement" || isStaticValue(command as Node)) return;
        context.report({
          node: command,
          message: `Shell command passed to \`${name}()\` is built from run-time data: \`${snippet(context, command as Node)}\``,
        });
      },
    };
  },
};

function shellFunction(context: Rule.RuleContext, callee: Node): string | null {
  const direct = isModuleFunction(context, callee, "child_process", SHELL_FUNCTIONS);
  if (direct !== null) return direct;
  const target = unwrap(callee);
  if (target.type !== "Identifier") return null;
  const init = singleInitializer(context, target);
  if (!init) return null;
  const wrapped = unwrap(init);
  if (wrapped.type !== "CallExpression" || wrapped.arguments.length !== 1) return null;
  const wrapper = unwrap(wrapped.callee as Node);
  const isPromisify =
    (wrapper.type === "Identifier" && wrapper.name === "promisify") ||
    (wrapper.type === "MemberExpression" && !wrapper.computed && wrapper.property.type === "Identifier" && wrapper.property.name === "promisify");
  if (!isPromisify) return null;
  const inner = isModuleFunction(context, wrapped.arguments[0] as Node, "child_process", SHELL_FUNCTIONS);
  return inner === null ? null : `promisify(${inner})`;
}

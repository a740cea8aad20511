import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { isModuleFunction, isStaticValue, memberPath, snippet, unwrap, type Node } from "../ast.js";

const VM_FUNCTIONS = new Set(["runInThisContext", "runInNewContext", "runInContext", "compileFunction"]);
const GLOBAL_OBJECTS = new Set(["window", "globalThis", "global", "self"]);

/**
 * Code compiled from a run-time string: `eval(x)`, `new Function(x)`,
 * `vm.runIn*Context(x)`, `new vm.Script(x)`. Literal code is not reported.
 */
export const dynamicCodeExecutionRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Code compiled from run-time strings" } },
  create(context) {
    const check = (node: ESTree.CallExpression | ESTree.NewExpression): void => {
      const sink = sinkName(context, node);
      if (sink === null) return;
      // `Function("a", "b", body)` compiles every argument; `vm.runInContext(code, ctx)` only the first.
      const compiled = sink === "new Function()" || sink === "Function()" ? node.arguments : node.arguments.slice(0, 1);
      const dynamic = compiled.find((arg) => arg.type === "SpreadElement" || !isStaticValue(arg as Node));
      if (!dynamic) return;
      context.report({ node, message: `\`${sink}\` compiles code from run-time data: \`${snippet(context, dynamic as Node)}\`` });
    };
    return { CallExpression: check, NewExpression: check };
  },
};

function sinkName(context: Rule.RuleContext, node: ESTree.CallExpression | ESTree.NewExpression): string | null {
  const callee = unwrap(node.callee as Node);
  const path = memberPath(callee);
  if (path) {
    const last = path[path.length - 1]!;
    const isGlobal = path.length === 1 || (path.length === 2 && GLOBAL_OBJECTS.has(path[0]!));
    if (isGlobal && last === "eval" && node.type === "CallExpression") return "eval()";
    if (isGlobal && last === "Function") return node.type === "NewExpression" ? "new Function()" : "Function()";
  }
  if (node.type === "NewExpression") {
    return isModuleFunction(context, callee, "vm", new Set(["Script"])) === null ? null : "new vm.Script()";
  }
  const vmFunction = isModuleFunction(context, callee, "vm", VM_FUNCTIONS);
  return vmFunction === null ? null : `vm.${vmFunction}()`;
}

import type { Rule, Scope } from "eslint";
import type * as ESTree from "estree";
import { redactTokenShapes } from "../../redact/redact.js";

/**
 * ESTree helpers shared by Longview's rules. They work on both espree and
 * typescript-estree trees: TypeScript-only wrapper nodes (`x as T`, `x!`,
 * `x satisfies T`, `<T>x`) are looked through, never required.
 */

export type Node = ESTree.Node & { parent?: Node };

const TS_WRAPPERS = new Set(["TSAsExpression", "TSNonNullExpression", "TSSatisfiesExpression", "TSTypeAssertion", "ChainExpression"]);

/** The expression under TypeScript type wrappers and optional chains. */
export function unwrap(node: Node): Node {
  let current = node;
  while (TS_WRAPPERS.has(current.type as string)) current = (current as unknown as { expression: Node }).expression;
  return current;
}

/** The string a node always evaluates to, or null when it depends on run-time data. */
export function staticString(node: Node): string | null {
  const n = unwrap(node);
  if (n.type === "Literal") return typeof n.value === "string" ? n.value : null;
  if (n.type === "TemplateLiteral") return n.expressions.length === 0 ? (n.quasis[0]?.value.cooked ?? null) : null;
  if (n.type === "BinaryExpression" && n.operator === "+") {
    const left = staticString(n.left as Node);
    const right = staticString(n.right as Node);
    return left !== null && right !== null ? left + right : null;
  }
  return null;
}

/** True when the value is fixed in the source (literals and operators over them). */
export function isStaticValue(node: Node): boolean {
  const n = unwrap(node);
  switch (n.type) {
    case "Literal":
      return true;
    case "TemplateLiteral":
      return n.expressions.every((e) => isStaticValue(e as Node));
    case "UnaryExpression":
      return isStaticValue(n.argument as Node);
    case "BinaryExpression":
      return n.left.type !== "PrivateIdentifier" && isStaticValue(n.left as Node) && isStaticValue(n.right as Node);
    case "Identifier":
      return n.name === "undefined";
    default:
      return false;
  }
}

/** `a.b`, `a["b"]` → "b"; `a[b]` → null. */
export function propertyName(member: ESTree.MemberExpression | ESTree.Property | ESTree.PropertyDefinition | ESTree.MethodDefinition): string | null {
  const key = member.type === "MemberExpression" ? member.property : member.key;
  if (!member.computed) {
    if (key.type === "Identifier") return key.name;
    if (key.type === "PrivateIdentifier") return key.name;
    if (key.type === "Literal") return String(key.value);
    return null;
  }
  return staticString(key as Node);
}

/** `a.b.c` → ["a", "b", "c"]; `this.x` → ["this", "x"]; dynamic parts become "*". */
export function memberPath(node: Node): string[] | null {
  const n = unwrap(node);
  if (n.type === "Identifier") return [n.name];
  if (n.type === "ThisExpression") return ["this"];
  if (n.type === "MemberExpression") {
    const object = memberPath(n.object as Node);
    return object ? [...object, propertyName(n) ?? "*"] : null;
  }
  return null;
}

/** The called name: `f()` → "f", `a.b.f()` → "f". */
export function calleeName(call: ESTree.CallExpression | ESTree.NewExpression): string | null {
  const callee = unwrap(call.callee as Node);
  if (callee.type === "Identifier") return callee.name;
  if (callee.type === "MemberExpression") return propertyName(callee);
  return null;
}

/** `apiKey`, `API_KEY`, `api-key` → ["api", "key"]. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== "")
    .map((word) => word.toLowerCase());
}

/** The name a value is stored under: `const x = v`, `o.x = v`, `{ x: v }`, `x = v`, class field `x = v`. */
export function assignedName(node: Node): string | null {
  const parent = node.parent;
  if (!parent) return null;
  switch (parent.type) {
    case "VariableDeclarator":
      return parent.init === node && parent.id.type === "Identifier" ? parent.id.name : null;
    case "AssignmentExpression": {
      if (parent.right !== node) return null;
      const target = unwrap(parent.left as Node);
      if (target.type === "Identifier") return target.name;
      return target.type === "MemberExpression" ? propertyName(target) : null;
    }
    case "Property":
      return parent.value === node ? propertyName(parent) : null;
    case "PropertyDefinition":
      return parent.value === node ? propertyName(parent) : null;
    default:
      return null;
  }
}

/** The name of a function node: declarations, `const f = () => …`, methods and object properties. */
export function functionName(fn: Node): string | null {
  if ((fn.type === "FunctionDeclaration" || fn.type === "FunctionExpression") && fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === "MethodDefinition") return propertyName(parent);
  return assignedName(fn);
}

export function isFunction(node: Node): boolean {
  return node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression";
}

/** Finds the variable an identifier refers to, walking up from the scope the node is in. */
export function findVariable(context: Rule.RuleContext, identifier: ESTree.Identifier): Scope.Variable | null {
  let scope: Scope.Scope | null = context.sourceCode.getScope(identifier);
  while (scope) {
    const variable = scope.set.get(identifier.name);
    if (variable) return variable;
    scope = scope.upper;
  }
  return null;
}

/** The initializer of a variable declared once (`const q = …`, or a `let` never reassigned). */
export function singleInitializer(context: Rule.RuleContext, identifier: ESTree.Identifier): Node | null {
  const variable = findVariable(context, identifier);
  if (!variable || variable.defs.length !== 1) return null;
  const def = variable.defs[0]!;
  if (def.type !== "Variable" || def.node.id.type !== "Identifier" || !def.node.init) return null;
  return def.node.init as Node;
}

/** Values written to a variable after its declaration (`x = …`, `x += …`). */
export function laterWrites(context: Rule.RuleContext, identifier: ESTree.Identifier): Node[] {
  const variable = findVariable(context, identifier);
  if (!variable) return [];
  const writes: Node[] = [];
  for (const reference of variable.references) {
    const parent = (reference.identifier as Node).parent;
    if (reference.isWrite() && parent?.type === "AssignmentExpression") writes.push(parent as Node);
  }
  return writes;
}

/** Where an identifier's value comes from when it is bound to a Node module. */
export interface ModuleBinding {
  /** Module name without the `node:` prefix. */
  readonly module: string;
  /** The exported name (`exec`), or "*" for the module object itself. */
  readonly imported: string;
}

/** Resolves `import x from "m"`, `import { y as x } from "m"`, `const x = require("m")`, `const { y: x } = require("m")`, `const x = require("m").y`. */
export function moduleBinding(context: Rule.RuleContext, identifier: ESTree.Identifier): ModuleBinding | null {
  const variable = findVariable(context, identifier);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (!def) return null;
  if (def.type === "ImportBinding") {
    const declaration = def.parent as ESTree.ImportDeclaration;
    const module = normalizeModule(String(declaration.source.value));
    const specifier = def.node;
    if (specifier.type === "ImportSpecifier") {
      const imported = specifier.imported.type === "Identifier" ? specifier.imported.name : String(specifier.imported.value);
      return { module, imported: imported === "default" ? "*" : imported };
    }
    return { module, imported: "*" };
  }
  if (def.type !== "Variable" || !def.node.init) return null;
  const init = unwrap(def.node.init as Node);
  const id = def.node.id;
  if (id.type === "Identifier") {
    const required = requiredModule(init);
    if (required) return { module: required, imported: "*" };
    if (init.type === "MemberExpression") {
      const object = requiredModule(init.object as Node);
      const name = propertyName(init);
      if (object && name) return { module: object, imported: name };
    }
    return null;
  }
  if (id.type === "ObjectPattern") {
    const required = requiredModule(init);
    if (!required) return null;
    for (const property of id.properties) {
      if (property.type !== "Property") continue;
      const value = property.value.type === "AssignmentPattern" ? property.value.left : property.value;
      if (value.type === "Identifier" && value.name === identifier.name) {
        const name = propertyName(property);
        return name ? { module: required, imported: name } : null;
      }
    }
  }
  return null;
}

/** `require("m")` → "m" (without `node:`). */
export function requiredModule(node: Node): string | null {
  const n = unwrap(node);
  if (n.type !== "CallExpression" || n.callee.type !== "Identifier" || n.callee.name !== "require") return null;
  const first = n.arguments[0];
  const name = first ? staticString(first as Node) : null;
  return name === null ? null : normalizeModule(name);
}

function normalizeModule(name: string): string {
  return name.startsWith("node:") ? name.slice("node:".length) : name;
}

/**
 * Whether a call's callee is `name` exported by `module`: `m.name(…)`,
 * `require("m").name(…)`, or `name(…)` imported from it.
 */
export function isModuleFunction(context: Rule.RuleContext, callee: Node, module: string, names: ReadonlySet<string>): string | null {
  const target = unwrap(callee);
  if (target.type === "Identifier") {
    const binding = moduleBinding(context, target);
    return binding?.module === module && names.has(binding.imported) ? binding.imported : null;
  }
  if (target.type !== "MemberExpression") return null;
  const name = propertyName(target);
  if (name === null || !names.has(name)) return null;
  const object = unwrap(target.object as Node);
  if (requiredModule(object) === module) return name;
  if (object.type === "Identifier") {
    const binding = moduleBinding(context, object);
    if (binding?.module === module && binding.imported === "*") return name;
  }
  return null;
}

/** Reports at the node's first line only: findings are single-line unless a fix says otherwise. */
export function reportAt(context: Rule.RuleContext, node: Node, message: string): void {
  context.report({ node: node as ESTree.Node, message });
}

/** Source text, shortened for messages; token shapes are redacted before shortening so no partial token survives. */
export function snippet(context: Rule.RuleContext, node: Node, max = 60): string {
  const text = redactTokenShapes(context.sourceCode.getText(node as ESTree.Node).replace(/\s+/g, " "));
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

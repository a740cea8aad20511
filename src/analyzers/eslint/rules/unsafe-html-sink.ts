import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { calleeName, isStaticValue, propertyName, snippet, unwrap, type Node } from "../ast.js";

const HTML_PROPERTIES = new Set(["innerHTML", "outerHTML"]);
/** Calls whose result is meant to be safe HTML (DOMPurify.sanitize, sanitizeHtml, xss, escapeHtml…). */
const SANITIZER = /sanitiz|purif|escape|xss|encode/i;

interface JsxAttribute {
  readonly type: "JSXAttribute";
  readonly name: { readonly type: string; readonly name?: string };
  readonly value: { readonly type: string; readonly expression?: Node } | null;
}

/**
 * Non-literal HTML written into the DOM: `el.innerHTML = x`, `outerHTML`,
 * `insertAdjacentHTML(pos, x)` and React's `dangerouslySetInnerHTML={{ __html: x }}`.
 * Values passed through a sanitizer call are not reported.
 */
export const unsafeHtmlSinkRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Unescaped HTML written to the DOM" } },
  create(context) {
    const isUnsafe = (value: Node): boolean => !isStaticValue(value) && !isSanitized(value);
    return {
      AssignmentExpression(assignment: ESTree.AssignmentExpression) {
        const target = unwrap(assignment.left as Node);
        if (target.type !== "MemberExpression") return;
        const name = propertyName(target);
        if (name === null || !HTML_PROPERTIES.has(name) || !isUnsafe(assignment.right as Node)) return;
        context.report({ node: assignment, message: `\`${name}\` is set from non-literal HTML: \`${snippet(context, assignment.right as Node)}\`` });
      },
      CallExpression(call: ESTree.CallExpression) {
        if (calleeName(call) !== "insertAdjacentHTML" || unwrap(call.callee as Node).type !== "MemberExpression") return;
        const html = call.arguments[1];
        if (!html || html.type === "SpreadElement" || !isUnsafe(html as Node)) return;
        context.report({ node: call, message: `\`insertAdjacentHTML\` inserts non-literal HTML: \`${snippet(context, html as Node)}\`` });
      },
      JSXAttribute(node: Rule.Node) {
        const attribute = node as unknown as JsxAttribute;
        if (attribute.name.type !== "JSXIdentifier" || attribute.name.name !== "dangerouslySetInnerHTML") return;
        const expression = attribute.value?.type === "JSXExpressionContainer" ? attribute.value.expression : undefined;
        if (!expression || expression.type === ("JSXEmptyExpression" as string)) return;
        const html = htmlValue(expression);
        if (html !== null && !isUnsafe(html)) return;
        context.report({ node, message: "`dangerouslySetInnerHTML` renders non-literal HTML" });
      },
    };
  },
};

/** The `__html` value of `{ __html: x }`, or null when the object is not written inline. */
function htmlValue(expression: Node): Node | null {
  const object = unwrap(expression);
  if (object.type !== "ObjectExpression") return null;
  for (const property of object.properties) {
    if (property.type === "Property" && propertyName(property) === "__html") return property.value as Node;
  }
  return null;
}

function isSanitized(value: Node): boolean {
  const n = unwrap(value);
  if (n.type !== "CallExpression") return false;
  const name = calleeName(n);
  return name !== null && SANITIZER.test(name);
}

import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { calleeName, isStaticValue, laterWrites, memberPath, propertyName, reportAt, singleInitializer, staticString, unwrap, type Node } from "../ast.js";

/** Generic method names of SQL clients that run their first argument as SQL; the text must look like SQL. */
const QUERY_METHODS = new Set(["query", "execute", "raw", "unsafe"]);

/** Query-builder methods that only ever take SQL fragments (`whereRaw("a = " + b)` has no SQL keyword to see). */
const SQL_FRAGMENT_METHODS = new Set([
  "whereRaw",
  "orWhereRaw",
  "havingRaw",
  "orderByRaw",
  "groupByRaw",
  "joinRaw",
  "selectRaw",
  "fromRaw",
  "$queryRawUnsafe",
  "$executeRawUnsafe",
]);

const SQL_WORDS =
  /\b(select|insert\s+into|update|delete\s+from|from|where|values|order\s+by|group\s+by|join|drop\s+table|create\s+table|alter\s+table|truncate|union|limit|set)\b/i;

/**
 * SQL text assembled from strings and run-time values (`"… WHERE id = " + id`,
 * `` `… ${id}` ``) and passed to a query call. Parameterized queries and
 * tagged templates (`sql\`…\``) are not reported.
 */
export const sqlInjectionRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "SQL built from strings and run-time values" } },
  create(context) {
    return {
      CallExpression(call: ESTree.CallExpression) {
        const callee = unwrap(call.callee as Node);
        // `db.query(…)`, or a bare `query(…)` / `execute(…)` helper imported from a data layer.
        const method = callee.type === "MemberExpression" ? propertyName(callee) : callee.type === "Identifier" ? callee.name : null;
        if (method === null) return;
        const isFragment = SQL_FRAGMENT_METHODS.has(method);
        if (!isFragment && !QUERY_METHODS.has(method)) return;
        const first = call.arguments[0];
        if (!first || first.type === "SpreadElement") return;
        if (!buildsSqlDynamically(context, first as Node, isFragment ? () => true : looksLikeSql)) return;
        reportAt(context, first as Node, `SQL query built from run-time values is passed to \`${callee.type === "MemberExpression" ? "." : ""}${method}()\``);
      },
    };
  },
};

type SqlTest = (text: string) => boolean;

function buildsSqlDynamically(context: Rule.RuleContext, node: Node, isSql: SqlTest): boolean {
  const n = unwrap(node);
  if (isDynamicSql(context, n, isSql)) return true;
  if (n.type !== "Identifier") return false;
  const init = singleInitializer(context, n);
  if (init && isDynamicSql(context, unwrap(init), isSql)) return true;
  // `let sql = "SELECT …"; sql += " WHERE x = " + x;`
  const initial = init ? staticString(init) : null;
  if (initial !== null && isSql(initial)) {
    return laterWrites(context, n).some((write) => {
      const assignment = write as ESTree.AssignmentExpression;
      if (assignment.operator !== "+=") return false;
      return sqlPieces(assignment.right as Node).some((piece) => piece.kind === "value" && !isSafeSqlValue(context, piece.node, piece.before));
    });
  }
  return false;
}

type SqlPiece = { readonly kind: "text"; readonly text: string } | { readonly kind: "value"; readonly node: Node; readonly before: string };

/** A template with interpolations, a `+` chain or `"…".concat(…)` whose text looks like SQL and that splices in a value not known to be safe. */
function isDynamicSql(context: Rule.RuleContext, node: Node, isSql: SqlTest): boolean {
  let pieces: SqlPiece[];
  if (node.type === "TemplateLiteral" || isStringConcatenation(node)) {
    pieces = sqlPieces(node);
  } else if (node.type === "CallExpression") {
    const callee = unwrap(node.callee as Node);
    if (callee.type !== "MemberExpression" || propertyName(callee) !== "concat") return false;
    pieces = [...sqlPieces(callee.object as Node), ...node.arguments.flatMap((arg) => sqlPieces(arg as Node))];
  } else {
    return false;
  }
  const text = pieces.map((piece) => (piece.kind === "text" ? piece.text : " ")).join("");
  return isSql(text) && pieces.some((piece) => piece.kind === "value" && !isSafeSqlValue(context, piece.node, piece.before));
}

/** Flattens string concatenation and templates into literal text and spliced values (with the text just before each). */
function sqlPieces(node: Node): SqlPiece[] {
  const n = unwrap(node);
  const fixed = staticString(n);
  if (fixed !== null) return [{ kind: "text", text: fixed }];
  if (isStringConcatenation(n) && n.type === "BinaryExpression") {
    return withContext([...sqlPieces(n.left as Node), ...sqlPieces(n.right as Node)]);
  }
  if (n.type === "TemplateLiteral") {
    const pieces: SqlPiece[] = [];
    n.quasis.forEach((quasi, i) => {
      pieces.push({ kind: "text", text: quasi.value.cooked ?? quasi.value.raw });
      const expression = n.expressions[i];
      if (expression) pieces.push(...sqlPieces(expression as Node));
    });
    return withContext(pieces);
  }
  return [{ kind: "value", node: n, before: "" }];
}

/** `"a" + x` or `` `…` + x ``, not arithmetic like `i + 1`. */
function isStringConcatenation(node: Node): boolean {
  const n = unwrap(node);
  if (n.type === "Literal") return typeof n.value === "string";
  if (n.type === "TemplateLiteral") return true;
  return (
    n.type === "BinaryExpression" &&
    n.operator === "+" &&
    n.left.type !== "PrivateIdentifier" &&
    (isStringConcatenation(n.left as Node) || isStringConcatenation(n.right as Node))
  );
}

function withContext(pieces: SqlPiece[]): SqlPiece[] {
  let text = "";
  return pieces.map((piece) => {
    if (piece.kind === "text") {
      text += piece.text;
      return piece;
    }
    const before = text;
    text += " ";
    return { ...piece, before };
  });
}

const SAFE_CALL = /escape|quote|sanitiz|placeholder|identifier/i;
const SAFE_NAME = /^(?:quoted|escaped|safe|sanitized)|placeholders?$/i;
const CONSTANT_NAME = /^[A-Z][A-Z0-9_]*$/;

/**
 * Values that cannot carry injected SQL: parameter numbers (`$${i}`),
 * constants (`TABLE`, `TABLES.users`, a local string constant), lengths,
 * escaping/quoting helpers and placeholder lists (`ids.map(() => "?").join()`).
 */
function isSafeSqlValue(context: Rule.RuleContext, node: Node, before: string): boolean {
  if (before.endsWith("$")) return true;
  if (isStaticValue(node)) return true;
  const n = unwrap(node);
  if (n.type === "Identifier") {
    if (CONSTANT_NAME.test(n.name) || SAFE_NAME.test(n.name)) return true;
    const init = singleInitializer(context, n);
    return init !== null && (staticString(init) !== null || isSafeCall(unwrap(init)));
  }
  if (n.type === "MemberExpression") {
    const path = memberPath(n);
    const last = path?.[path.length - 1];
    return path !== null && (CONSTANT_NAME.test(path[0]!) || last === "length" || (last !== undefined && (CONSTANT_NAME.test(last) || SAFE_NAME.test(last))));
  }
  return isSafeCall(n);
}

function isSafeCall(node: Node): boolean {
  if (node.type !== "CallExpression") return false;
  const name = calleeName(node);
  if (name !== null && SAFE_CALL.test(name)) return true;
  return name === "join" && isPlaceholderMap(node);
}

/** `xs.map(() => "?").join(", ")`, `xs.map((_, i) => `$${i + 1}`).join(", ")`. */
function isPlaceholderMap(join: ESTree.CallExpression): boolean {
  const callee = unwrap(join.callee as Node);
  if (callee.type !== "MemberExpression") return false;
  const mapped = unwrap(callee.object as Node);
  if (mapped.type !== "CallExpression" || calleeName(mapped) !== "map") return false;
  const fn = mapped.arguments[0];
  if (!fn || fn.type !== "ArrowFunctionExpression" || fn.body.type === "BlockStatement") return false;
  return sqlPieces(fn.body as Node).every((piece) => piece.kind === "text" || piece.before.endsWith("$"));
}

function looksLikeSql(text: string): boolean {
  return SQL_WORDS.test(text) && /\b(select|insert|update|delete|drop|create|alter|truncate|exec|call|with)\b/i.test(text);
}

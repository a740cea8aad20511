import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { findVariable, memberPath, propertyName, singleInitializer, staticString, unwrap, type Node } from "../ast.js";
import { someDescendant } from "./syntax-walk.js";

/**
 * Recognizes calls that are clearly a database or network round trip, from
 * the shape of the call alone: the method name together with an owner whose
 * name says what it is (`db.query`, `userRepository.findOneBy`,
 * `prisma.user.findUnique`, `axios.get`), SQL text passed to a query
 * function, a knex builder chain, `fetch`, or a function of the same module
 * that does one of these directly. Deliberately narrow: a name alone
 * (`store.get`, `loader.load`) is not enough.
 */

export type RoundTripKind = "sql" | "orm" | "http" | "helper";

export interface RoundTrip {
  readonly kind: RoundTripKind;
  /**
   * The parts of the call that choose what is fetched. A statement taken
   * from the collection itself (`db.query(migration.sql)`) is not among them:
   * running different statements in order is not an N+1.
   */
  readonly selectors: readonly Node[];
  /** A SQL call whose statement is not written at the call (`db.query(migration.sql)`): it may run a different statement each time. */
  readonly statementFromData?: true;
}

/** Objects whose name says they talk to a database. */
const DB_OWNERS = new Set([
  "db",
  "database",
  "knex",
  "pool",
  "client",
  "conn",
  "connection",
  "trx",
  "tx",
  "transaction",
  "repo",
  "repository",
  "model",
  "collection",
  "prisma",
  "sequelize",
  "em",
  "entitymanager",
  "datasource",
  "sql",
  "pg",
  "mysql",
  "sqlite",
  "redis",
  "mongo",
  "orm",
  "dao",
  "supabase",
]);
const DB_OWNER_SUFFIX = /(?:Db|Database|Repo|Repository|Model|Collection|Dao|Client|Pool|Connection|Table)$/;

/** Methods that run SQL or fetch records when called on a database-like owner. */
const DB_METHODS = new Set([
  "query",
  "execute",
  "raw",
  "unsafe",
  "$queryRaw",
  "$executeRaw",
  "$queryRawUnsafe",
  "$executeRawUnsafe",
  "one",
  "oneOrNone",
  "many",
  "manyOrNone",
  "any",
  "none",
  "all",
  "get",
  "first",
  "select",
  "insert",
  "update",
  "delete",
  "upsert",
  "find",
  "findOne",
  "findAll",
  "findById",
  "findByPk",
  "findOneBy",
  "findBy",
  "findUnique",
  "findFirst",
  "findMany",
  "findAndCountAll",
  "count",
  "countDocuments",
  "aggregate",
  "save",
  "updateOne",
  "deleteOne",
]);

/** Prisma model delegates: `prisma.user.findUnique(…)`, `tx.order.update(…)`. */
const PRISMA_METHODS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "create",
  "update",
  "upsert",
  "delete",
  "count",
  "aggregate",
  "groupBy",
]);

const PRISMA_HOLDERS = new Set(["db", "database", "tx", "trx", "transaction"]);

/** Static methods of Mongoose/Sequelize models, called on the model class (`User.findById(id)`). */
const MODEL_STATIC_METHODS = new Set([
  "find",
  "findOne",
  "findAll",
  "findById",
  "findByPk",
  "findOneBy",
  "findBy",
  "findOneAndUpdate",
  "findByIdAndUpdate",
  "findByIdAndDelete",
  "findOneAndDelete",
  "countDocuments",
  "updateOne",
  "deleteOne",
]);

/** Functions that take SQL text as their first argument when it plainly is SQL (`query("SELECT …", [id])`). */
const SQL_FUNCTIONS = new Set(["query", "execute", "sql", "one", "oneOrNone", "many", "manyOrNone", "any", "none", "all", "get", "run"]);

/** Knex-style query builders called as functions with a table name: `knex("users")`, `db("orders")`. */
const BUILDER_FUNCTIONS = new Set(["knex", "db", "trx"]);

const HTTP_FUNCTIONS = new Set(["fetch", "$fetch", "ofetch", "got", "axios", "ky"]);
const HTTP_OWNERS = new Set(["axios", "got", "ky", "superagent", "needle", "undici", "ofetch", "api", "apiclient", "httpclient", "restclient"]);
const HTTP_METHODS = new Set(["get", "post", "put", "patch", "delete", "head", "request", "fetch"]);
const GLOBAL_OWNERS = new Set(["window", "globalThis", "self"]);

const SQL_TEXT = /^\s*(?:select\b[\s\S]*\bfrom\b|insert\s+into\b|update\b[\s\S]*\bset\b|delete\s+from\b|with\b[\s\S]*\bselect\b|upsert\b|merge\s+into\b)/i;

/** A round trip made by the awaited expression, following method chains (`db("t").where(…).first()`, `fetch(u).then(…)`). */
export function roundTripOf(context: Rule.RuleContext, expression: Node): RoundTrip | null {
  const n = unwrap(expression);
  if (n.type === "TaggedTemplateExpression") return taggedSql(n);
  if (n.type !== "CallExpression") return null;
  const chain = callChain(n);
  for (const call of chain) {
    const found = directRoundTrip(context, call) ?? helperRoundTrip(context, call);
    if (!found) continue;
    const others = chain.filter((c) => c !== call).flatMap((c) => c.arguments as Node[]);
    return { ...found, selectors: [...found.selectors, ...others] };
  }
  return null;
}

/** `a(…).b(…).c(…)` → [c-call, b-call, a-call]. */
function callChain(call: ESTree.CallExpression): ESTree.CallExpression[] {
  const chain: ESTree.CallExpression[] = [];
  let current: Node | null = call as Node;
  while (current && current.type === "CallExpression") {
    chain.push(current);
    const callee = unwrap(current.callee as Node);
    current = callee.type === "MemberExpression" ? unwrap(callee.object as Node) : null;
  }
  return chain;
}

/** postgres.js ``sql`select … ${id}` `` and Prisma's ``prisma.$queryRaw`…` ``. */
function taggedSql(node: ESTree.TaggedTemplateExpression): RoundTrip | null {
  const tag = unwrap(node.tag as Node);
  const isSqlTag =
    (tag.type === "Identifier" && tag.name === "sql") || (tag.type === "MemberExpression" && ["$queryRaw", "$executeRaw"].includes(propertyName(tag) ?? ""));
  return isSqlTag ? { kind: "sql", selectors: node.quasi.expressions as Node[] } : null;
}

function directRoundTrip(context: Rule.RuleContext, call: ESTree.CallExpression): RoundTrip | null {
  const callee = unwrap(call.callee as Node);
  const args = call.arguments as Node[];
  if (callee.type === "Identifier") {
    if (HTTP_FUNCTIONS.has(callee.name)) return { kind: "http", selectors: args };
    if (SQL_FUNCTIONS.has(callee.name) && isSqlText(context, args[0])) return sqlCall(context, args);
    if (BUILDER_FUNCTIONS.has(callee.name) && args.length === 1 && staticString(args[0]!) !== null) return { kind: "sql", selectors: args };
    return null;
  }
  if (callee.type !== "MemberExpression") return null;
  const method = propertyName(callee);
  if (method === null) return null;
  const ownerPath = memberPath(callee.object as Node);
  const owner = ownerPath?.[ownerPath.length - 1];
  if (owner === undefined || owner === "*") return null;
  const bare = owner.replace(/^[_#]+/, "");
  if (HTTP_METHODS.has(method) && HTTP_OWNERS.has(bare.toLowerCase())) return { kind: "http", selectors: args };
  if (method === "fetch" && GLOBAL_OWNERS.has(bare)) return { kind: "http", selectors: args };
  if (PRISMA_METHODS.has(method) && ownerPath!.length >= 2 && isPrismaClient(ownerPath![ownerPath!.length - 2]!)) return { kind: "orm", selectors: args };
  if (DB_METHODS.has(method) && isDbOwner(bare)) {
    if (isSqlMethod(method)) return sqlCall(context, args);
    return { kind: /http|api|rest/i.test(bare) ? "http" : "orm", selectors: args };
  }
  if (
    MODEL_STATIC_METHODS.has(method) &&
    ownerPath!.length === 1 &&
    /^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)*$/.test(bare) &&
    isBoundInFile(context, callee.object as Node)
  ) {
    return { kind: "orm", selectors: args };
  }
  if (SQL_FUNCTIONS.has(method) && isSqlText(context, args[0])) return sqlCall(context, args);
  return null;
}

function isDbOwner(name: string): boolean {
  const bare = name.replace(/^[_#]+/, "");
  return DB_OWNERS.has(bare.toLowerCase()) || DB_OWNER_SUFFIX.test(bare);
}

/** `prisma.user.…`, `this.prismaService.user.…`, `tx.user.…`; not any `client.x.create` (SDKs such as OpenAI's or Stripe's share the shape). */
function isPrismaClient(name: string): boolean {
  return /prisma/i.test(name) || PRISMA_HOLDERS.has(name.replace(/^[_#]+/, "").toLowerCase());
}

function isSqlMethod(method: string): boolean {
  return method === "query" || method === "execute" || method === "raw" || method === "unsafe" || method.startsWith("$");
}

/**
 * The statement counts as a selector only when it plainly is one query with
 * values spliced in (SQL text, or a `{ text, values }` object); otherwise it
 * may be the collection's own data (`db.query(migration.sql)`, `` `${subQuery};` ``).
 */
function sqlCall(context: Rule.RuleContext, args: readonly Node[]): RoundTrip {
  const first = args[0] ? unwrap(args[0]) : undefined;
  const fixedStatement = first === undefined || first.type === "ObjectExpression" || isSqlText(context, first);
  return fixedStatement ? { kind: "sql", selectors: args } : { kind: "sql", selectors: args.slice(1), statementFromData: true };
}

function isSqlText(context: Rule.RuleContext, arg: Node | undefined): boolean {
  if (!arg) return false;
  const n = unwrap(arg);
  if (n.type === "TemplateLiteral") return SQL_TEXT.test(n.quasis.map((q) => q.value.cooked ?? q.value.raw).join(" "));
  const fixed = staticString(n) ?? (n.type === "Identifier" ? staticInitializer(context, n) : null);
  return fixed !== null && SQL_TEXT.test(fixed);
}

function staticInitializer(context: Rule.RuleContext, identifier: ESTree.Identifier): string | null {
  const init = singleInitializer(context, identifier);
  return init ? staticString(init) : null;
}

/** Models are imported, required or declared in the file; globals (`Promise`, `Array`) are not models. */
function isBoundInFile(context: Rule.RuleContext, owner: Node): boolean {
  const n = unwrap(owner);
  return n.type === "Identifier" && findVariable(context, n)?.defs.length === 1;
}

const helperCache = new WeakMap<Node, boolean>();

/**
 * `getOrder(id)` where `getOrder` is a function of this module, or
 * `this.getOrder(id)` where it is a method of the enclosing class, that
 * awaits or returns a round trip itself.
 */
function helperRoundTrip(context: Rule.RuleContext, call: ESTree.CallExpression): RoundTrip | null {
  const callee = unwrap(call.callee as Node);
  const fn = callee.type === "Identifier" ? moduleFunction(context, callee) : callee.type === "MemberExpression" ? ownMethod(callee) : null;
  if (!fn) return null;
  let found = helperCache.get(fn);
  if (found === undefined) {
    found = doesRoundTrip(context, fn);
    helperCache.set(fn, found);
  }
  return found ? { kind: "helper", selectors: call.arguments as Node[] } : null;
}

function moduleFunction(context: Rule.RuleContext, identifier: ESTree.Identifier): Node | null {
  const variable = findVariable(context, identifier);
  if (!variable || variable.defs.length !== 1) return null;
  if (variable.scope.block.type !== "Program") return null;
  const def = variable.defs[0]!;
  if (def.type === "FunctionName") return def.node as Node;
  if (def.type !== "Variable" || !def.node.init) return null;
  const init = unwrap(def.node.init as Node);
  return init.type === "ArrowFunctionExpression" || init.type === "FunctionExpression" ? init : null;
}

/** The method `name` of the class around `this.name`. */
function ownMethod(callee: ESTree.MemberExpression): Node | null {
  if (unwrap(callee.object as Node).type !== "ThisExpression") return null;
  const name = propertyName(callee);
  if (name === null) return null;
  let current = (callee as Node).parent;
  // `this` inside an arrow function still refers to the class; inside another function it does not.
  while (current && current.type !== "ClassBody") {
    if (current.type === "FunctionDeclaration" || (current.type === "FunctionExpression" && current.parent?.type !== "MethodDefinition")) return null;
    current = current.parent;
  }
  if (!current) return null;
  for (const member of current.body) {
    if (member.type === "StaticBlock" || member.static || propertyName(member) !== name) continue;
    if (member.type === "MethodDefinition") return member.kind === "method" ? (member.value as Node) : null;
    // `getOrder = async (id) => …` as a class field.
    const value = member.value ? unwrap(member.value as Node) : null;
    return value && (value.type === "ArrowFunctionExpression" || value.type === "FunctionExpression") ? value : null;
  }
  return null;
}

/** A helper that only runs statements it is given (`client.query(migration.load())`) is a runner, not a lookup. */
function isFixedRoundTrip(roundTrip: RoundTrip | null): boolean {
  return roundTrip !== null && roundTrip.statementFromData === undefined;
}

/** Whether the function's own body (not nested functions) awaits or returns a round trip with a fixed statement. */
function doesRoundTrip(context: Rule.RuleContext, fn: Node): boolean {
  const body = (fn as ESTree.Function).body as Node;
  const isDirect = (expression: Node | null | undefined): boolean => {
    if (!expression) return false;
    const n = unwrap(expression);
    if (n.type === "TaggedTemplateExpression") return taggedSql(n) !== null;
    return n.type === "CallExpression" && callChain(n).some((call) => isFixedRoundTrip(directRoundTrip(context, call)));
  };
  if (body.type !== "BlockStatement") return isDirect(body);
  return someDescendant(
    context,
    body,
    (node) => (node.type === "AwaitExpression" || node.type === "ReturnStatement") && isDirect(node.argument as Node | null),
  );
}

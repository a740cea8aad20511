import type { SyntaxNode } from "./grammars.js";
import { PASSWORD_NAME, SENSITIVE_NAME, shortCode, SQL_TEXT, type SyntaxHit, type SyntaxRule } from "./rule.js";
import { descendants, enclosing, field, memo, named, ofType, same } from "./tree.js";

/**
 * Longview's Python rules over tree-sitter-python. Each matches a construct
 * (a call, its arguments, where the value comes from within the function),
 * never file names or comments.
 */

const FUNCTIONS = new Set(["function_definition"]);
const SCOPES = new Set(["function_definition", "lambda", "class_definition"]);

/** The dotted name of a call's callee (`cursor.execute`, `yaml.load`), or its text when it is not a plain name. */
function calleeOf(call: SyntaxNode): string {
  return memo("callee", call, (c) => field(c, "function")?.text ?? "");
}

/** The last segment of the callee (`execute` of `self.db.execute`). */
function methodOf(call: SyntaxNode): string {
  const fn = field(call, "function");
  if (fn?.type === "attribute") return field(fn, "attribute")?.text ?? "";
  return fn?.text ?? "";
}

function positional(call: SyntaxNode): SyntaxNode[] {
  const args = field(call, "arguments");
  return args ? named(args).filter((a) => a.type !== "keyword_argument" && a.type !== "comment") : [];
}

function keyword(call: SyntaxNode, name: string): SyntaxNode | null {
  const args = field(call, "arguments");
  if (!args) return null;
  for (const arg of named(args)) if (arg.type === "keyword_argument" && field(arg, "name")?.text === name) return field(arg, "value");
  return null;
}

function calls(node: SyntaxNode): SyntaxNode[] {
  return ofType(node, "call");
}

function functions(root: SyntaxNode): SyntaxNode[] {
  return ofType(root, "function_definition");
}

function isAsync(fn: SyntaxNode): boolean {
  return fn.children.some((c) => c?.type === "async");
}

/** Identifiers read in `node`: attribute names and keyword names are not variables. */
function variablesIn(node: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const n of descendants(node)) {
    if (n.type !== "identifier") continue;
    const parent = n.parent;
    if (parent?.type === "attribute" && same(field(parent, "attribute"), n)) continue;
    if (parent?.type === "keyword_argument" && same(field(parent, "name"), n)) continue;
    names.add(n.text);
  }
  return names;
}

/** `name = value` assignments (plain names only) inside `scope`, in source order, not inside nested functions. */
function assignments(scope: SyntaxNode): { readonly name: string; readonly value: SyntaxNode; readonly node: SyntaxNode }[] {
  const out: { name: string; value: SyntaxNode; node: SyntaxNode }[] = [];
  for (const n of ofType(scope, "assignment", "augmented_assignment")) {
    if (!same(enclosing(n, SCOPES), scope) && scope.type !== "module") continue;
    const left = field(n, "left");
    const value = field(n, "right");
    if (left?.type === "identifier" && value) out.push({ name: left.text, value, node: n });
  }
  return out;
}

// --- Request data (taint within one function) ---------------------------------------------------

const REQUEST_SOURCE =
  /\brequest\.(?:args|form|values|files|json|data|GET|POST|FILES|body|query_params|path_params|headers|cookies|get_json|get_data|match_info|query|rel_url)\b/;
/** Calls whose result no longer carries the traversal or the shape of the input. */
const CLEANING_CALL = /^(?:os\.path\.basename|basename|secure_filename|werkzeug\.utils\.secure_filename|safe_join|int|float|uuid\.UUID|UUID|bool|len)$/;
/** Checks that confine a path to its directory (any of them in the function is taken as the fix). */
const PATH_CONFINEMENT =
  /\b(?:secure_filename|safe_join|send_from_directory|basename|realpath|abspath|commonpath|is_relative_to|relative_to|normpath)\s*\(|\.\.\s*["']\s*in\b|["']\.\.["']\s*in\b/;
const ROUTE_DECORATOR = /\.(?:route|get|post|put|patch|delete|api_route|websocket)\s*\(/;

/** Parameters bound from the URL of a route (`<path:name>`, `{name}`), and request-derived names assigned in the function. */
function taintedNames(fn: SyntaxNode): Set<string> {
  const tainted = new Set<string>();
  const decorated = fn.parent?.type === "decorated_definition" ? fn.parent : null;
  if (decorated) {
    for (const decorator of named(decorated).filter((d) => d.type === "decorator")) {
      if (!ROUTE_DECORATOR.test(decorator.text)) continue;
      for (const match of decorator.text.matchAll(/<(?:\w+:)?(\w+)>|\{(\w+)(?::[^}]*)?\}/g)) tainted.add(match[1] ?? match[2]!);
    }
  }
  const assigned = assignments(fn);
  // Two passes reach values copied once more after a later assignment.
  for (let pass = 0; pass < 2; pass++) {
    for (const { name, value } of assigned) if (isTainted(value, tainted)) tainted.add(name);
  }
  return tainted;
}

function isTainted(value: SyntaxNode, tainted: ReadonlySet<string>): boolean {
  if (value.type === "call" && CLEANING_CALL.test(calleeOf(value))) return false;
  if (REQUEST_SOURCE.test(value.text)) return true;
  for (const name of variablesIn(value)) if (tainted.has(name)) return true;
  return false;
}

// --- SQL built from strings -----------------------------------------------------------------------

const SQL_METHODS = new Set(["execute", "executemany", "executescript", "raw", "mogrify", "read_sql", "read_sql_query"]);

/** Interpolated values that cannot carry SQL: numbers, lengths, constants in capitals, placeholder lists. */
function isInertValue(expr: SyntaxNode): boolean {
  if (["integer", "float", "true", "false", "none"].includes(expr.type)) return true;
  if (expr.type === "identifier") return /^[A-Z][A-Z0-9_]*$/.test(expr.text);
  if (expr.type === "call") {
    const callee = calleeOf(expr);
    if (/^(?:int|float|len|bool)$/.test(callee)) return true;
    // `", ".join(["%s"] * n)`, `",".join("?" for _ in ids)`: placeholders, not values.
    if (/\.join$/.test(callee) && /["'](?:%s|\?|:\w+|\$\d+)["']/.test(expr.text)) return true;
  }
  return false;
}

/** The string's literal text when it is built from run-time values with an f-string, `%`, `+` or `.format()`; null otherwise. */
function builtString(expr: SyntaxNode): { readonly text: string } | null {
  if (expr.type === "string") {
    const values = named(expr).filter((c) => c.type === "interpolation");
    if (values.length === 0) return null;
    const live = values.some((v) => {
      const inner = field(v, "expression");
      return inner !== null && !isInertValue(inner);
    });
    return live ? { text: expr.text } : null;
  }
  if (expr.type === "binary_operator") {
    const op = expr.children.find((c) => c?.type === "%" || c?.type === "+")?.type;
    const left = field(expr, "left");
    const right = field(expr, "right");
    if (!left || !right) return null;
    if (op === "%" && left.type === "string") {
      const values = right.type === "tuple" ? named(right) : [right];
      return values.some((v) => !isInertValue(v)) ? { text: left.text } : null;
    }
    if (op === "+") {
      const parts = [left, right];
      const literal = parts.filter((p) => p.type === "string").map((p) => p.text);
      const dynamic = parts.filter((p) => p.type !== "string" && !isInertValue(p) && builtString(p) === null);
      const nested = parts.map(builtString).filter((b): b is { text: string } => b !== null);
      if (literal.length + nested.length > 0 && (dynamic.length > 0 || nested.length > 0))
        return { text: [...literal, ...nested.map((n) => n.text)].join(" ") };
    }
    return null;
  }
  if (expr.type === "call" && methodOf(expr) === "format") {
    const target = field(field(expr, "function"), "object");
    if (
      target?.type === "string" &&
      positional(expr)
        .concat(keywordValues(expr))
        .some((v) => !isInertValue(v))
    )
      return { text: target.text };
  }
  return null;
}

function keywordValues(call: SyntaxNode): SyntaxNode[] {
  const args = field(call, "arguments");
  return args ? named(args).flatMap((a) => (a.type === "keyword_argument" && field(a, "value") ? [field(a, "value")!] : [])) : [];
}

function findSqlInjection(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const call of calls(root)) {
    if (!SQL_METHODS.has(methodOf(call)) || field(call, "function")?.type !== "attribute") continue;
    const query = positional(call)[0];
    if (!query) continue;
    const built = builtString(query);
    if (built && SQL_TEXT.test(built.text)) {
      hits.push({ node: query, detail: `SQL built from run-time values reaches \`${methodOf(call)}()\`: \`${shortCode(query.text)}\`` });
      continue;
    }
    if (query.type !== "identifier") continue;
    const scope = enclosing(call, FUNCTIONS) ?? root;
    // Every string assigned to the name before the call; one built from values is where the fix goes.
    const built2 = assignments(scope).filter((a) => a.name === query.text && a.node.startIndex < call.startIndex);
    const text = built2.map((a) => a.value.text).join(" ");
    const dynamic = built2.find(
      (a) => builtString(a.value) !== null || (a.node.type === "augmented_assignment" && a.value.type !== "string" && !isInertValue(a.value)),
    );
    if (dynamic && SQL_TEXT.test(text)) {
      hits.push({
        node: dynamic.value,
        detail: `SQL built from run-time values reaches \`${methodOf(call)}(${query.text})\`: \`${shortCode(dynamic.value.text)}\``,
      });
    }
  }
  return hits;
}

// --- Shell commands --------------------------------------------------------------------------------

const SUBPROCESS = /^(?:subprocess\.)?(?:run|call|check_call|check_output|Popen|getoutput|getstatusoutput)$/;

function isLiteral(node: SyntaxNode): boolean {
  if (node.type === "string") return !named(node).some((c) => c.type === "interpolation");
  if (node.type === "list" || node.type === "tuple") return named(node).every(isLiteral);
  if (node.type === "concatenated_string") return named(node).every(isLiteral);
  return false;
}

function isBuiltHere(command: SyntaxNode, call: SyntaxNode): boolean {
  if (builtString(command) !== null || (command.type === "binary_operator" && command.text.includes("+") && !isLiteral(command))) return true;
  if (command.type !== "identifier") return false;
  const scope = enclosing(call, FUNCTIONS);
  return scope !== null && assignments(scope).some((a) => a.name === command.text && a.node.startIndex < call.startIndex && builtString(a.value) !== null);
}

function findShellCommand(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const call of calls(root)) {
    const callee = calleeOf(call);
    const system = /^os\.(?:system|popen)$/.test(callee) || /^subprocess\.(?:getoutput|getstatusoutput)$/.test(callee);
    if (!system && !(SUBPROCESS.test(callee) && callee.startsWith("subprocess."))) continue;
    const command = positional(call)[0] ?? keyword(call, "args");
    // A command built here from values; a command handed in whole (`os.system(cmd)`) is the caller's, an API that runs commands by design.
    if (!command || isLiteral(command) || !isBuiltHere(command, call)) continue;
    if (system) {
      hits.push({ node: command, detail: `Shell command from a run-time value passed to \`${callee}()\`: \`${shortCode(command.text)}\`` });
    } else if (SUBPROCESS.test(callee) && callee.startsWith("subprocess.") && keyword(call, "shell")?.type === "true") {
      hits.push({ node: command, detail: `\`${callee}(…, shell=True)\` runs a command built from run-time values: \`${shortCode(command.text)}\`` });
    }
  }
  return hits;
}

// --- Path traversal and server-side request forgery (request data into a sink) --------------------

const PATH_SINKS =
  /^(?:open|io\.open|os\.path\.join|send_file|flask\.send_file|FileResponse|Path|pathlib\.Path|os\.open|os\.remove|os\.unlink|shutil\.rmtree|os\.listdir)$/;
const HTTP_CLIENT =
  /^(?:requests|httpx|session|self\.session|client|self\.client|http|urllib3|aiohttp\.ClientSession\(\)|pool)\.(?:get|post|put|patch|delete|head|request|stream|urlopen)$|^(?:urllib\.request\.)?urlopen$|^urllib\.request\.Request$/;

/** Calls that `isSink` accepts, grouped by the function directly around them. */
function sinksByFunction(root: SyntaxNode, isSink: (call: SyntaxNode) => boolean): [SyntaxNode, SyntaxNode[]][] {
  const groups = new Map<number, [SyntaxNode, SyntaxNode[]]>();
  for (const call of calls(root)) {
    if (!isSink(call)) continue;
    const fn = enclosing(call, FUNCTIONS);
    if (!fn) continue;
    const group = groups.get(fn.id);
    if (group) group[1].push(call);
    else groups.set(fn.id, [fn, [call]]);
  }
  return [...groups.values()];
}

function findRequestSinks(root: SyntaxNode, sink: RegExp, confinement: RegExp | null, what: string): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  // Taint is worked out only for functions that call a sink: most do not.
  for (const [fn, sinks] of sinksByFunction(root, (call) => sink.test(calleeOf(call)))) {
    if (confinement?.test(fn.text)) continue;
    const tainted = taintedNames(fn);
    for (const call of sinks) {
      const args = [...positional(call), ...(keyword(call, "url") ? [keyword(call, "url")!] : [])];
      const reaching = args.find((a) => isTainted(a, tainted));
      if (!reaching) continue;
      hits.push({ node: call, detail: `Request data reaches \`${calleeOf(call)}()\` ${what}: \`${shortCode(reaching.text)}\`` });
      // One report per function: the first sink is where the value needs checking.
      break;
    }
  }
  return hits;
}

// --- Deserialisation, TLS, hashes ------------------------------------------------------------------

const SAFE_YAML_LOADER = /(?:^|\.)(?:SafeLoader|CSafeLoader|BaseLoader|CBaseLoader)$/;

function findUnsafeYaml(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const call of calls(root)) {
    const callee = calleeOf(call);
    if (/^yaml\.(?:unsafe_load|unsafe_load_all)$/.test(callee)) {
      hits.push({ node: call, detail: `\`${callee}()\` constructs arbitrary Python objects` });
      continue;
    }
    if (!/^yaml\.(?:load|load_all)$/.test(callee)) continue;
    const loader = keyword(call, "Loader") ?? positional(call)[1] ?? null;
    if (loader && SAFE_YAML_LOADER.test(loader.text)) continue;
    const data = positional(call)[0];
    // `yaml.load(x, Loader=…)` → `yaml.safe_load(x)`: same result for every document a safe loader accepts.
    const args = named(field(call, "arguments")!);
    const replacement =
      data && args.length <= 2 && call.startPosition.row === call.endPosition.row
        ? `${callee.replace(/load(_all)?$/, "safe_load$1")}(${data.text})`
        : undefined;
    hits.push({ node: call, detail: `\`${shortCode(call.text)}\` without a safe loader`, ...(replacement ? { replacement } : {}) });
  }
  return hits;
}

function findPickle(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const [fn, sinks] of sinksByFunction(root, (call) =>
    /^(?:pickle|cPickle|_pickle|dill|marshal|jsonpickle)\.(?:loads?|decode|Unpickler)$/.test(calleeOf(call)),
  )) {
    const tainted = taintedNames(fn);
    for (const call of sinks) {
      const data = positional(call)[0];
      if (data && isTainted(data, tainted)) hits.push({ node: call, detail: `Request data unpickled: \`${shortCode(call.text)}\`` });
    }
  }
  return hits;
}

function findTlsDisabled(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const argument of ofType(root, "keyword_argument")) {
    if (!/^(?:verify|verify_ssl|ssl)$/.test(field(argument, "name")?.text ?? "") || field(argument, "value")?.type !== "false") continue;
    const call = argument.parent?.parent;
    if (call?.type === "call") hits.push({ node: argument, detail: `\`${shortCode(calleeOf(call))}(…, ${argument.text})\` skips certificate verification` });
  }
  for (const call of calls(root)) {
    if (/^ssl\._create_unverified_context$/.test(calleeOf(call)))
      hits.push({ node: call, detail: "`ssl._create_unverified_context()` skips certificate verification" });
  }
  for (const assignment of ofType(root, "assignment")) {
    const left = field(assignment, "left")?.text ?? "";
    const right = field(assignment, "right")?.text ?? "";
    if (/\.verify_mode$/.test(left) && /\bCERT_NONE$/.test(right))
      hits.push({ node: assignment, detail: `\`${shortCode(assignment.text)}\` skips certificate verification` });
  }
  return hits;
}

function findWeakPasswordHash(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const call of calls(root)) {
    const callee = calleeOf(call);
    const isFast =
      /^hashlib\.(?:md5|sha1|sha224|sha256|sha384|sha512|sha3_\d+|blake2[bs])$/.test(callee) ||
      (callee === "hashlib.new" && /^["'](?:md5|sha1|sha256|sha512)["']$/.test(positional(call)[0]?.text ?? ""));
    if (!isFast) continue;
    const data = callee === "hashlib.new" ? positional(call)[1] : positional(call)[0];
    if (data && [...variablesIn(data), ...ofType(data, "attribute").map((a) => field(a, "attribute")?.text ?? "")].some((n) => PASSWORD_NAME.test(n))) {
      hits.push({ node: call, detail: `Password hashed with \`${callee}\`: \`${shortCode(call.text)}\`` });
    }
  }
  return hits;
}

// --- Queries in loops, blocking calls in async code -------------------------------------------------

const ORM_QUERY =
  /\.objects\.(?:get|filter|exclude|all|count|exists|first|last|values|values_list|aggregate|raw|create|get_or_create|update_or_create)$|^(?:self\.)?(?:session|db\.session|db)\.(?:query|execute|scalar|scalars|get)$|^(?:cursor|cur|conn|connection|self\.cursor|self\.conn)\.execute$/;
const RELATED_QUERY = new Set(["count", "all", "filter", "exclude", "exists", "first", "last", "get", "aggregate", "values", "values_list"]);

function findQueryInLoop(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const loop of ofType(root, "for_statement")) {
    const body = field(loop, "body");
    if (!body) continue;
    const iterable = field(loop, "right");
    const loopVars = variablesIn(field(loop, "left") ?? loop);
    const prefetched = /\b(?:prefetch_related|select_related|joinedload|selectinload|subqueryload)\b/.test(iterable?.text ?? "");
    for (const call of calls(body)) {
      if (!same(enclosing(call, SCOPES), enclosing(loop, SCOPES))) continue;
      const callee = calleeOf(call);
      // `order.items.count()`: a related manager of the loop variable queries once per row.
      const fn = field(call, "function");
      const owner = fn?.type === "attribute" ? field(fn, "object") : null;
      const related =
        !prefetched &&
        owner?.type === "attribute" &&
        field(owner, "object")?.type === "identifier" &&
        loopVars.has(field(owner, "object")!.text) &&
        RELATED_QUERY.has(methodOf(call)) &&
        /\.objects\./.test(iterable?.text ?? "");
      // `filter(id__in=batch)` and `WHERE id IN …` load a whole batch per iteration: the fix, not the problem.
      const batched = /__in\s*=|\bIN\s*\(|=\s*ANY\s*\(/i.test(call.text);
      if ((ORM_QUERY.test(callee) || related) && !batched) {
        hits.push({ node: call, detail: `\`${shortCode(callee)}()\` runs once per iteration of the loop over \`${shortCode(iterable?.text ?? "…", 40)}\`` });
        break;
      }
    }
  }
  return hits;
}

const BLOCKING =
  /^(?:requests\.(?:get|post|put|patch|delete|head|request)|time\.sleep|urllib\.request\.urlopen|urlopen|subprocess\.(?:run|call|check_call|check_output)|socket\.create_connection|smtplib\.SMTP|psycopg2\.connect)$/;
const OFFLOADED = /\b(?:run_in_executor|to_thread|run_in_threadpool|run_sync|sync_to_async)\b/;

function findBlockingInAsync(root: SyntaxNode): SyntaxHit[] {
  // Module-level synchronous functions that call a blocking API directly (one level of indirection).
  const blockingHelpers = new Map<string, string>();
  for (const fn of functions(root)) {
    if (isAsync(fn) || enclosing(fn, SCOPES) !== null) continue;
    const blocking = calls(fn).find((c) => BLOCKING.test(calleeOf(c)));
    if (blocking) blockingHelpers.set(field(fn, "name")?.text ?? "", calleeOf(blocking));
  }
  const hits: SyntaxHit[] = [];
  for (const fn of functions(root)) {
    if (!isAsync(fn)) continue;
    for (const call of calls(fn)) {
      if (!same(enclosing(call, SCOPES), fn) || OFFLOADED.test(call.parent?.parent?.text ?? "")) continue;
      if (call.parent?.type === "await") continue;
      const callee = calleeOf(call);
      const via = blockingHelpers.get(callee);
      if (BLOCKING.test(callee)) hits.push({ node: call, detail: `Blocking \`${callee}()\` inside \`async def ${field(fn, "name")?.text}\`` });
      else if (via) hits.push({ node: call, detail: `\`${callee}()\` blocks on \`${via}()\` inside \`async def ${field(fn, "name")?.text}\`` });
    }
  }
  return hits;
}

// --- Mutable default argument that the function mutates -------------------------------------------

const MUTATORS = new Set(["append", "extend", "update", "setdefault", "pop", "popitem", "insert", "add", "clear", "remove", "discard", "sort", "reverse"]);

function findMutatedDefault(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const fn of functions(root)) {
    const params = field(fn, "parameters");
    const body = field(fn, "body");
    if (!params || !body) continue;
    for (const param of named(params)) {
      if (param.type !== "default_parameter" && param.type !== "typed_default_parameter") continue;
      const value = field(param, "value");
      const name = field(param, "name")?.text;
      if (!name || !value || !(["dictionary", "list", "set"].includes(value.type) || /^(?:dict|list|set)\(\)$/.test(value.text))) continue;
      // The parameter and names that alias it (`headers = extra`).
      const aliases = new Set([name]);
      for (const a of assignments(fn)) if (a.value.type === "identifier" && aliases.has(a.value.text)) aliases.add(a.name);
      for (const a of assignments(fn))
        if (aliases.has(a.name) && !(a.value.type === "identifier" && aliases.has(a.value.text)) && a.name !== name) aliases.delete(a.name);
      // Returned to the caller: the shared object leaks from one call to the next (a default used as a private cache is not).
      const returned = ofType(body, "return_statement").some((r) => named(r).some((v) => v.type === "identifier" && aliases.has(v.text)));
      const mutated = returned ? descendantsMutating(body, aliases) : null;
      if (mutated) hits.push({ node: param, detail: `Default \`${name}=${value.text}\` is shared by every call and mutated: \`${shortCode(mutated.text)}\`` });
    }
  }
  return hits;
}

function descendantsMutating(body: SyntaxNode, names: ReadonlySet<string>): SyntaxNode | null {
  for (const n of descendants(body)) {
    if (n.type === "call") {
      const fn = field(n, "function");
      const owner = fn?.type === "attribute" ? field(fn, "object") : null;
      if (owner?.type === "identifier" && names.has(owner.text) && MUTATORS.has(methodOf(n))) return n;
    }
    if (n.type === "assignment" || n.type === "augmented_assignment") {
      const left = field(n, "left");
      if (left?.type === "subscript" && field(left, "value")?.type === "identifier" && names.has(field(left, "value")!.text)) return n;
      if (n.type === "augmented_assignment" && left?.type === "identifier" && names.has(left.text)) return n;
    }
  }
  return null;
}

// --- Sensitive data in logs, secrets in configuration ----------------------------------------------

/** Names that say something about a secret without being it (`token_count`, `password_length`, `has_password`). */
const NOT_SENSITIVE =
  /(?:_?(?:len|length|count|id|ids|type|name|hash|hashed|digest|prefix|suffix|expires?|expiry|ttl|url|path|file|set|present|required|valid))$|^(?:has|is|num)_/i;

/** The name a logged value is read from (`password`, `user.password`, `creds["token"]`); null for calls and expressions, whose result is not the value itself. */
function loggedName(value: SyntaxNode | null): string | null {
  if (!value) return null;
  if (value.type === "identifier") return value.text;
  if (value.type === "attribute") return field(value, "attribute")?.text ?? null;
  if (value.type === "subscript") return literalString(field(value, "subscript")) ?? loggedName(field(value, "value"));
  return null;
}

const LOG_CALL =
  /^(?:(?:self\.)?(?:log|logger|_log|_logger|LOG|LOGGER|logging|app\.logger|current_app\.logger)\.(?:debug|info|warning|warn|error|exception|critical|log)|print)$/;

function findSensitiveLog(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const call of calls(root)) {
    if (!LOG_CALL.test(calleeOf(call))) continue;
    const args = field(call, "arguments");
    if (!args) continue;
    // Values logged: arguments and f-string interpolations, not the words of the message.
    const values = [...named(args).filter((a) => a.type !== "string"), ...ofType(args, "interpolation")].filter(
      (v) => v.type !== "keyword_argument" || !/^(?:exc_info|stack_info|extra)$/.test(field(v, "name")?.text ?? ""),
    );
    const sensitive = values.find((v) => {
      const name = loggedName(v.type === "interpolation" ? field(v, "expression") : v);
      return name !== null && SENSITIVE_NAME.test(name) && !NOT_SENSITIVE.test(name);
    });
    if (sensitive) hits.push({ node: call, detail: `\`${shortCode(sensitive.text, 40)}\` written to the log by \`${calleeOf(call)}()\`` });
  }
  return hits;
}

const SECRET_SETTING =
  /^(?:SECRET_KEY|JWT_SECRET(?:_KEY)?|SESSION_SECRET|COOKIE_SECRET|SIGNING_KEY|SECURITY_PASSWORD_SALT|(?:DB|DATABASE|POSTGRES|MYSQL|REDIS)_PASSWORD|jwt_secret(?:_key)?|secret_key|session_secret|cookie_secret|signing_key|db_password|database_password)$/;
const PLACEHOLDER = /^(?:|changeme|change-me|x+|\*+|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\})$/i;

function literalString(node: SyntaxNode | null): string | null {
  if (node?.type !== "string" || named(node).some((c) => c.type === "interpolation")) return null;
  return named(node)
    .filter((c) => c.type === "string_content")
    .map((c) => c.text)
    .join("");
}

function findHardcodedSecret(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const n of ofType(root, "assignment", "keyword_argument", "pair")) {
    const key =
      n.type === "pair"
        ? (literalString(field(n, "key")) ?? "")
        : n.type === "keyword_argument"
          ? (field(n, "name")?.text ?? "")
          : (field(n, "left")
              ?.text.replace(/^.*\[["'](.*)["']\]$/, "$1")
              .replace(/^.*\./, "") ?? "");
    const value = n.type === "pair" ? field(n, "value") : n.type === "keyword_argument" ? field(n, "value") : field(n, "right");
    if (!SECRET_SETTING.test(key) || !value) continue;
    const secret = secretValue(value);
    if (secret) hits.push({ node: n, detail: `\`${key}\` ${secret}` });
  }
  return hits;
}

/** Why the value is a hard-coded secret: a literal, or a literal fallback when the environment variable is missing. */
function secretValue(value: SyntaxNode): string | null {
  const literal = literalString(value);
  if (literal !== null) return PLACEHOLDER.test(literal) ? null : "is a string literal in the code";
  // `os.environ.get("SECRET_KEY", "dev-secret")`, `os.getenv(…, "…")`, `os.environ.get(…) or "…"`.
  if (value.type === "call" && /^os\.(?:environ\.get|getenv)$/.test(calleeOf(value))) {
    const fallback = literalString(positional(value)[1] ?? keyword(value, "default"));
    return fallback !== null && !PLACEHOLDER.test(fallback) ? "falls back to a string literal when the environment variable is missing" : null;
  }
  if (value.type === "boolean_operator" && /\bos\.(?:environ|getenv)/.test(field(value, "left")?.text ?? "")) {
    const fallback = literalString(field(value, "right"));
    return fallback !== null && !PLACEHOLDER.test(fallback) ? "falls back to a string literal when the environment variable is missing" : null;
  }
  return null;
}

const FIX_SQL =
  'Pass the values as parameters (`cursor.execute("… WHERE actor = %s", [actor])`, SQLAlchemy `text("… :actor")` with a dict); for identifiers such as a sort column, map the input to a fixed set of names.';

export const PYTHON_RULES: readonly SyntaxRule[] = [
  {
    id: "python/sql-injection",
    language: "python",
    category: "security",
    severity: "P0",
    confidence: 0.9,
    title: "SQL built from run-time values",
    advice: `A value formatted into the SQL text (f-string, \`%\`, \`+\`, \`.format()\`) can close the quote and add its own SQL (SQL injection). ${FIX_SQL}`,
    find: findSqlInjection,
  },
  {
    id: "python/shell-injection",
    language: "python",
    category: "security",
    severity: "P0",
    confidence: 0.9,
    title: "Shell command built from run-time values",
    advice:
      'The command runs through a shell, so a value containing `;`, `|`, `$( )` or quotes runs its own commands. Pass an argument list without a shell (`subprocess.run(["convert", src, dst], check=True)`); if a shell is unavoidable, quote each value with `shlex.quote`.',
    find: findShellCommand,
  },
  {
    id: "python/path-traversal",
    language: "python",
    category: "security",
    severity: "P1",
    confidence: 0.8,
    title: "File path built from request data",
    advice:
      "A name from the request can contain `../` (or be absolute), and `os.path.join`/`open` follow it out of the intended directory, exposing other users' or the server's files. Use `send_from_directory`/`safe_join`, `werkzeug.utils.secure_filename`, or resolve the path and check it stays inside the directory (`Path(base, name).resolve().is_relative_to(base)`).",
    find: (root) => findRequestSinks(root, PATH_SINKS, PATH_CONFINEMENT, "as a file path"),
  },
  {
    id: "python/ssrf",
    language: "python",
    category: "security",
    severity: "P1",
    confidence: 0.8,
    title: "Server-side request to a URL from the request",
    advice:
      "The server fetches a URL the client chose, so it can be pointed at internal services and cloud metadata (`169.254.169.254`, `localhost`, private ranges). Allow only expected hosts, or resolve the host and reject private and link-local addresses (and re-check after redirects, or disable them).",
    find: (root) => findRequestSinks(root, HTTP_CLIENT, /\b(?:ALLOWED_HOSTS|allowed_hosts|is_private|is_loopback|ip_address)\b/, "as the URL"),
  },
  {
    id: "python/unsafe-yaml-load",
    language: "python",
    category: "security",
    severity: "P0",
    confidence: 1,
    title: "`yaml.load` without a safe loader",
    advice:
      "PyYAML's full and unsafe loaders build arbitrary Python objects from tags such as `!!python/object/apply:os.system`, so loading untrusted YAML runs code. Use `yaml.safe_load` (or `Loader=yaml.SafeLoader`).",
    find: findUnsafeYaml,
  },
  {
    id: "python/unsafe-deserialization",
    language: "python",
    category: "security",
    severity: "P0",
    confidence: 0.9,
    title: "Request data deserialised with pickle",
    advice:
      "Unpickling runs code chosen by whoever wrote the bytes. Accept JSON (or another data-only format) from clients; keep pickle for data only this service wrote, and sign it if it travels.",
    find: findPickle,
  },
  {
    id: "python/tls-verification-disabled",
    language: "python",
    category: "security",
    severity: "P1",
    confidence: 1,
    title: "TLS certificate verification disabled",
    advice:
      'Without certificate verification anyone on the network path can impersonate the server and read or change the traffic (credentials included). Remove `verify=False`; for a private CA pass its bundle (`verify="/path/ca.pem"`).',
    find: findTlsDisabled,
  },
  {
    id: "python/weak-password-hash",
    language: "python",
    category: "security",
    severity: "P1",
    confidence: 0.8,
    title: "Password hashed with a fast hash",
    advice:
      "General-purpose hashes are built to be fast, so a leaked table of password hashes is cracked at billions of guesses per second (and unsalted ones with lookup tables). Use a password hash: `argon2-cffi`, `bcrypt`, or `hashlib.scrypt`/`pbkdf2_hmac` with a random salt.",
    find: findWeakPasswordHash,
  },
  {
    id: "python/query-in-loop",
    language: "python",
    category: "performance",
    severity: "P2",
    confidence: 0.8,
    title: "Database query inside a loop (N+1)",
    advice:
      "One query per iteration turns one page into hundreds of round trips. Load what the loop needs up front: `select_related`/`prefetch_related` or `annotate(Count(…))` in Django, `selectinload`/`joinedload` in SQLAlchemy, or one `WHERE id IN (…)` query.",
    find: findQueryInLoop,
  },
  {
    id: "python/blocking-call-in-async",
    language: "python",
    category: "performance",
    severity: "P2",
    confidence: 0.9,
    title: "Blocking call inside `async def`",
    advice:
      "A synchronous network, sleep or process call inside a coroutine blocks the event loop, so every other request served by the worker waits. Use an async client (`httpx.AsyncClient`, `asyncio.sleep`, `asyncio.create_subprocess_exec`) or run it in a thread (`await asyncio.to_thread(…)`, `run_in_threadpool`).",
    find: findBlockingInAsync,
  },
  {
    id: "python/mutable-default-mutated",
    language: "python",
    category: "bug",
    severity: "P1",
    confidence: 1,
    title: "Mutable default argument is mutated and returned",
    advice:
      "Default values are created once, when the function is defined, so every call without the argument shares and changes the same object: state leaks from one call (or tenant) to the next. Default to `None` and create a new object in the function (`headers = dict(extra or {})`).",
    find: findMutatedDefault,
  },
  {
    id: "python/sensitive-data-in-log",
    language: "python",
    category: "security",
    severity: "P2",
    confidence: 0.7,
    title: "Sensitive value written to the log",
    advice:
      'Logs are kept long, copied to other systems and read by more people than the data\'s owners; a password, token or secret in them is a leak. Log an identifier or a masked form (`token[:4] + "…"`) instead.',
    find: findSensitiveLog,
  },
  {
    id: "python/hardcoded-secret",
    language: "python",
    category: "security",
    severity: "P1",
    confidence: 0.9,
    title: "Hard-coded secret in configuration",
    advice:
      "A secret in the code (or as the fallback when the environment variable is missing) is known to everyone with the repository, and a deployment that forgets the variable silently signs sessions or tokens with it, so anyone can forge them. Read it from the environment or a secret store and fail at start-up when it is missing.",
    find: findHardcodedSecret,
  },
];

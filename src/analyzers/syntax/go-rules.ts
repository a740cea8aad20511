import type { SyntaxNode } from "./grammars.js";
import { PASSWORD_NAME, SENSITIVE_NAME, shortCode, SQL_TEXT, type SyntaxHit, type SyntaxRule } from "./rule.js";
import { descendants, enclosing, field, memo, named, ofType, same } from "./tree.js";

/** Longview's Go rules over tree-sitter-go: constructs and where their values come from within one function. */

const FUNCTIONS = new Set(["function_declaration", "method_declaration", "func_literal"]);
const DECLARED_FUNCTIONS = new Set(["function_declaration", "method_declaration"]);

function calleeOf(call: SyntaxNode): string {
  return memo("callee", call, (c) => field(c, "function")?.text ?? "");
}

function methodOf(call: SyntaxNode): string {
  const fn = field(call, "function");
  if (fn?.type === "selector_expression") return field(fn, "field")?.text ?? "";
  return fn?.text ?? "";
}

function args(call: SyntaxNode): SyntaxNode[] {
  const list = field(call, "arguments");
  return list ? named(list).filter((a) => a.type !== "comment") : [];
}

function calls(node: SyntaxNode): SyntaxNode[] {
  return ofType(node, "call_expression");
}

function isStringLiteral(node: SyntaxNode): boolean {
  return node.type === "interpreted_string_literal" || node.type === "raw_string_literal";
}

function stringValue(node: SyntaxNode): string | null {
  if (!isStringLiteral(node)) return null;
  return node.text.slice(1, -1);
}

/** Identifiers read in `node` (selector fields are not variables). */
function variablesIn(node: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const n of descendants(node)) if (n.type === "identifier") names.add(n.text);
  return names;
}

interface Binding {
  readonly name: string;
  readonly value: SyntaxNode;
  readonly node: SyntaxNode;
}

/** `x := v`, `x = v`, `x += v`, `var x = v` in `scope` (pairs by position; `a, err := f()` binds `a` to the call). */
function bindings(scope: SyntaxNode): Binding[] {
  const out: Binding[] = [];
  for (const n of ofType(scope, "short_var_declaration", "assignment_statement", "var_spec")) {
    const left = n.type === "var_spec" ? named(n).filter((c) => c.type === "identifier") : named(field(n, "left") ?? n);
    const rightNode = n.type === "var_spec" ? field(n, "value") : field(n, "right");
    const right = rightNode ? named(rightNode) : [];
    left.forEach((target, i) => {
      const value = right.length === left.length ? right[i] : right[0];
      if (target.type === "identifier" && value) out.push({ name: target.text, value, node: n });
    });
  }
  return out;
}

function isConstant(node: SyntaxNode): boolean {
  if (isStringLiteral(node) || ["int_literal", "float_literal", "true", "false", "nil", "rune_literal"].includes(node.type)) return true;
  if (node.type === "binary_expression") return isConstant(field(node, "left")!) && isConstant(field(node, "right")!);
  // Exported or upper-case names are usually constants (`DefaultLimit`); their values are fixed at build time.
  return node.type === "identifier" && /^[A-Z][A-Z0-9_]*$/.test(node.text);
}

// --- Request data within a handler --------------------------------------------------------------

const REQUEST_SOURCE =
  /\.URL\.Query\(\)|\.URL\.Path\b|\.URL\.RawQuery\b|\.(?:FormValue|PostFormValue|PathValue)\(|\bmux\.Vars\(|\bchi\.URLParam\(|\.(?:Param|Query|DefaultQuery|PostForm|DefaultPostForm|QueryParam|FormFile|Params)\(|\.Header\.Get\(/;
const CLEANING = /^(?:filepath\.Base|path\.Base|strconv\.Atoi|strconv\.ParseInt|strconv\.ParseUint|uuid\.Parse|url\.PathEscape|url\.QueryEscape)$/;

function taintedNames(fn: SyntaxNode): Set<string> {
  const tainted = new Set<string>();
  const bound = bindings(fn);
  for (let pass = 0; pass < 2; pass++) for (const b of bound) if (isTainted(b.value, tainted)) tainted.add(b.name);
  return tainted;
}

function isTainted(value: SyntaxNode, tainted: ReadonlySet<string>): boolean {
  if (value.type === "call_expression" && CLEANING.test(calleeOf(value))) return false;
  if (REQUEST_SOURCE.test(value.text)) return true;
  for (const name of variablesIn(value)) if (tainted.has(name)) return true;
  return false;
}

function functionsOf(root: SyntaxNode): SyntaxNode[] {
  return ofType(root, "function_declaration", "method_declaration");
}

function findRequestSinks(root: SyntaxNode, sink: RegExp, argument: (call: SyntaxNode) => SyntaxNode[], confinement: RegExp | null, what: string): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  // Taint is worked out only for functions that call a sink: most do not.
  const groups = new Map<number, [SyntaxNode, SyntaxNode[]]>();
  for (const call of calls(root)) {
    if (!sink.test(calleeOf(call))) continue;
    const fn = enclosing(call, DECLARED_FUNCTIONS);
    if (!fn) continue;
    const group = groups.get(fn.id);
    if (group) group[1].push(call);
    else groups.set(fn.id, [fn, [call]]);
  }
  for (const [fn, sinks] of groups.values()) {
    if (confinement?.test(fn.text)) continue;
    const tainted = taintedNames(fn);
    for (const call of sinks) {
      const reaching = argument(call).find((a) => isTainted(a, tainted));
      if (!reaching) continue;
      hits.push({ node: call, detail: `Request data reaches \`${calleeOf(call)}()\` ${what}: \`${shortCode(reaching.text)}\`` });
      break;
    }
  }
  return hits;
}

const PATH_SINK =
  /^(?:filepath\.Join|path\.Join|os\.(?:Open|OpenFile|ReadFile|Create|Remove|RemoveAll|WriteFile|ReadDir|Stat)|http\.ServeFile|ioutil\.ReadFile)$/;
const PATH_CONFINEMENT = /\bfilepath\.(?:Base|IsLocal|Rel)\(|\bos\.(?:OpenRoot|OpenInRoot)\(|\.\.\s*"\)|"\.\."|securejoin\.|\bhttp\.(?:Dir|FS)\(/;
const HTTP_SINK =
  /^(?:http\.(?:Get|Post|Head|PostForm|NewRequest|NewRequestWithContext)|(?:client|c|httpClient|s\.client|h\.client|http\.DefaultClient)\.(?:Get|Post|Head|PostForm))$/;

function pathArgs(call: SyntaxNode): SyntaxNode[] {
  // http.ServeFile(w, r, name): only the name is a path.
  return calleeOf(call) === "http.ServeFile" ? args(call).slice(2) : args(call);
}

function urlArgs(call: SyntaxNode): SyntaxNode[] {
  const callee = calleeOf(call);
  if (callee === "http.NewRequest") return args(call).slice(1, 2);
  if (callee === "http.NewRequestWithContext") return args(call).slice(2, 3);
  return args(call).slice(0, 1);
}

// --- SQL built with fmt.Sprintf or + ------------------------------------------------------------

const SQL_CALL = /^(?:Query|QueryContext|QueryRow|QueryRowContext|Exec|ExecContext|Prepare|PrepareContext|Select|Get|Raw|QueryxContext|Queryx|NamedExec)$/;

/** The format or literal text when `expr` builds a string from run-time values; null otherwise. */
function builtString(expr: SyntaxNode): string | null {
  if (expr.type === "call_expression" && /^fmt\.Sprintf$/.test(calleeOf(expr))) {
    const [format, ...values] = args(expr);
    const text = format ? stringValue(format) : null;
    // %d, %f and friends print numbers only; %s, %v and %q print text.
    if (text === null || !/%[-+# 0]*\d*(?:\.\d+)?[sqvx]/.test(text)) return null;
    return values.some((v) => !isConstant(v)) ? text : null;
  }
  if (expr.type === "binary_expression" && field(expr, "operator")?.text === "+") {
    const parts = flattenPlus(expr);
    const literal = parts.map(stringValue).filter((s): s is string => s !== null);
    if (literal.length > 0 && parts.some((p) => !isConstant(p) && !(p.type === "call_expression" && /^strconv\.(?:Itoa|FormatInt)$/.test(calleeOf(p)))))
      return literal.join(" ");
  }
  return null;
}

function flattenPlus(expr: SyntaxNode): SyntaxNode[] {
  if (expr.type === "binary_expression" && field(expr, "operator")?.text === "+")
    return [...flattenPlus(field(expr, "left")!), ...flattenPlus(field(expr, "right")!)];
  if (expr.type === "parenthesized_expression") return flattenPlus(named(expr)[0]!);
  return [expr];
}

function findSqlInjection(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const call of calls(root)) {
    if (field(call, "function")?.type !== "selector_expression" || !SQL_CALL.test(methodOf(call))) continue;
    const list = args(call);
    const query = /Context$/.test(methodOf(call)) ? list[1] : list[0];
    if (!query) continue;
    const built = builtString(query);
    if (built !== null && SQL_TEXT.test(built)) {
      hits.push({ node: query, detail: `SQL built from run-time values reaches \`${methodOf(call)}()\`: \`${shortCode(query.text)}\`` });
      continue;
    }
    if (query.type !== "identifier") continue;
    const scope = enclosing(call, FUNCTIONS) ?? root;
    const earlier = bindings(scope).filter((b) => b.name === query.text && b.node.startIndex < call.startIndex);
    const dynamic = earlier.find((b) => {
      const text = builtString(b.value);
      return text !== null && SQL_TEXT.test(earlier.map((e) => e.value.text).join(" "));
    });
    if (dynamic)
      hits.push({
        node: dynamic.value,
        detail: `SQL built from run-time values reaches \`${methodOf(call)}(…${query.text}…)\`: \`${shortCode(dynamic.value.text)}\``,
      });
  }
  return hits;
}

// --- Shell commands ---------------------------------------------------------------------------------

function findShellCommand(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const call of calls(root)) {
    const callee = calleeOf(call);
    if (!/^exec\.(?:Command|CommandContext)$/.test(callee)) continue;
    const list = callee.endsWith("Context") ? args(call).slice(1) : args(call);
    const [shell, flag, command] = list;
    if (!shell || !flag || !command) continue;
    if (!/^(?:(?:\/usr)?\/bin\/)?(?:sh|bash|zsh|dash|ksh)$|^cmd(?:\.exe)?$|^powershell$/.test(stringValue(shell) ?? "")) continue;
    if (!/^(?:-c|\/c|\/C|-Command)$/.test(stringValue(flag) ?? "")) continue;
    if (isConstant(command)) continue;
    hits.push({
      node: command,
      detail: `\`${callee}(${shell.text}, ${flag.text}, …)\` runs a command built from run-time values: \`${shortCode(command.text)}\``,
    });
  }
  return hits;
}

// --- TLS, hashes ---------------------------------------------------------------------------------

function findInsecureTls(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const element of ofType(root, "keyed_element")) {
    const [key, value] = named(element);
    if (key?.text === "InsecureSkipVerify" && value?.text === "true")
      hits.push({ node: element, detail: "`InsecureSkipVerify: true` accepts any certificate" });
  }
  for (const assignment of ofType(root, "assignment_statement")) {
    if (/\.InsecureSkipVerify$/.test(field(assignment, "left")?.text ?? "") && field(assignment, "right")?.text === "true") {
      hits.push({ node: assignment, detail: "`InsecureSkipVerify = true` accepts any certificate" });
    }
  }
  return hits;
}

function findWeakPasswordHash(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const call of calls(root)) {
    const callee = calleeOf(call);
    if (!/^(?:md5\.Sum|sha1\.Sum|sha256\.Sum256|sha256\.Sum224|sha512\.Sum512)$/.test(callee)) continue;
    const data = args(call)[0];
    const names = data ? [...variablesIn(data), ...ofType(data, "field_identifier").map((f) => f.text)] : [];
    if (names.some((n) => PASSWORD_NAME.test(n))) hits.push({ node: call, detail: `Password hashed with \`${callee}\`: \`${shortCode(call.text)}\`` });
  }
  return hits;
}

// --- Loops: defer, queries -----------------------------------------------------------------------

const LOOP_OR_FUNCTION = new Set(["for_statement", ...FUNCTIONS]);

/**
 * A deferred release (`f.Close()`, `os.Remove(tmp)`, `cancel()`) of something
 * the same iteration created piles up until the function returns. Loops whose
 * body ends in `return`/`break` run once in effect and are not reported.
 */
function findDeferInLoop(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const statement of ofType(root, "defer_statement")) {
    const loop = enclosing(statement, LOOP_OR_FUNCTION);
    const body = loop?.type === "for_statement" ? field(loop, "body") : null;
    if (!body) continue;
    const statements = named(body).flatMap((c) => (c.type === "statement_list" ? named(c) : [c]));
    if (/^(?:return_statement|break_statement|goto_statement)$/.test(statements.at(-1)?.type ?? "")) continue;
    const declaredInLoop = new Set(
      bindings(body)
        .filter((b) => b.node.type === "short_var_declaration" || b.node.type === "var_spec")
        .map((b) => b.name),
    );
    const used = variablesIn(statement);
    if (![...used].some((name) => declaredInLoop.has(name))) continue;
    hits.push({ node: statement, detail: `\`${shortCode(statement.text)}\` runs only when the function returns, not at the end of each iteration` });
  }
  return hits;
}

const QUERY_METHODS = /^(?:Query|QueryContext|QueryRow|QueryRowContext|Queryx|QueryxContext|QueryRowx|QueryRowxContext)$/;

function findQueryInLoop(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const loop of ofType(root, "for_statement")) {
    const body = field(loop, "body");
    if (!body) continue;
    const call = calls(body).find(
      (c) =>
        field(c, "function")?.type === "selector_expression" &&
        QUERY_METHODS.test(methodOf(c)) &&
        same(enclosing(c, LOOP_OR_FUNCTION), loop) &&
        // A batch per iteration (`WHERE id = ANY($1)`, `IN (…)`) is the fix, not the problem.
        !/\bIN\s*\(|=\s*ANY\s*\(/i.test(c.text),
    );
    if (call) hits.push({ node: call, detail: `\`${shortCode(calleeOf(call))}()\` runs one query per iteration of the loop` });
  }
  return hits;
}

// --- Errors discarded where the value is used ------------------------------------------------------

/** Calls whose error says the value written through the pointer (or the transaction) is not what it seems. */
const MUST_CHECK = /^(?:Unmarshal|UnmarshalJSON|Decode|DecodeElement|Commit|Scan|ParseForm|ParseMultipartForm)$/;

function findDiscardedError(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const statement of ofType(root, "assignment_statement", "short_var_declaration")) {
    const left = named(field(statement, "left") ?? statement);
    const right = named(field(statement, "right") ?? statement);
    if (right.length !== 1 || right[0]!.type !== "call_expression" || left.at(-1)?.text !== "_") continue;
    const call = right[0]!;
    const method = methodOf(call);
    if (!MUST_CHECK.test(method)) continue;
    // `_ = json.Unmarshal(…)`: calls that return only an error. `v, _ := url.Parse(constant)` is usually a known-good input.
    if (left.length === 1) {
      hits.push({ node: statement, detail: `The error of \`${shortCode(calleeOf(call), 40)}()\` is discarded: \`${shortCode(statement.text)}\`` });
    }
  }
  return hits;
}

// --- Index one past the end ------------------------------------------------------------------------

const SLICE_MAKERS = /^(?:strings\.(?:Split|SplitN|SplitAfter|Fields|FieldsFunc)|bytes\.(?:Split|Fields)|append|make|filepath\.SplitList|os\.Args)\b|^\[\]/;

function findIndexAtLen(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const index of ofType(root, "index_expression")) {
    const operand = field(index, "operand");
    const at = field(index, "index");
    if (!operand || at?.type !== "call_expression" || calleeOf(at) !== "len" || args(at)[0]?.text !== operand.text) continue;
    // Maps may have a key equal to their length; only slices and strings panic.
    if (!isSliceOrString(operand, index)) continue;
    const replacement = index.startPosition.row === index.endPosition.row ? `${operand.text}[len(${operand.text})-1]` : undefined;
    hits.push({ node: index, detail: `\`${index.text}\` is one past the last element and always panics`, ...(replacement ? { replacement } : {}) });
  }
  return hits;
}

function isSliceOrString(operand: SyntaxNode, use: SyntaxNode): boolean {
  if (operand.type !== "identifier") return false;
  const fn = enclosing(use, DECLARED_FUNCTIONS);
  if (!fn) return false;
  if (bindings(fn).some((b) => b.name === operand.text && SLICE_MAKERS.test(b.value.text) && !/^make\(map/.test(b.value.text))) return true;
  return ofType(fn, "parameter_declaration", "var_spec").some(
    (d) =>
      named(d).some((c) => c.type === "identifier" && c.text === operand.text) &&
      /^(?:slice_type|array_type)$|^string$/.test(field(d, "type")?.type === "type_identifier" ? field(d, "type")!.text : (field(d, "type")?.type ?? "")),
  );
}

// --- Map written from goroutines ---------------------------------------------------------------------

function findMapWriteInGoroutine(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const statement of ofType(root, "go_statement")) {
    const literal = ofType(statement, "func_literal")[0];
    const body = literal ? field(literal, "body") : null;
    if (!literal || !body || /\.(?:Lock|RLock)\(\)|<-|\batomic\./.test(body.text)) continue;
    const outer = enclosing(statement, DECLARED_FUNCTIONS);
    if (!outer) continue;
    const maps = new Set(
      bindings(outer)
        .filter((b) => /^(?:make\(map\[|map\[)/.test(b.value.text))
        .map((b) => b.name),
    );
    const local = new Set(bindings(literal).map((b) => b.name));
    for (const assignment of ofType(body, "assignment_statement")) {
      const target = named(field(assignment, "left") ?? assignment)[0];
      const map = target?.type === "index_expression" ? field(target, "operand") : null;
      if (map?.type === "identifier" && maps.has(map.text) && !local.has(map.text)) {
        hits.push({ node: assignment, detail: `\`${shortCode(assignment.text)}\` writes the shared map \`${map.text}\` from a goroutine without a lock` });
        break;
      }
    }
  }
  return hits;
}

// --- Request bodies read without a limit -------------------------------------------------------------

function findUnboundedBody(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const fn of functionsOf(root)) {
    const params = field(fn, "parameters");
    const request = params ? named(params).find((p) => field(p, "type")?.text === "*http.Request") : undefined;
    const name = request ? named(request).find((c) => c.type === "identifier")?.text : undefined;
    if (!name || /\b(?:MaxBytesReader|LimitReader|LimitedReader)\b/.test(fn.text)) continue;
    const read = calls(fn).find((c) => /^(?:io|ioutil)\.ReadAll$/.test(calleeOf(c)) && args(c)[0]?.text === `${name}.Body`);
    if (read) hits.push({ node: read, detail: `\`${read.text}\` reads a request body of any size into memory` });
  }
  return hits;
}

// --- Logs and secrets ----------------------------------------------------------------------------------

const LOG_CALL =
  /^(?:log|slog|logger|s\.log|s\.logger|h\.log|h\.logger|l|zap\.L\(\)|logrus)\.(?:Print|Printf|Println|Fatal|Fatalf|Debug|Info|Warn|Error|Debugf|Infof|Warnf|Errorf|Infow|Debugw|Errorw|Warnw)$|^fmt\.(?:Print|Printf|Println)$/;

function findSensitiveLog(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const call of calls(root)) {
    if (!LOG_CALL.test(calleeOf(call))) continue;
    const sensitive = args(call).find((a) => {
      if (isStringLiteral(a)) return false;
      const last = a.type === "selector_expression" ? (field(a, "field")?.text ?? "") : a.type === "identifier" ? a.text : "";
      return SENSITIVE_NAME.test(last) && !/(?:Len|Length|Count|ID|Type|Name|Hash|Hashed|Digest|Prefix|Expiry|Expires|TTL|URL|Path|File)$/.test(last);
    });
    if (sensitive) hits.push({ node: call, detail: `\`${shortCode(sensitive.text, 40)}\` written to the log by \`${calleeOf(call)}()\`` });
  }
  return hits;
}

const SECRET_NAME = /^(?:jwtSecret|jwtKey|sessionSecret|sessionKey|cookieSecret|signingKey|hmacSecret|secretKey|dbPassword|databasePassword)$/i;

function findHardcodedSecret(root: SyntaxNode): SyntaxHit[] {
  const hits: SyntaxHit[] = [];
  for (const spec of ofType(root, "const_spec", "var_spec", "short_var_declaration", "keyed_element")) {
    const [name, value] =
      spec.type === "keyed_element"
        ? [named(spec)[0]?.text ?? "", named(spec)[1]]
        : spec.type === "short_var_declaration"
          ? [named(field(spec, "left")!)[0]?.text ?? "", named(field(spec, "right")!)[0]]
          : [named(spec).find((c) => c.type === "identifier")?.text ?? "", field(spec, "value") ? named(field(spec, "value")!)[0] : undefined];
    const literal = value?.type === "literal_element" ? named(value)[0] : value;
    if (!SECRET_NAME.test(name) || !literal) continue;
    const text = stringValue(literal);
    if (text !== null && text.length >= 8 && !/^(?:x+|\*+|changeme)$/i.test(text))
      hits.push({ node: spec, detail: `\`${name}\` is a string literal in the code` });
  }
  return hits;
}

export const GO_RULES: readonly SyntaxRule[] = [
  {
    id: "go/sql-injection",
    language: "go",
    category: "security",
    severity: "P0",
    confidence: 0.9,
    title: "SQL built from run-time values",
    advice:
      'A value formatted into the SQL text (`fmt.Sprintf`, `+`) can close the quote or add clauses of its own (SQL injection). Pass values as arguments (`db.QueryContext(ctx, "… WHERE id = $1", id)`); for identifiers such as a sort column, map the input to a fixed set of column names.',
    find: findSqlInjection,
  },
  {
    id: "go/shell-injection",
    language: "go",
    category: "security",
    severity: "P0",
    confidence: 0.9,
    title: "Shell command built from run-time values",
    advice:
      '`sh -c` parses the whole string, so a value containing `;`, `|`, `$( )` or quotes runs its own commands. Run the program directly with separate arguments (`exec.CommandContext(ctx, "convert", src, dst)`).',
    find: findShellCommand,
  },
  {
    id: "go/path-traversal",
    language: "go",
    category: "security",
    severity: "P1",
    confidence: 0.8,
    title: "File path built from request data",
    advice:
      "`filepath.Join` cleans `..` but keeps it at the front, so a name such as `../../etc/passwd` leaves the directory. Reject names that are not one clean element (`filepath.Base(name) != name`, `filepath.IsLocal`), or open files through `os.OpenRoot`/`http.Dir`.",
    find: (root) => findRequestSinks(root, PATH_SINK, pathArgs, PATH_CONFINEMENT, "as a file path"),
  },
  {
    id: "go/ssrf",
    language: "go",
    category: "security",
    severity: "P1",
    confidence: 0.8,
    title: "Server-side request to a URL from the request",
    advice:
      "The server fetches a URL the client chose, so it can reach internal services and cloud metadata (`169.254.169.254`, `localhost`, private ranges). Allow only expected hosts, or check the resolved address in the client's `Dialer.Control` and reject private and link-local ones.",
    find: (root) => findRequestSinks(root, HTTP_SINK, urlArgs, /\b(?:IsPrivate|IsLoopback|allowedHosts|AllowedHosts)\b/, "as the URL"),
  },
  {
    id: "go/tls-verification-disabled",
    language: "go",
    category: "security",
    severity: "P1",
    confidence: 1,
    title: "TLS certificate verification disabled",
    advice:
      "With `InsecureSkipVerify` anyone on the network path can impersonate the server and read or change the traffic. Remove it; for a private CA add its certificate to `RootCAs`.",
    find: findInsecureTls,
  },
  {
    id: "go/weak-password-hash",
    language: "go",
    category: "security",
    severity: "P1",
    confidence: 0.8,
    title: "Password hashed with a fast hash",
    advice:
      "MD5 and SHA hashes are built to be fast, so leaked password hashes are cracked at billions of guesses per second. Use `golang.org/x/crypto/bcrypt`, `argon2.IDKey` or `scrypt` with a random salt.",
    find: findWeakPasswordHash,
  },
  {
    id: "go/defer-in-loop",
    language: "go",
    category: "bug",
    severity: "P2",
    confidence: 1,
    title: "`defer` inside a loop",
    advice:
      "Deferred calls run when the function returns, so every iteration's file, lock or rows stay open until the loop ends (`too many open files` on large inputs). Close explicitly at the end of the iteration, or move the body into a function that defers.",
    find: findDeferInLoop,
  },
  {
    id: "go/query-in-loop",
    language: "go",
    category: "performance",
    severity: "P2",
    confidence: 0.8,
    title: "Database query inside a loop (N+1)",
    advice:
      "One query per iteration turns one request into as many round trips as there are rows (and, inside a `rows.Next()` loop, holds a second connection each time). Join the data in the first query, or load it with one `WHERE id = ANY($1)` query before the loop.",
    find: findQueryInLoop,
  },
  {
    id: "go/discarded-error",
    language: "go",
    category: "bug",
    severity: "P1",
    confidence: 0.9,
    title: "Error discarded where the result is used",
    advice:
      "When decoding, scanning or committing fails the value is zero or half-filled (or the transaction is not stored), and the code goes on as if it had succeeded. Check the error and keep the previous state (or return it).",
    find: findDiscardedError,
  },
  {
    id: "go/index-out-of-range",
    language: "go",
    category: "bug",
    severity: "P1",
    confidence: 1,
    title: "Index one past the end",
    advice:
      "Indexes run from 0 to `len(x)-1`, so `x[len(x)]` panics with `index out of range`. The last element is `x[len(x)-1]` (after checking that `x` is not empty).",
    find: findIndexAtLen,
  },
  {
    id: "go/map-write-in-goroutine",
    language: "go",
    category: "bug",
    severity: "P1",
    confidence: 0.9,
    title: "Map written concurrently from goroutines",
    advice:
      "Go maps are not safe for concurrent writes: the runtime aborts with `concurrent map writes`, or the map is corrupted. Guard it with a `sync.Mutex`, send results over a channel, or give each goroutine its own slot of a slice.",
    find: findMapWriteInGoroutine,
  },
  {
    id: "go/unbounded-request-body",
    language: "go",
    category: "performance",
    severity: "P1",
    confidence: 0.9,
    title: "Request body read without a size limit",
    advice:
      "`io.ReadAll` on the request body holds the whole upload in memory, so one large (or endless) request can exhaust the server. Wrap the body first: `r.Body = http.MaxBytesReader(w, r.Body, limit)`.",
    find: findUnboundedBody,
  },
  {
    id: "go/sensitive-data-in-log",
    language: "go",
    category: "security",
    severity: "P2",
    confidence: 0.7,
    title: "Sensitive value written to the log",
    advice:
      "Logs are kept long, copied to other systems and read by more people than the data's owners; a password, token or secret in them is a leak. Log an identifier or a masked form instead.",
    find: findSensitiveLog,
  },
  {
    id: "go/hardcoded-secret",
    language: "go",
    category: "security",
    severity: "P1",
    confidence: 0.9,
    title: "Hard-coded secret in configuration",
    advice:
      "A signing or database secret in the code is known to everyone with the repository, so anyone can forge sessions or tokens. Read it from the environment or a secret store and fail at start-up when it is missing.",
    find: findHardcodedSecret,
  },
];

import type { Category, Severity } from "../../domain/finding.js";

/**
 * Every ESLint rule Longview runs, with how its findings are classified.
 * Chosen for a very low false-positive rate on real code: correctness rules
 * whose reports are almost always real bugs, the plugin's precise security
 * rules, and Longview's own. No style rules. `typescript: false` marks rules
 * whose problems the TypeScript compiler already reports (typescript-eslint's
 * `eslint-recommended` turns the same ones off for TS files).
 */
export interface RuleInfo {
  readonly category: Category;
  readonly severity: Severity;
  /** 1 for deterministic rules, lower for heuristics that guess intent from names. */
  readonly confidence: number;
  /** Fixed title; when absent the rule's own (one-line) message is the title. */
  readonly title?: string;
  /** Why it is a problem and how to fix it (markdown). */
  readonly advice: string;
  readonly typescript: boolean;
  /** Reports to drop, given the reported source text (single-line reports only): deliberate idioms the rule cannot tell apart. */
  readonly ignore?: (source: string) => boolean;
  /**
   * The rule reports a string literal that holds a credential: its value is
   * handed to redaction under this kind, so the model never sees it.
   */
  readonly secretKind?: string;
  /** Overrides for one message of a rule (e.g. a weaker variant). */
  readonly messages?: Readonly<Record<string, Partial<Pick<RuleInfo, "severity" | "confidence" | "advice">>>>;
}

const bug = (severity: Severity, title: string, advice: string, typescript = true): RuleInfo => ({
  category: "bug",
  severity,
  confidence: 1,
  title,
  advice,
  typescript,
});

export const CORE_RULES: Readonly<Record<string, RuleInfo>> = {
  "use-isnan": bug(
    "P1",
    "Comparison with NaN is always false",
    "`NaN` is not equal to anything, itself included, so this comparison never holds. Use `Number.isNaN(value)`.",
  ),
  "valid-typeof": bug(
    "P1",
    "`typeof` compared with a string it never returns",
    '`typeof` returns only `"undefined"`, `"object"`, `"boolean"`, `"number"`, `"string"`, `"function"`, `"symbol"` and `"bigint"`; a typo makes this check always false. Fix the string.',
  ),
  "for-direction": bug(
    "P1",
    "Loop counter moves away from its end condition",
    "The update moves the counter in the wrong direction, so the loop either never runs or never ends. Swap `++`/`--` or the comparison.",
  ),
  "no-invalid-regexp": bug("P1", "Invalid regular expression", "`RegExp` throws a `SyntaxError` for this pattern at run time. Fix the pattern or its flags."),
  "no-unsafe-finally": bug(
    "P2",
    "Control flow in `finally` overrides the `try`/`catch` result",
    "A `return`, `throw`, `break` or `continue` in `finally` discards the value returned or the error thrown in `try`/`catch`. Move it out of the `finally` block.",
  ),
  "no-self-compare": {
    ...bug("P2", "Value compared with itself", "Comparing an expression with itself is always true (or always false). Compare with the intended other value."),
    // `x !== x` is the classic NaN test and `'object' == 'object'` is UMD boilerplate: deliberate, not typos.
    ignore: (source) => /^\s*([A-Za-z_$][\w$]*|'[^']*'|"[^"]*")\s*[!=]==?\s*\1\s*$/.test(source),
  },
  "no-cond-assign": bug(
    "P2",
    "Assignment in a condition",
    "`=` inside a condition assigns instead of comparing, so the branch depends on the assigned value. Use `===`, or wrap an intended assignment in extra parentheses.",
  ),
  "no-compare-neg-zero": bug("P2", "Comparison with -0", "`x === -0` is also true for `+0`. Use `Object.is(x, -0)` to test for negative zero."),
  "no-constant-binary-expression": bug(
    "P2",
    "Expression always has the same result",
    "One side of this operator makes the result independent of the other (e.g. `a + b ?? c`, `!x == null`, `x === []`). Check the operator precedence and what was meant.",
  ),
  "no-dupe-else-if": bug(
    "P2",
    "Duplicate condition in `else if` chain",
    "This branch can never run: an earlier branch has the same condition. Remove it or fix the condition.",
  ),
  "no-duplicate-case": bug("P2", "Duplicate `case` label", "Only the first `case` with this value runs; the second is dead code. Remove it or fix the label."),
  "no-loss-of-precision": bug(
    "P2",
    "Number literal loses precision",
    "This literal cannot be represented exactly as a double, so the value at run time differs from the source. Use a `BigInt` (`123n`) or a string.",
  ),
  "no-unsafe-optional-chaining": bug(
    "P2",
    "Optional chain used where `undefined` throws",
    "When the chain short-circuits, `undefined` is called, spread or destructured and throws a `TypeError`. Give it a default (`?? []`) or remove the `?.`.",
  ),
  "no-empty-character-class": bug(
    "P2",
    "Empty character class in regular expression",
    "`[]` matches nothing, so the whole expression can never match. Fix the class.",
  ),
  "array-callback-return": bug(
    "P2",
    "Array callback does not return a value",
    "`map`/`filter`/`find`/`reduce`/`some`/`every`/`sort` use the callback's return value; without a `return` they see `undefined`. Return the value, or use `forEach`.",
  ),
  "no-self-assign": bug(
    "P3",
    "Value assigned to itself",
    "Assigning a variable or property to itself has no effect; the intended right-hand side is probably another value.",
  ),
  "no-async-promise-executor": bug(
    "P3",
    "`async` Promise executor",
    "Errors thrown in an async executor are lost instead of rejecting the promise. Make the executor synchronous, or use an `async` function directly.",
  ),
  "no-useless-backreference": bug(
    "P3",
    "Backreference that always matches empty",
    "This backreference refers to a group that cannot have matched at that point, so it always matches the empty string. Fix the group order.",
  ),
  // Reported by the TypeScript compiler for TS files.
  "no-unreachable": bug(
    "P2",
    "Unreachable code",
    "This code comes after a `return`, `throw`, `break` or `continue` and never runs. Remove it or fix the control flow.",
    false,
  ),
  "no-dupe-keys": bug("P2", "Duplicate key in object literal", "The later key silently overwrites the earlier one. Remove or rename one of them.", false),
  "no-unsafe-negation": bug(
    "P1",
    "Negation applies to the left operand only",
    "`!key in obj` and `!x instanceof C` negate the left operand, not the result, so the check is almost always false. Write `!(key in obj)`.",
    false,
  ),
  "getter-return": bug("P2", "Getter does not return a value", "A getter without `return` yields `undefined`. Return the value.", false),
  "no-func-assign": bug(
    "P2",
    "Function declaration reassigned",
    "Reassigning a function declaration replaces the function for every caller. Use a variable if it must change.",
    false,
  ),
  "no-import-assign": bug("P1", "Assignment to an import", "Imported bindings are read-only; this assignment throws a `TypeError` at run time.", false),
  "no-const-assign": bug("P1", "Assignment to a `const`", "This assignment throws a `TypeError` at run time. Use `let` if the value must change.", false),
  "no-obj-calls": bug(
    "P1",
    "Global object called as a function",
    "`Math`, `JSON`, `Reflect`, `Atomics` and `Intl` are not functions; this call throws a `TypeError`.",
    false,
  ),
  "no-class-assign": bug(
    "P2",
    "Class declaration reassigned",
    "Reassigning a class binding breaks every later use of the class. Use a different variable.",
    false,
  ),
  "no-new-native-nonconstructor": bug(
    "P1",
    "`new` used with `Symbol` or `BigInt`",
    "`new Symbol()` and `new BigInt()` throw a `TypeError`. Call them without `new`.",
    false,
  ),
  "constructor-super": bug(
    "P1",
    "Invalid `super()` call in constructor",
    "A derived class must call `super()` (and a base class must not); otherwise constructing it throws.",
    false,
  ),
  "no-this-before-super": bug(
    "P1",
    "`this` used before `super()`",
    "Using `this` or `super.x` before `super()` in a derived constructor throws a `ReferenceError`.",
    false,
  ),
};

const security = (severity: Severity, title: string | undefined, advice: string, confidence = 1): RuleInfo => ({
  category: "security",
  severity,
  confidence,
  ...(title === undefined ? {} : { title }),
  advice,
  typescript: true,
});

export const SECURITY_PLUGIN_RULES: Readonly<Record<string, RuleInfo>> = {
  "security/detect-bidi-characters": security(
    "P1",
    "Bidirectional control character in source (Trojan Source)",
    "Unicode bidi overrides make code display differently from how it runs, hiding logic from reviewers. Remove the character or use an escape sequence.",
  ),
  "security/detect-new-buffer": security(
    "P2",
    "`new Buffer()` with a non-literal argument",
    "The deprecated `Buffer` constructor allocates uninitialized memory when given a number, which can leak data. Use `Buffer.from()` or `Buffer.alloc()`.",
  ),
  "security/detect-buffer-noassert": security(
    "P2",
    "Buffer access with `noAssert` enabled",
    "`noAssert` skips bounds checks, so out-of-range offsets read or write past the buffer. Remove the flag.",
  ),
  "security/detect-pseudoRandomBytes": security(
    "P2",
    "`crypto.pseudoRandomBytes` is not cryptographically strong",
    "Use `crypto.randomBytes()` for anything security-sensitive.",
  ),
  "security/detect-disable-mustache-escape": security(
    "P2",
    "HTML escaping disabled in the template engine",
    "`escapeMarkup = false` renders every variable unescaped, which allows cross-site scripting. Keep escaping on and mark trusted HTML explicitly.",
  ),
  "security/detect-no-csrf-before-method-override": security(
    "P2",
    "CSRF middleware registered before `methodOverride`",
    "`methodOverride` after `csrf` lets a GET request be turned into a state-changing verb that skipped the CSRF check. Register `methodOverride` first.",
  ),
};

const performance = (severity: Severity, title: string, advice: string, confidence: number): RuleInfo => ({
  category: "performance",
  severity,
  confidence,
  title,
  advice,
  typescript: true,
});

export const LONGVIEW_RULES: Readonly<Record<string, RuleInfo>> = {
  "longview/sql-injection": security(
    "P1",
    undefined,
    'Values spliced into SQL text can change the query (SQL injection). Pass them as parameters (`db.query("… WHERE id = $1", [id])`, `?` placeholders, or a tagged `sql` template) instead of concatenating or interpolating them.',
    0.8,
  ),
  "longview/command-injection": security(
    "P1",
    undefined,
    "`exec`/`execSync` run the string through a shell, so shell syntax in any interpolated value runs as a command. Use `execFile`/`spawn` with an argument array (no `shell: true`), or validate the value against a strict allow-list.",
    0.9,
  ),
  "longview/dynamic-code-execution": security(
    "P1",
    undefined,
    "Compiling a string that contains run-time data executes whatever that data says. Avoid `eval`/`Function`/`vm` here: parse data with `JSON.parse`, or dispatch through a fixed table of functions. (`vm` is not a security sandbox.)",
    0.9,
  ),
  "longview/nosql-where-injection": security(
    "P1",
    undefined,
    "`$where` runs JavaScript inside MongoDB; interpolated input becomes code. Use regular query operators (`$eq`, `$expr`, …) with the values as data.",
    0.9,
  ),
  "longview/hardcoded-credentials": {
    ...security(
      "P1",
      undefined,
      "Credentials committed to source are readable by everyone with repository access and stay in the git history. Load the value from the environment or a secret manager, and rotate the credential if it is real.",
      0.7,
    ),
    secretKind: "credential",
  },
  "longview/open-redirect": security(
    "P2",
    undefined,
    "Redirecting to a URL taken from the request lets an attacker send users from a trusted link to a phishing site. Redirect only to relative paths or to an allow-list of hosts (check the parsed URL's origin).",
    0.8,
  ),
  "longview/ssrf": security(
    "P1",
    "Server-side request to a URL from the request",
    "The server fetches a URL the client chose, so it can be pointed at internal services and cloud metadata (`169.254.169.254`, `localhost`, private ranges) and return or act on what they answer. Allow only expected hosts, or resolve the host and reject private, loopback and link-local addresses, and re-check after redirects (or disable them).",
    0.8,
  ),
  "longview/path-traversal": security(
    "P1",
    "File path built from request data",
    "A name from the request can contain `../` (or be absolute, or `%2e%2e%2f` before decoding), and `path.join`/`resolve` follow it out of the intended directory, exposing other users' or the server's files. Reject names that are not a single segment (`path.basename(name) !== name`), or resolve the path and check it still starts with the directory plus a separator.",
    0.8,
  ),
  "longview/secret-fallback": {
    ...security(
      "P1",
      "Hard-coded signing secret",
      "A secret in the code is known to everyone with the repository; as the fallback of an environment variable it becomes the production secret the day a deployment forgets the variable, and anyone can forge sessions or tokens with it. Read it from the environment or a secret store and fail at start-up when it is missing.",
      0.9,
    ),
    secretKind: "credential",
  },
  "longview/sensitive-log": security(
    "P2",
    "Sensitive value written to the log",
    "Logs are kept long, shipped to other systems and read by more people than the data's owners; a password, token, secret or card number in them is a leak. Log an identifier or a masked form (`token.slice(0, 4) + \"…\"`), or configure the logger to redact the field (pino's `redact`).",
    0.7,
  ),
  "longview/tls-verification-disabled": security(
    "P1",
    undefined,
    "Without certificate verification any on-path attacker can impersonate the server and read or change the traffic. Remove the override; for a private CA, pass its certificate via the `ca` option or `NODE_EXTRA_CA_CERTS`.",
    1,
  ),
  "longview/unsafe-html-sink": security(
    "P2",
    undefined,
    "HTML built from data is parsed as markup, so data containing `<script>` or event handlers runs in the page (XSS). Use `textContent`, render through the framework's escaping, or sanitize with DOMPurify first.",
    0.7,
  ),
  "longview/weak-password-hash": security(
    "P1",
    undefined,
    "MD5 and SHA-1 are fast and unsalted here, so leaked hashes are cracked at billions of guesses per second. Hash passwords with a slow salted KDF: `crypto.scrypt`, bcrypt or argon2.",
    0.9,
  ),
  "longview/insecure-random": {
    ...security(
      "P2",
      undefined,
      "`Math.random()` is predictable: its internal state can be recovered from a few outputs, so values derived from it can be guessed. Use `crypto.randomBytes()`, `crypto.randomUUID()` or `crypto.getRandomValues()`.",
      0.8,
    ),
    messages: {
      identifier: {
        severity: "P3",
        confidence: 0.5,
        advice:
          "`Math.random()` is predictable. If this identifier must be unguessable (it grants access, names a private resource or is used as a token), generate it with `crypto.randomUUID()` or `crypto.randomBytes()`; if it only needs to be unique, ignore this.",
      },
    },
  },
  "longview/unsafe-regex": security(
    "P2",
    undefined,
    "Nested quantifiers let the regex engine try exponentially many ways to split a non-matching input, so one crafted string blocks the event loop (ReDoS). Rewrite the pattern so each character can be matched in only one way (e.g. `(a+)+` → `a+`), or bound the input length.",
    0.8,
  ),
  "longview/query-in-loop": performance(
    "P2",
    "Query inside a loop (N+1)",
    "Each iteration waits for its own round trip, so the time grows with the collection (N+1 queries). Fetch everything in one query (`WHERE id = ANY($1)` / `IN (…)`, `findMany({ where: { id: { in: ids } } })`, a join, or a batch endpoint), or run the calls with `Promise.all` over bounded chunks (e.g. `p-map` with `concurrency`).",
    0.7,
  ),
  "longview/quadratic-lookup": performance(
    "P3",
    "Linear search inside a loop (quadratic)",
    "Each iteration scans the whole array, so the loop costs n × m and slows down sharply as both grow. Build a `Set` (or a `Map` by key) once before the loop and use `set.has(x)` / `map.get(key)`.",
    0.6,
  ),
  "longview/sync-io-in-handler": performance(
    "P2",
    "Blocking call in a request handler",
    "Node serves every request on one thread: while this synchronous call runs, no other request is handled. Use the async version (`fs.promises.readFile`, `execFile` with `promisify`, `zlib.gzip`, `crypto.scrypt`, `bcrypt.hash`), or do the work once at start-up and reuse the result.",
    0.9,
  ),
};

export const ESLINT_RULES: Readonly<Record<string, RuleInfo>> = { ...CORE_RULES, ...SECURITY_PLUGIN_RULES, ...LONGVIEW_RULES };

export function ruleInfo(ruleId: string): RuleInfo | undefined {
  return ESLINT_RULES[ruleId];
}

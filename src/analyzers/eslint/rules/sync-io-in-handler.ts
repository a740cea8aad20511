import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { calleeName, findVariable, isFunction, isModuleFunction, unwrap, type Node } from "../ast.js";
import { isRequestHandler } from "./request-handlers.js";
import { contains } from "./syntax-walk.js";

const FS_FUNCTIONS = [
  "readFileSync",
  "writeFileSync",
  "appendFileSync",
  "readdirSync",
  "copyFileSync",
  "cpSync",
  "mkdirSync",
  "mkdtempSync",
  "rmSync",
  "rmdirSync",
  "unlinkSync",
  "renameSync",
  "openSync",
  "readSync",
  "writeSync",
  "truncateSync",
  "opendirSync",
];
const FS_EXTRA_FUNCTIONS = ["readJsonSync", "writeJsonSync", "outputFileSync", "outputJsonSync", "copySync", "moveSync", "removeSync", "emptyDirSync"];

/**
 * Blocking calls that take long enough to matter: file-system access,
 * child processes, compression and deliberately slow key derivation.
 * `existsSync`, `accessSync` and the `stat` family are left out: one cheap
 * metadata lookup, rarely worth a comment.
 */
const SYNC_FUNCTIONS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["fs", new Set(FS_FUNCTIONS)],
  ["graceful-fs", new Set(FS_FUNCTIONS)],
  ["fs-extra", new Set([...FS_FUNCTIONS, ...FS_EXTRA_FUNCTIONS])],
  ["child_process", new Set(["execSync", "execFileSync", "spawnSync"])],
  [
    "zlib",
    new Set([
      "gzipSync",
      "gunzipSync",
      "deflateSync",
      "inflateSync",
      "deflateRawSync",
      "inflateRawSync",
      "unzipSync",
      "brotliCompressSync",
      "brotliDecompressSync",
    ]),
  ],
  ["crypto", new Set(["pbkdf2Sync", "scryptSync", "generateKeyPairSync", "generatePrimeSync"])],
  ["bcrypt", new Set(["hashSync", "compareSync", "genSaltSync"])],
  ["bcryptjs", new Set(["hashSync", "compareSync", "genSaltSync"])],
]);

/**
 * Synchronous file-system, child-process, zlib and key-derivation calls
 * inside an HTTP request handler (Express, Koa, Fastify, hapi, `http.createServer`):
 * while the call runs, the event loop serves no other request. Module top
 * level and code outside handlers (start-up, CLIs) are not reported, nor is
 * a value computed once and kept outside the handler (`template ??= readFileSync(…)`).
 */
export const syncIoInHandlerRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "Blocking call inside an HTTP request handler" } },
  create(context) {
    return {
      CallExpression(call: ESTree.CallExpression) {
        const name = blockingFunction(context, call);
        if (name === null) return;
        const handler = enclosingHandler(context, call as Node);
        if (!handler || isCachedOutside(context, call as Node, handler)) return;
        context.report({ node: call, message: `\`${name}()\` blocks the event loop inside a request handler` });
      },
    };
  },
};

const ALL_SYNC_NAMES = new Set([...SYNC_FUNCTIONS.values()].flatMap((names) => [...names]));

function blockingFunction(context: Rule.RuleContext, call: ESTree.CallExpression): string | null {
  // Cheap name test first: resolving the callee's import runs for every call otherwise.
  const called = calleeName(call);
  if (called === null || !ALL_SYNC_NAMES.has(called)) return null;
  const callee = call.callee as Node;
  for (const [module, names] of SYNC_FUNCTIONS) {
    const name = isModuleFunction(context, callee, module, names);
    if (name !== null) return `${module}.${name}`;
  }
  return null;
}

function enclosingHandler(context: Rule.RuleContext, node: Node): Node | null {
  for (let current = node.parent; current; current = current.parent) {
    if (isFunction(current) && isRequestHandler(context, current)) return current;
  }
  return null;
}

/** `cache = readFileSync(…)`, `cache ??= …`, `cache.page = …` where `cache` lives outside the handler: read once, reused. */
function isCachedOutside(context: Rule.RuleContext, call: Node, handler: Node): boolean {
  let child = call;
  let current = call.parent;
  // Look through conversions of the result: `JSON.parse(readFileSync(…))`, `readFileSync(…).toString()`.
  while (current && (current.type === "CallExpression" || current.type === "MemberExpression" || current.type === "AwaitExpression")) {
    child = current;
    current = current.parent;
  }
  if (current?.type !== "AssignmentExpression" || current.right !== child) return false;
  const target = unwrap(current.left as Node);
  const identifier = target.type === "Identifier" ? target : target.type === "MemberExpression" ? rootIdentifier(target) : null;
  if (!identifier) return false;
  const variable = findVariable(context, identifier);
  const declaration = variable?.defs[0]?.name as Node | undefined;
  return declaration !== undefined && !contains(handler, declaration);
}

function rootIdentifier(member: ESTree.MemberExpression): ESTree.Identifier | null {
  let object = unwrap(member.object as Node);
  while (object.type === "MemberExpression") object = unwrap(object.object as Node);
  return object.type === "Identifier" ? object : null;
}

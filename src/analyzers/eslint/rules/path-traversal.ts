import type { Rule } from "eslint";
import type * as ESTree from "estree";
import { memberPath, unwrap, type Node } from "../ast.js";
import { enclosingFunctionText, requestInput } from "./request-data.js";

const PATH_FUNCTIONS = new Set(["join", "resolve"]);
const FS_FUNCTIONS = new Set([
  "readFile",
  "readFileSync",
  "createReadStream",
  "writeFile",
  "writeFileSync",
  "createWriteStream",
  "unlink",
  "unlinkSync",
  "rm",
  "rmSync",
  "open",
  "openSync",
  "readdir",
  "readdirSync",
]);
const RESPONSE_FILE_METHODS = new Set(["sendFile", "download", "attachment"]);
/** Checks that confine a path to its directory; any of them in the function is taken as the fix. */
const CONFINEMENT =
  /\bbasename\s*\(|\.startsWith\s*\(|\brelative\s*\(|["'`]\.\.["'`]|\.\.\/|isInside|isSubPath|sanitize[-_]?filename|normalize\s*\([^)]*\)\s*\.startsWith/;

/**
 * A file path built from request data (`path.join(dir, req.params.file)`,
 * `res.sendFile(req.query.name)`, `fs.readFile(…)`): `../` segments leave the
 * intended directory. One report per function, at the first place the value
 * becomes a path; functions that check the resolved path are not reported.
 */
export const pathTraversalRule: Rule.RuleModule = {
  meta: { type: "problem", schema: [], docs: { description: "File path built from request data" } },
  create(context) {
    const reported = new Set<string>();
    return {
      CallExpression(call: ESTree.CallExpression) {
        const sink = sinkName(call);
        if (sink === null) return;
        const functionText = enclosingFunctionText(context, call as Node);
        if (reported.has(functionText) || CONFINEMENT.test(functionText)) return;
        const args = sink.endsWith(".attachment") ? [] : sink.startsWith("res.") || sink.startsWith("reply.") ? call.arguments.slice(0, 1) : call.arguments;
        for (const arg of args) {
          if (arg.type === "SpreadElement") continue;
          const source = requestInput(context, arg as Node, false);
          if (source === null) continue;
          reported.add(functionText);
          context.report({ node: call, message: `\`${sink}()\` builds a file path from \`${source}\`` });
          return;
        }
      },
    };
  },
};

function sinkName(call: ESTree.CallExpression): string | null {
  const callee = unwrap(call.callee as Node);
  const path = memberPath(callee);
  if (!path || path.length < 2) return null;
  const method = path[path.length - 1]!;
  const object = path[path.length - 2]!;
  if (object === "path" && PATH_FUNCTIONS.has(method)) return `path.${method}`;
  if ((object === "fs" || object === "promises" || object === "fsp") && FS_FUNCTIONS.has(method)) return `${object}.${method}`;
  if ((object === "res" || object === "reply" || object === "response") && RESPONSE_FILE_METHODS.has(method)) return `res.${method}`;
  return null;
}

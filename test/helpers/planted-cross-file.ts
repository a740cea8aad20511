import { REVIEW_FORMAT_NAME } from "../../src/reviewer/output-schema.js";
import type { OpenAIScript, ScriptedReply } from "./scripted-openai.js";
import { quietPasses } from "./scripted-passes.js";
import { formatOf } from "./verifier.js";

/**
 * The planted cross-file bug the reviewer must catch: `checkToken(token, user)`
 * becomes `checkToken(user, token, opts?)`, and an unchanged route still calls
 * `checkToken(token, user)` — the arguments are now swapped, an authentication
 * break no single changed file shows. The arity still fits, so no analyzer
 * can prove it: only a reviewer that sees (or goes and reads) the caller can.
 * The route also holds a token, which must never reach the model.
 */

const SECRET = "ghp_" + "Q7x9Lm2Vb4Nc8Rt1Yp6Kd3Wf5Hs0Jz2Ua7Ge";

const BASE_CHECK = `import { verify } from "./verify.js";

export function checkToken(token: string, user: string): boolean {
  return verify(token, user);
}
`;

const HEAD_CHECK = `import { verify } from "./verify.js";

export interface CheckOptions {
  readonly audience?: string;
}

export function checkToken(user: string, token: string, opts: CheckOptions = {}): boolean {
  return verify(token, user, opts.audience ?? "api");
}
`;

const VERIFY = `export function verify(token: string, user: string, audience = "api"): boolean {
  return token.startsWith(user + ":") && audience.length > 0;
}
`;

const CALLER_TEXT = 'if (!checkToken(token, user)) throw new Error("unauthorized");';

const ROUTE = `import { checkToken } from "../auth/check-token.js";

const GITHUB_TOKEN = "${SECRET}";

export function login(req: { headers: Record<string, string>; body: { user: string } }): string {
  const token = req.headers["authorization"] ?? "";
  const user = req.body.user;
  ${CALLER_TEXT}
  return \`welcome \${user} (\${GITHUB_TOKEN.length})\`;
}
`;

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

export const PLANTED = {
  base: { "src/auth/check-token.ts": BASE_CHECK, "src/auth/verify.ts": VERIFY, "src/routes/login.ts": ROUTE },
  head: { "src/auth/check-token.ts": HEAD_CHECK },
  changedPath: "src/auth/check-token.ts",
  changedLine: lineOf(HEAD_CHECK, "export function checkToken"),
  callerPath: "src/routes/login.ts",
  callerLine: lineOf(ROUTE, CALLER_TEXT),
  callerText: CALLER_TEXT,
  secret: SECRET,
} as const;

/** What a reviewer that saw the caller reports (output-schema shape). */
export const PLANTED_FINDING = {
  path: PLANTED.changedPath,
  line: PLANTED.changedLine,
  start_line: null,
  side: "RIGHT",
  quote: HEAD_CHECK.split("\n")[PLANTED.changedLine - 1] ?? "",
  severity: "P1",
  category: "security",
  title: "Unchanged caller still passes (token, user) to checkToken",
  body: `\`${PLANTED.callerPath}:${PLANTED.callerLine}\` calls \`checkToken(token, user)\`; with the new order the token is checked as the user. Update the caller.`,
  suggestion: null,
  confidence: 0.9,
};

/**
 * A model that reviews like a careful engineer: in a window with tools it
 * first reads the caller named by the window's impact section, and reports
 * the break only once the caller's text came back from the tool. The passes
 * around the windows (survey, synthesis) answer with nothing found.
 */
export const plantedToolModel: OpenAIScript = (request): ScriptedReply => {
  const pass = quietPasses(request);
  if (pass) return pass;
  const shown = request.userTexts.join("\n");
  if (request.tools.includes("read_file") && request.toolResults.length === 0 && shown.includes(`${PLANTED.callerPath}:${PLANTED.callerLine}`)) {
    return { toolCalls: [{ name: "read_file", arguments: { path: PLANTED.callerPath, start_line: null, end_line: null } }] };
  }
  const readCaller = request.toolResults.some((t) => t.output.includes(PLANTED.callerText));
  return { answer: { findings: readCaller ? [PLANTED_FINDING] : [], notes: [] } };
};

/** The words of Longview's repair request (a follow-up to an answer that did not match its schema). */
export const REPAIR = "Your previous answer could not be used";

/**
 * The same reviewer behind any server: with tools it reads the caller first;
 * without (a server that takes none) it finds the caller in the window's impact
 * section. `slipOnce`: like a small model in JSON mode, its first answer leaves
 * out a field, and only the repair request gets the whole object.
 */
export function plantedModel(options: { slipOnce?: boolean } = {}): OpenAIScript {
  let slipped = false;
  return (request): ScriptedReply => {
    const pass = quietPasses(request);
    if (pass) return pass;
    if (formatOf(request.body) !== REVIEW_FORMAT_NAME) throw new Error(`unexpected request ${String(formatOf(request.body))}`);
    const shown = request.userTexts.join("\n");
    if (request.tools.includes("read_file") && request.toolResults.length === 0 && shown.includes(`${PLANTED.callerPath}:${PLANTED.callerLine}`)) {
      return { toolCalls: [{ name: "read_file", arguments: { path: PLANTED.callerPath, start_line: null, end_line: null } }] };
    }
    const sawCaller =
      request.toolResults.some((t) => t.output.includes(PLANTED.callerText)) || (request.tools.length === 0 && shown.includes(PLANTED.callerText));
    const findings = sawCaller ? [PLANTED_FINDING] : [];
    if (options.slipOnce && !slipped && !shown.includes(REPAIR)) {
      slipped = true;
      return { answer: { findings } };
    }
    return { answer: { findings, notes: [] } };
  };
}

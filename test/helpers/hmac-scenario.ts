import type { ScriptedReply, ScriptedRequest } from "./scripted-openai.js";

/**
 * The timing-attack scenario the fix tests share: a pull request adds an
 * HMAC check that compares digests with `==`, and the model reviewer
 * reports it where the line is added.
 */

export const HMAC_FILE = [
  "import { createHmac, timingSafeEqual } from 'node:crypto';",
  "",
  "export function verifySignature(secret, payload, signature) {",
  "  const expected = createHmac('sha256', secret).update(payload).digest('hex');",
  "  return expected == signature;",
  "}",
  "",
].join("\n");

/** The line the finding is about. */
export const COMPARE = "  return expected == signature;";

/** A correct fix: a length check, then a constant-time comparison. */
export const SAFE = "  const a = Buffer.from(expected);\n  const b = Buffer.from(String(signature));\n  return a.length === b.length && timingSafeEqual(a, b);";

export const TIMING_TITLE = "HMAC compared with == (timing attack)";

/** A review window's answer: the finding where the comparison is added (never on a deleted line of a later diff), else nothing. */
export function timingFindingWindow(request: ScriptedRequest): ScriptedReply {
  const added = /R(\d+) \+ {3}return expected == signature;/.exec(request.userTexts.join("\n"));
  if (!added) return { answer: { findings: [], notes: [] } };
  const finding = {
    path: "src/auth.js",
    line: Number(added[1]),
    start_line: null,
    side: "RIGHT",
    quote: "return expected == signature;",
    severity: "P1",
    category: "security",
    title: TIMING_TITLE,
    body: "`==` stops at the first differing character, so its timing leaks the expected signature. Use crypto.timingSafeEqual.",
    suggestion: null,
    confidence: 0.9,
  };
  return { answer: { findings: [finding], notes: [] } };
}

import type { Finding } from "../domain/finding.js";
import type { Window } from "../domain/window.js";
import { renderWindow } from "../context/index.js";
import { delimited, newNonce, pickNonce, type ModelRequest, type PromptMessage } from "../model/index.js";
import { EVIDENCE_TAG, REVIEW_INSTRUCTIONS, UNTRUSTED_TAG, closingReminder, repairRequest } from "./instructions.js";

/**
 * Window + evidence → the messages sent to the model. All pull-request content
 * goes inside blocks delimited by a per-request random nonce (model-request.ts),
 * so the content cannot close its block and pose as instructions.
 */

export interface ReviewPrompt extends ModelRequest {
  readonly nonce: string;
}

/** Longest earlier answer echoed back in a repair request; the error message matters more than the full text. */
const MAX_ECHOED_ANSWER_CHARS = 24_000;

export function buildReviewPrompt(window: Window, evidence: readonly Finding[], makeNonce: () => string = newNonce): ReviewPrompt {
  const content = renderWindow(window);
  const hints = renderEvidence(evidence);
  const nonce = pickNonce([content, hints], makeNonce);

  const user = [
    `Review window ${window.id} (wave ${window.wave}). The pull request content is in the ${UNTRUSTED_TAG} block with id "${nonce}"; the analyzer findings are in the ${EVIDENCE_TAG} block with the same id.`,
    delimited(UNTRUSTED_TAG, nonce, content),
    delimited(EVIDENCE_TAG, nonce, hints),
    closingReminder(nonce),
  ].join("\n\n");

  return { instructions: REVIEW_INSTRUCTIONS, messages: [{ role: "user", content: user }], nonce };
}

/** The follow-up request after an unusable answer: the conversation so far, the answer, and what was wrong with it. */
export function buildRepairRequest(prompt: ModelRequest, previousAnswer: string, problem: string): ModelRequest {
  const echoed: PromptMessage[] = previousAnswer.trim() === "" ? [] : [{ role: "assistant", content: previousAnswer.slice(0, MAX_ECHOED_ANSWER_CHARS) }];
  return {
    instructions: prompt.instructions,
    messages: [...prompt.messages, ...echoed, { role: "user", content: repairRequest(problem) }],
  };
}

function renderEvidence(evidence: readonly Finding[]): string {
  if (evidence.length === 0) return "(none)";
  return evidence
    .map((f) => {
      const range = f.startLine === null ? `${f.line}` : `${f.startLine}-${f.line}`;
      const rule = f.ruleId === null ? f.source : `${f.source} ${f.ruleId}`;
      return `- ${f.path}:${range} (${f.side}) ${f.severity} ${f.category} [${rule}]: ${f.title}`;
    })
    .join("\n");
}

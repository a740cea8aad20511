import type { Finding } from "../domain/finding.js";
import type { Window } from "../domain/window.js";
import { renderGlobal, renderLocal, renderMemory } from "../context/index.js";
import { delimited, newNonce, pickNonce, stableNonce, type ConversationItem, type ModelRequest, type PromptMessage } from "../model/index.js";
import { EVIDENCE_TAG, REVIEW_INSTRUCTIONS, TOOL_INSTRUCTIONS, UNTRUSTED_TAG, closingReminder, repairRequest } from "./instructions.js";

/**
 * Window + evidence → the messages sent to the model. All pull-request content
 * goes inside delimited blocks (model-request.ts), so the content cannot close
 * its block and pose as instructions.
 *
 * Order matters for providers' prompt caches, which reuse the longest
 * identical prefix: the instructions, then the global layer (the same in every
 * window of a pull request, delimited by an id derived from its text and a
 * per-process key), and only then the window's own content and the
 * per-request nonce.
 */

export interface ReviewPrompt extends ModelRequest {
  /** Delimits this window's content and evidence; fresh per request. */
  readonly nonce: string;
  /** Delimits the global layer; the same for every window of the pull request (in this process). */
  readonly globalId: string;
}

export interface ReviewPromptOptions {
  readonly makeNonce?: () => string;
  /** The window is reviewed with tools: the instructions explain them. */
  readonly withTools?: boolean;
}

/** Longest earlier answer echoed back in a repair request; the error message matters more than the full text. */
const MAX_ECHOED_ANSWER_CHARS = 24_000;

export function buildReviewPrompt(window: Window, evidence: readonly Finding[], options: ReviewPromptOptions = {}): ReviewPrompt {
  const global = renderGlobal(window.global);
  const content = renderMemory(window.memory) + renderLocal(window.local);
  const hints = renderEvidence(evidence);
  const globalId = stableNonce(global);
  const nonce = pickNonce([global, content, hints, globalId], options.makeNonce ?? newNonce);

  const user = [
    // Stable for the whole pull request: part of the cacheable prefix.
    `The pull request as a whole (the same for every window of it) is in the ${UNTRUSTED_TAG} block with id "${globalId}".`,
    delimited(UNTRUSTED_TAG, globalId, global),
    // From here on, per window and per request.
    `Review window ${window.id}. This window's content is in the ${UNTRUSTED_TAG} block with id "${nonce}"; the analyzer findings are in the ${EVIDENCE_TAG} block with the same id.`,
    delimited(UNTRUSTED_TAG, nonce, content),
    delimited(EVIDENCE_TAG, nonce, hints),
    closingReminder([globalId, nonce]),
  ].join("\n\n");

  const instructions = options.withTools ? `${REVIEW_INSTRUCTIONS}\n\n${TOOL_INSTRUCTIONS}` : REVIEW_INSTRUCTIONS;
  return { instructions, messages: [{ role: "user", content: user }], nonce, globalId };
}

/** The follow-up request after an unusable answer: the conversation so far (tool calls included), the answer, and what was wrong with it. */
export function buildRepairRequest<M extends ConversationItem>(
  prompt: ModelRequest<M>,
  previousAnswer: string,
  problem: string,
): ModelRequest<M | PromptMessage> {
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

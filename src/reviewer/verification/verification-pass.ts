import type { Logger } from "pino";
import {
  untrustedBlockRequest,
  newNonce,
  type ModelRequest,
  type ModelToolSet,
  type StructuredModel,
  type TokenUsage,
  type ToolUsage,
} from "../../model/index.js";
import { askStructured } from "../ask-structured.js";
import { VERIFICATION_INSTRUCTIONS, VERIFICATION_TAG, VERIFICATION_TOOL_INSTRUCTIONS, verificationRepairRequest } from "./verification-instructions.js";
import { verificationContent, type VerificationBatch, type VerificationContent } from "./verification-input.js";
import type { VerificationOutput } from "./verification-schema.js";
import { validateVerification, type CandidateVerdict } from "./validate-verification.js";

/**
 * The verification pass: one structured call per batch of candidate findings
 * on one file, with the file's hunks and (when given) the repository tools,
 * answering a verdict, a score and a reason per candidate. What the verdicts
 * mean for posting and gating is decided by the pipeline (review/verification.ts).
 * Failures throw the model's typed errors, which carry what was spent.
 */

export interface BatchVerdicts {
  readonly verdicts: ReadonlyMap<string, CandidateVerdict>;
  /** Candidate ids the verifier gave no verdict for. */
  readonly unanswered: readonly string[];
  readonly usage: TokenUsage;
  readonly calls: number;
  readonly inputTokens: number;
  readonly tools?: ToolUsage;
}

export interface VerificationPass {
  readonly model: string;
  verify(batch: VerificationBatch, signal?: AbortSignal, tools?: ModelToolSet): Promise<BatchVerdicts>;
}

/** Candidates per call: enough to share the file's code, few enough that each gets attention. */
export const VERIFICATION_BATCH_SIZE = 6;
export const VERIFICATION_OUTPUT_TOKENS = 3_000;

export class ModelVerificationPass implements VerificationPass {
  readonly model: string;

  constructor(private readonly deps: { readonly model: StructuredModel<VerificationOutput>; readonly log: Logger; readonly maxInputTokens?: number }) {
    this.model = deps.model.model;
  }

  async verify(batch: VerificationBatch, signal?: AbortSignal, tools?: ModelToolSet): Promise<BatchVerdicts> {
    const withTools = tools !== undefined && tools.tools.length > 0;
    const content = verificationContent(batch, this.deps.maxInputTokens);
    const ids = batch.candidates.map((c) => c.id);
    const target = { id: `verify:${batch.path}:${ids[0] ?? ""}`, label: `verification of ${batch.candidates.length} findings`, task: "verify" };
    const session = this.deps.model.session(target, this.deps.log, signal, { pass: "verification" });
    const { output, spend } = await askStructured(
      session,
      verificationRequest(content, newNonce, withTools),
      verificationRepairRequest,
      target,
      this.deps.log,
      withTools ? tools : undefined,
    );
    const validated = validateVerification(output, ids);
    for (const problem of validated.problems) this.deps.log.warn({ pass: "verification", path: batch.path }, `verification output: ${problem}`);
    return {
      verdicts: validated.verdicts,
      unanswered: validated.unanswered,
      usage: spend.usage,
      calls: spend.calls,
      inputTokens: content.tokens,
      ...(withTools ? { tools: session.toolUsage() } : {}),
    };
  }
}

export function verificationRequest(content: VerificationContent, makeNonce: () => string = newNonce, withTools = false): ModelRequest {
  return untrustedBlockRequest({
    instructions: withTools ? `${VERIFICATION_INSTRUCTIONS}\n\n${VERIFICATION_TOOL_INSTRUCTIONS}` : VERIFICATION_INSTRUCTIONS,
    tag: VERIFICATION_TAG,
    text: content.text,
    intro: (nonce) => `The candidate findings and the code they are about are in the ${VERIFICATION_TAG} block with id "${nonce}".`,
    answerNote: "one verdict per candidate id",
    makeNonce,
  });
}

import type { Logger } from "pino";
import type { Finding } from "../../domain/finding.js";
import type { ModelFindingFunnel } from "../evidence.js";
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
import { SYNTHESIS_INSTRUCTIONS, SYNTHESIS_TAG, SYNTHESIS_TOOL_INSTRUCTIONS, synthesisRepairRequest } from "./synthesis-instructions.js";
import { synthesisContent, SYNTHESIS_INPUT_TOKENS, type SynthesisContent, type SynthesisInput } from "./synthesis-input.js";
import type { SynthesisOutput } from "./synthesis-schema.js";
import { validateSynthesis } from "./validate-synthesis.js";

/**
 * The synthesis pass: after every window, one structured call over all the
 * windows' notes (suspicions first) and the candidate findings, reporting
 * defects that cross windows. With tools (the windows' own: repository reads,
 * search, definitions and references) it may check a suspicion against the
 * code before reporting it.
 * Failures throw the model's typed errors; the pipeline turns them into a notice.
 */

export interface SynthesisResult {
  readonly findings: readonly Finding[];
  readonly usage: TokenUsage;
  readonly calls: number;
  /** Input tokens of the rendered notes and findings, and what the cap left out per section. */
  readonly inputTokens: number;
  readonly omitted: Readonly<Record<string, number>>;
  /** What its tool loop ran; absent without tools. */
  readonly tools?: ToolUsage;
  /** Findings answered and what validation dropped or moved; absent from passes that check nothing. */
  readonly funnel?: ModelFindingFunnel;
}

export interface SynthesisPass {
  readonly model: string;
  synthesize(input: SynthesisInput, signal?: AbortSignal, tools?: ModelToolSet): Promise<SynthesisResult>;
}

export const SYNTHESIS_OUTPUT_TOKENS = 6_000;

export class ModelSynthesisPass implements SynthesisPass {
  readonly model: string;

  constructor(private readonly deps: { readonly model: StructuredModel<SynthesisOutput>; readonly log: Logger; readonly maxInputTokens?: number }) {
    this.model = deps.model.model;
  }

  async synthesize(input: SynthesisInput, signal?: AbortSignal, tools?: ModelToolSet): Promise<SynthesisResult> {
    const withTools = tools !== undefined && tools.tools.length > 0;
    const content = synthesisContent(input, this.deps.maxInputTokens ?? SYNTHESIS_INPUT_TOKENS);
    const target = { id: "synthesis", label: "synthesis", task: "synthesize" };
    const session = this.deps.model.session(target, this.deps.log, signal, { pass: "synthesis" });
    const { output, spend } = await askStructured(
      session,
      synthesisRequest(content, newNonce, withTools),
      synthesisRepairRequest,
      target,
      this.deps.log,
      withTools ? tools : undefined,
    );
    const validated = validateSynthesis(
      output,
      content.paths,
      input.windows.flatMap((w) => w.local.files),
    );
    for (const problem of validated.problems) this.deps.log.warn({ pass: "synthesis" }, `synthesis output: ${problem}`);
    this.deps.log.info(
      { findings: validated.findings.length, inputTokens: content.tokens, omitted: content.omitted, usage: spend.usage },
      "synthesis finished",
    );
    return {
      findings: validated.findings,
      funnel: validated.funnel,
      usage: spend.usage,
      calls: spend.calls,
      inputTokens: content.tokens,
      omitted: content.omitted,
      ...(withTools ? { tools: session.toolUsage() } : {}),
    };
  }
}

export function synthesisRequest(content: SynthesisContent, makeNonce: () => string = newNonce, withTools = false): ModelRequest {
  const omitted = Object.entries(content.omitted).filter(([, n]) => n > 0);
  return untrustedBlockRequest({
    instructions: withTools ? `${SYNTHESIS_INSTRUCTIONS}\n\n${SYNTHESIS_TOOL_INSTRUCTIONS}` : SYNTHESIS_INSTRUCTIONS,
    tag: SYNTHESIS_TAG,
    text: content.text,
    intro: (nonce) =>
      `The survey, the windows' notes and the candidate findings are in the ${SYNTHESIS_TAG} block with id "${nonce}".` +
      (omitted.length > 0 ? ` Left out for size: ${omitted.map(([section, n]) => `${n} ${section}`).join(", ")}.` : ""),
    makeNonce,
  });
}

import { z } from "zod";

export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly reasoningTokens: number;
}

export const ZERO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0 };

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
  };
}

export function subtractUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens - b.inputTokens,
    outputTokens: a.outputTokens - b.outputTokens,
    reasoningTokens: a.reasoningTokens - b.reasoningTokens,
  };
}

/**
 * Where the client reports what each model call spent (ops/metrics.ts:
 * tokens, calls, estimated cost), failed calls included, so cost metrics do
 * not undercount failures.
 */
export interface UsageSink {
  /** `calls` counts HTTP attempts, the SDK's retries included. */
  modelUsage(model: string, usage: TokenUsage, calls: number): void;
}

/**
 * Token usage as reported by the server. OpenAI-compatible servers often omit
 * the details (or all of it), so every field is optional and counts as 0.
 */

const count = z.number().int().nonnegative().catch(0);

const ResponsesUsageSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  output_tokens_details: z.object({ reasoning_tokens: count }).nullish().catch(null),
});

const ChatUsageSchema = z.object({
  prompt_tokens: count,
  completion_tokens: count,
  completion_tokens_details: z.object({ reasoning_tokens: count }).nullish().catch(null),
});

export function usageFromResponses(usage: unknown): TokenUsage {
  const parsed = ResponsesUsageSchema.safeParse(usage);
  if (!parsed.success) return ZERO_USAGE;
  return {
    inputTokens: parsed.data.input_tokens,
    outputTokens: parsed.data.output_tokens,
    reasoningTokens: parsed.data.output_tokens_details?.reasoning_tokens ?? 0,
  };
}

export function usageFromChat(usage: unknown): TokenUsage {
  const parsed = ChatUsageSchema.safeParse(usage);
  if (!parsed.success) return ZERO_USAGE;
  return {
    inputTokens: parsed.data.prompt_tokens,
    outputTokens: parsed.data.completion_tokens,
    reasoningTokens: parsed.data.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

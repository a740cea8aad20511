import { isOpenAIReasoningModel, type ProfileReasoning } from "../config/model-profile.js";

/**
 * What a model accepts, decided once from configuration: reasoning
 * parameters (`reasoning.effort`, `reasoning_effort`) make models without
 * reasoning answer HTTP 400, so they are sent only to models that take them.
 */

export type ReasoningSetting = ProfileReasoning;

/** `auto`: OpenAI's reasoning families (the model profile's setting, LONGVIEW_MODEL_REASONING, decides otherwise). */
export function takesReasoning(model: string, setting: ReasoningSetting): boolean {
  if (setting !== "auto") return setting === "on";
  return isOpenAIReasoningModel(model);
}

/** The output room for the one retry after an answer was cut off at max_output_tokens: double, capped; null when no more room is allowed. */
export function retryOutputTokens(current: number, cap: number): number | null {
  const next = Math.min(current * 2, cap);
  return next > current ? next : null;
}

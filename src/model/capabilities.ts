/**
 * What a model accepts, decided once from configuration: reasoning
 * parameters (`reasoning.effort`, `reasoning_effort`) make models without
 * reasoning answer HTTP 400, so they are sent only to models that take them.
 */

export type ReasoningSetting = "auto" | "on" | "off";

/** OpenAI's reasoning families: gpt-5*, o1/o3/o4* (optionally behind a provider prefix such as `openai/`). */
const REASONING_FAMILY = /^(?:gpt-5|o[134])(?:$|[-._:])/i;

export function takesReasoning(model: string, setting: ReasoningSetting): boolean {
  if (setting !== "auto") return setting === "on";
  const name = model.slice(model.lastIndexOf("/") + 1);
  return REASONING_FAMILY.test(name);
}

/** The output room for the one retry after an answer was cut off at max_output_tokens: double, capped; null when no more room is allowed. */
export function retryOutputTokens(current: number, cap: number): number | null {
  const next = Math.min(current * 2, cap);
  return next > current ? next : null;
}

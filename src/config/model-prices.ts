import { z } from "zod";

/**
 * Estimated model cost, for the `longview_model_cost_usd_total` metric: list
 * prices in USD per million tokens. Reasoning tokens are billed as output and
 * are already part of the output count. Override or extend the table with
 * LONGVIEW_MODEL_PRICES (JSON); a model missing from it is counted in tokens
 * only. Prices change: check your provider's page.
 */

export const ModelPriceSchema = z.object({
  /** USD per million input tokens. */
  input: z.number().nonnegative(),
  /** USD per million output tokens. */
  output: z.number().nonnegative(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

export const ModelPriceTableSchema = z.record(z.string().min(1), ModelPriceSchema);
export type ModelPriceTable = Readonly<Record<string, ModelPrice>>;

export const DEFAULT_MODEL_PRICES: ModelPriceTable = {
  "gpt-5.1-codex-max": { input: 1.25, output: 10 },
  "gpt-5.1-codex": { input: 1.25, output: 10 },
  "gpt-5.1": { input: 1.25, output: 10 },
  "gpt-5": { input: 1.25, output: 10 },
  "gpt-5-mini": { input: 0.25, output: 2 },
  "gpt-5-nano": { input: 0.05, output: 0.4 },
  "gpt-4.1": { input: 2, output: 8 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6 },
  "gpt-4o": { input: 2.5, output: 10 },
  "gpt-4o-mini": { input: 0.15, output: 0.6 },
  "o4-mini": { input: 1.1, output: 4.4 },
};

export function priceTable(overrides: ModelPriceTable | undefined): ModelPriceTable {
  return { ...DEFAULT_MODEL_PRICES, ...overrides };
}

/** USD for this usage, or null when the model has no price. Dated snapshots (`gpt-4o-2024-08-06`) use their base model's price. */
export function estimateCostUsd(table: ModelPriceTable, model: string, usage: { readonly inputTokens: number; readonly outputTokens: number }): number | null {
  const price = table[model] ?? table[model.replace(/-\d{4}-\d{2}-\d{2}$/, "")];
  if (!price) return null;
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}

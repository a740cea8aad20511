import { z } from "zod";
import type { ImpactContext } from "../domain/impact.js";
import { WindowBudgetError } from "./errors.js";

/** Per-window input budget (default 24k), output reserved for the answer, and the model's context size. */
export interface WindowBudget {
  readonly windowTokens: number;
  readonly outputTokens: number;
  readonly contextTokens: number;
}

export interface WindowPlanOptions {
  /** Windows per wave: the pipeline's parallelism (default 4). */
  readonly waveSize?: number;
  /** Tokens reserved in every window for memory notes added by `withMemory` (default 8% of the window). */
  readonly memoryTokenCap?: number;
  /**
   * Changed definitions and their unchanged users (repo/impact.ts), computed
   * before planning; windows whose files changed them show it. Absent: no
   * impact section and no room reserved for one.
   */
  readonly impact?: ImpactContext;
}

export const DEFAULT_WAVE_SIZE = 4;

const WindowBudgetSchema = z.object({
  windowTokens: z.number().int().positive(),
  outputTokens: z.number().int().nonnegative(),
  contextTokens: z.number().int().positive(),
});

const OptionsSchema = z
  .object({
    waveSize: z.number().int().min(1).max(1_000).optional(),
    memoryTokenCap: z.number().int().nonnegative().optional(),
  })
  .optional();

/** Smallest room for code under review in one window: a few long lines with their headers. */
export const MIN_LOCAL_TOKENS = 1_000;

export interface PlanLimits {
  /** No window's total may exceed this: min(windowTokens, contextTokens - outputTokens). */
  readonly windowTokens: number;
  readonly memoryTokenCap: number;
  readonly waveSize: number;
  readonly titleTokens: number;
  readonly descriptionTokens: number;
  readonly guidelinesTokens: number;
  readonly fileMapTokens: number;
}

export function planLimits(budget: WindowBudget, options?: WindowPlanOptions): PlanLimits {
  const parsedBudget = WindowBudgetSchema.safeParse(budget);
  if (!parsedBudget.success) throw new WindowBudgetError(`Invalid window budget: ${z.prettifyError(parsedBudget.error)}`);
  const parsedOptions = OptionsSchema.safeParse(options);
  if (!parsedOptions.success) throw new WindowBudgetError(`Invalid window plan options: ${z.prettifyError(parsedOptions.error)}`);
  const { windowTokens, outputTokens, contextTokens } = parsedBudget.data;
  const window = Math.min(windowTokens, contextTokens - outputTokens);
  if (window <= 0) {
    throw new WindowBudgetError(`No input room: context ${contextTokens} tokens minus ${outputTokens} reserved for output.`);
  }
  return {
    windowTokens: window,
    memoryTokenCap: resolveMemoryTokenCap(budget, options),
    waveSize: parsedOptions.data?.waveSize ?? DEFAULT_WAVE_SIZE,
    titleTokens: Math.max(16, Math.min(120, Math.floor(window * 0.01))),
    descriptionTokens: Math.floor(window * 0.05),
    guidelinesTokens: Math.floor(window * 0.06),
    fileMapTokens: Math.floor(window * 0.12),
  };
}

/** The memory cap a plan reserves; pass the same value to `withMemory`. */
export function resolveMemoryTokenCap(budget: WindowBudget, options?: WindowPlanOptions): number {
  const window = Math.min(budget.windowTokens, budget.contextTokens - budget.outputTokens);
  return options?.memoryTokenCap ?? Math.floor(Math.max(0, window) * 0.08);
}

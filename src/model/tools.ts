import { zodFunction } from "openai/helpers/zod";
import type { z } from "zod";
import type { ToolDeclaration } from "./model-turn.js";

/**
 * Function tools the model may call during a session, declared generically:
 * the caller (the reviewer) brings the tools, the model client runs the loop
 * (tool-loop.ts) on either API.
 */

export interface ModelTool<A = unknown> {
  /** Letters, digits, `_` and `-` (the APIs' rule for function names). */
  readonly name: string;
  readonly description: string;
  /** The arguments; translated to a strict JSON schema, and checked again when the model calls the tool. */
  readonly args: z.ZodType<A>;
  /**
   * The result as text for the model. Throwing is allowed: the model is told
   * the call failed. `signal` fires when the session is aborted or its
   * wall-time budget runs out.
   */
  run(args: A, signal: AbortSignal): Promise<string>;
  /** A short summary of the arguments for logs and the compaction ledger, e.g. `src/a.ts:10-40`. */
  summarize?(args: A): string;
}

/** A tool with its argument type forgotten, so tools of different types fit in one list. */
export type AnyModelTool = ModelTool<never>;

/** Identity with a precise type for `run`'s argument, forgotten in the result. */
export function defineTool<A>(tool: ModelTool<A>): AnyModelTool {
  return tool as unknown as AnyModelTool;
}

/** Per-session limits of the tool loop; when one is reached the model is told to answer now. */
export interface ToolBudget {
  /** Tool calls run (bad-argument calls included). */
  readonly maxCalls: number;
  /** Tokens of all tool results together; a result is cut to what is left. */
  readonly maxResultTokens: number;
  /** From the first request of the loop; tool runs are aborted when it passes. */
  readonly wallMs: number;
  /** The largest request (instructions + conversation, estimated) the loop sends; older tool results are compacted to stay under it. */
  readonly maxInputTokens: number;
}

export interface ModelToolSet {
  readonly tools: readonly AnyModelTool[];
  /** Overrides the client's configured budget (LONGVIEW_TOOL_*). */
  readonly budget?: Partial<ToolBudget>;
}

/** `input-tokens`: the request would exceed `maxInputTokens` even with every tool result compacted. */
export type ToolBudgetLimit = "calls" | "result-tokens" | "wall-time" | "input-tokens";

/** What a session's tool use cost, reported with the answer. */
export interface ToolUsage {
  readonly calls: number;
  /** Of those, calls answered with an error (bad arguments, unknown tool, the tool failed). */
  readonly failedCalls: number;
  readonly resultTokens: number;
  /** Time spent running tools. */
  readonly ms: number;
  /** Model turns that asked for tools. */
  readonly turns: number;
  /** Tool results replaced by a one-line summary to keep requests under the input budget. */
  readonly compacted: number;
  /** The budget that ended tool use, if one did. */
  readonly stoppedBy: ToolBudgetLimit | null;
}

export const NO_TOOL_USAGE: ToolUsage = { calls: 0, failedCalls: 0, resultTokens: 0, ms: 0, turns: 0, compacted: 0, stoppedBy: null };

export function addToolUsage(a: ToolUsage, b: ToolUsage): ToolUsage {
  return {
    calls: a.calls + b.calls,
    failedCalls: a.failedCalls + b.failedCalls,
    resultTokens: a.resultTokens + b.resultTokens,
    ms: a.ms + b.ms,
    turns: a.turns + b.turns,
    compacted: a.compacted + b.compacted,
    stoppedBy: b.stoppedBy ?? a.stoppedBy,
  };
}

const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const declarations = new WeakMap<AnyModelTool, ToolDeclaration>();

/** The tool as the APIs declare it; the SDK's own zod → strict JSON schema translation, done once per tool. */
export function toolDeclaration(tool: AnyModelTool): ToolDeclaration {
  const known = declarations.get(tool);
  if (known !== undefined) return known;
  if (!TOOL_NAME.test(tool.name)) throw new Error(`Invalid tool name "${tool.name}": use 1-64 letters, digits, "_" or "-"`);
  const fn = zodFunction({ name: tool.name, description: tool.description, parameters: tool.args as z.ZodType });
  const declaration: ToolDeclaration = { name: tool.name, description: tool.description, parameters: fn.function.parameters ?? {} };
  declarations.set(tool, declaration);
  return declaration;
}

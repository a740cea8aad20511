import type OpenAI from "openai";
import type { OutputCapField } from "../config/model-profile.js";
import type { Conversation, OpaqueReasoning, ToolCall } from "./model-request.js";
import type { TokenUsage } from "./usage.js";

/**
 * One request/answer exchange with the model, independent of which OpenAI API
 * carried it. API errors (HTTP status, timeout, abort) are thrown by the SDK;
 * everything the model itself answered is a value here.
 */

export type ModelAnswer<T> =
  | { readonly kind: "parsed"; readonly output: T }
  /** `problem` completes the sentence "the answer …"; `text` is what the model wrote. */
  | { readonly kind: "invalid"; readonly problem: string; readonly text: string }
  | { readonly kind: "refusal"; readonly refusal: string }
  | { readonly kind: "incomplete"; readonly reason: string }
  | { readonly kind: "failed"; readonly message: string };

/** What one turn can end with: a final answer, or calls of the tools it was offered (resolved by the session's tool loop). */
export type ModelReply<T> =
  | ModelAnswer<T>
  | { readonly kind: "tool_calls"; readonly calls: readonly ToolCall[]; readonly text: string | null; readonly reasoning?: readonly OpaqueReasoning[] };

export interface ModelTurn<T> {
  readonly answer: ModelReply<T>;
  readonly usage: TokenUsage;
}

export type ReasoningEffort = "none" | "low" | "medium" | "high" | "xhigh";

export interface ModelSettings {
  readonly model: string;
  /** Sent only when `reasoning` is true: models without reasoning reject the parameter (capabilities.ts). */
  readonly reasoningEffort: ReasoningEffort;
  readonly reasoning: boolean;
  readonly maxOutputTokens: number;
  /** The most one retry after an answer cut off at max_output_tokens may ask for. */
  readonly maxOutputTokensRetry: number;
  /** Chat Completions' name for the output cap (the profile's). */
  readonly outputCapField: OutputCapField;
}

/** A function tool as the APIs declare it: the strict JSON schema of its arguments. */
export interface ToolDeclaration {
  readonly name: string;
  readonly description: string;
  readonly parameters: Readonly<Record<string, unknown>>;
}

/** Per-turn choices the session makes (output room after a truncated answer, tools and whether they may still be called). */
export interface TurnOptions {
  readonly maxOutputTokens: number;
  /** Empty: no tools are declared. */
  readonly tools: readonly ToolDeclaration[];
  /** `none` once the session's tool budget is spent: the model must answer now. */
  readonly toolChoice: "auto" | "none";
}

export type ModelApi = "responses" | "chat";

export type ModelCall<T> = (client: OpenAI, request: Conversation, options: TurnOptions, signal: AbortSignal | undefined) => Promise<ModelTurn<T>>;

export const NO_ANSWER_TEXT = "contained no answer text";

import type OpenAI from "openai";
import type { ModelRequest } from "./model-request.js";
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

export interface ModelTurn<T> {
  readonly answer: ModelAnswer<T>;
  readonly usage: TokenUsage;
}

export interface ModelSettings {
  readonly model: string;
  readonly reasoningEffort: "none" | "low" | "medium" | "high" | "xhigh";
  readonly maxOutputTokens: number;
}

export type ModelApi = "responses" | "chat";

export type ModelCall<T> = (client: OpenAI, request: ModelRequest, signal: AbortSignal | undefined) => Promise<ModelTurn<T>>;

export const NO_ANSWER_TEXT = "contained no answer text";

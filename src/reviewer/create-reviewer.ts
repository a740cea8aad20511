import type { Logger } from "pino";
import type { Window } from "../domain/window.js";
import type { ModelClient } from "../model/index.js";
import { OpenAIReviewer } from "./openai-reviewer.js";
import { OutputSchema, REVIEW_FORMAT_NAME } from "./output-schema.js";
import type { Reviewer, WindowTools } from "./reviewer.js";

export interface CreateReviewerOptions {
  /** Tools per window (repository reads, expanding folded code); windows are reviewed without tools when absent. */
  readonly tools?: (window: Window) => WindowTools | null;
}

/** The model-backed reviewer on `client` (its API choice, metering and cap on calls in flight). */
export function createReviewer(client: ModelClient, log: Logger, options: CreateReviewerOptions = {}): Reviewer {
  return new OpenAIReviewer({ model: client.structured(OutputSchema, REVIEW_FORMAT_NAME), log, ...(options.tools ? { tools: options.tools } : {}) });
}

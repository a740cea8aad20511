import type { Logger } from "pino";
import type { ModelClient } from "../model/index.js";
import { OpenAIReviewer } from "./openai-reviewer.js";
import { OutputSchema, REVIEW_FORMAT_NAME } from "./output-schema.js";
import type { Reviewer } from "./reviewer.js";

/** The model-backed reviewer on `client` (its API choice, metering and cap on calls in flight). */
export function createReviewer(client: ModelClient, log: Logger): Reviewer {
  return new OpenAIReviewer({ model: client.structured(OutputSchema, REVIEW_FORMAT_NAME), log });
}

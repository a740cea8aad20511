export { createModelClient, type ModelClient, type ModelClientOptions, type StructuredModel, type StructuredOptions } from "./model-client.js";
export type { ModelSession } from "./model-session.js";
export type { ModelAnswer, ModelApi } from "./model-turn.js";
export { parseStructured, type Parsed } from "./structured-output.js";
export { delimited, newNonce, pickNonce, type ModelRequest, type PromptMessage } from "./model-request.js";
export {
  ModelAbortedError,
  ModelApiError,
  ModelError,
  ModelIncompleteError,
  ModelOutputError,
  ModelRefusalError,
  ModelTimeoutError,
  NO_SPEND,
  type ModelSpend,
  type ModelTarget,
} from "./errors.js";
export { ZERO_USAGE, addUsage, type TokenUsage, type UsageSink } from "./usage.js";

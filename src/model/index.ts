export { createModelClient, type ModelClient, type ModelClientOptions, type StructuredModel, type StructuredOptions } from "./model-client.js";
export type { ModelSession } from "./model-session.js";
export type { ModelAnswer, ModelApi } from "./model-turn.js";
export { parseStructured, type Parsed } from "./structured-output.js";
export {
  delimited,
  newNonce,
  pickNonce,
  stableNonce,
  untrustedBlockRequest,
  type Conversation,
  type ConversationItem,
  type ModelRequest,
  type PromptMessage,
  type ToolCall,
  type ToolCallsItem,
  type ToolResultItem,
} from "./model-request.js";
export { takesReasoning, type ReasoningSetting } from "./capabilities.js";
export {
  defineTool,
  NO_TOOL_USAGE,
  addToolUsage,
  type AnyModelTool,
  type ModelTool,
  type ModelToolSet,
  type ToolBudget,
  type ToolBudgetLimit,
  type ToolUsage,
} from "./tools.js";
export { TOOL_OUTPUT_TAG } from "./tool-ledger.js";
export {
  ModelAbortedError,
  ModelApiError,
  ModelError,
  ModelIncompleteError,
  ModelOutputError,
  ModelRefusalError,
  ModelTimeoutError,
  ModelToolLoopError,
  NO_SPEND,
  type ModelSpend,
  type ModelTarget,
} from "./errors.js";
export { ZERO_USAGE, addUsage, type TokenUsage, type UsageSink } from "./usage.js";

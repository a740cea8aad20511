/**
 * What the OpenAI-compatible server behind OPENAI_BASE_URL supports, as one
 * plain record resolved once from the environment: which API, how answers are
 * held to their schema, whether tools and reasoning parameters may be sent,
 * and the context size the windows are planned for. Built-in profiles follow
 * each server's documentation (docs/model.md lists the sources); every field
 * can be overridden. Pure: no I/O.
 */

export const PROFILE_NAMES = ["openai-reasoning", "openai-chat", "ollama", "vllm", "llamacpp", "custom"] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/**
 * How an answer is held to its schema:
 * - `strict`: the server enforces the JSON schema (`json_schema` with `strict: true`);
 * - `json`: JSON mode (`json_object`), the schema travels in the instructions;
 * - `text`: no response format at all, the schema travels in the instructions.
 * In `json` and `text` the answer is extracted (fences, prose, `<think>` blocks),
 * checked against the schema, and repaired by one follow-up request when it does not match.
 */
export type OutputMode = "strict" | "json" | "text";
export type ProfileApi = "responses" | "chat";
/** `auto`: OpenAI's reasoning families only (model/capabilities.ts). */
export type ProfileReasoning = "auto" | "on" | "off";
/** The Chat Completions field that caps the answer: OpenAI's reasoning models reject `max_tokens`; Ollama documents only `max_tokens`. */
export type OutputCapField = "max_completion_tokens" | "max_tokens";

export interface ModelProfile {
  readonly name: ProfileName;
  readonly api: ProfileApi;
  readonly output: OutputMode;
  /** Function calling: off → no `tools` field is ever sent, and the reviewer works from the deterministic context. */
  readonly tools: boolean;
  readonly reasoning: ProfileReasoning;
  /** The model's context window the windows are planned for (LONGVIEW_CONTEXT_TOKENS). */
  readonly contextTokens: number;
  /** Output room per call (LONGVIEW_OUTPUT_TOKENS): must leave room in the context for a window. */
  readonly outputTokens: number;
  readonly outputCapField: OutputCapField;
  readonly baseUrl: string;
  /** False for local servers, which ignore the key: the profile alone enables the model. */
  readonly keyRequired: boolean;
}

type ProfileDefaults = Omit<ModelProfile, "name" | "baseUrl"> & { readonly baseUrl: string | null };

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

/**
 * What the local servers share: Chat Completions, no tools and no reasoning parameters unless switched on (both
 * depend on the model and on how the server was started), no key, and the 32k context the README asks each
 * server to be started with.
 */
const LOCAL_SERVER = {
  api: "chat",
  tools: false,
  reasoning: "off",
  contextTokens: 32_768,
  outputTokens: 4_096,
  outputCapField: "max_tokens",
  keyRequired: false,
} as const;

export const BUILT_IN_PROFILES: Readonly<Record<ProfileName, ProfileDefaults>> = {
  "openai-reasoning": {
    api: "responses",
    output: "strict",
    tools: true,
    reasoning: "auto",
    contextTokens: 272_000,
    outputTokens: 32_000,
    outputCapField: "max_completion_tokens",
    baseUrl: OPENAI_BASE_URL,
    keyRequired: true,
  },
  "openai-chat": {
    api: "chat",
    output: "strict",
    tools: true,
    // gpt-4o/gpt-4.1 take no reasoning parameter; an o-series model on this profile still gets it.
    reasoning: "auto",
    contextTokens: 128_000,
    outputTokens: 16_000,
    outputCapField: "max_completion_tokens",
    baseUrl: OPENAI_BASE_URL,
    keyRequired: true,
  },
  // JSON mode and tools are documented, but tools only for models with the tools capability (others answer 400);
  // `reasoning_effort` only for thinking models. Structured `json_schema` works on recent versions: LONGVIEW_MODEL_OUTPUT=strict.
  ollama: { ...LOCAL_SERVER, output: "json", baseUrl: "http://localhost:11434/v1" },
  // Structured outputs (xgrammar/guidance) follow `response_format` json_schema; tools need
  // --enable-auto-tool-choice and --tool-call-parser (else tool_choice "auto" is a 400): LONGVIEW_MODEL_TOOLS=on then.
  vllm: { ...LOCAL_SERVER, output: "strict", baseUrl: "http://localhost:8000/v1" },
  // `response_format` json_schema is compiled to a grammar; tools need --jinja (LONGVIEW_MODEL_TOOLS=on then).
  llamacpp: { ...LOCAL_SERVER, output: "strict", baseUrl: "http://localhost:8080/v1" },
  // Any other OpenAI-compatible server (LiteLLM, a proxy, an unknown build): assume the least.
  custom: { ...LOCAL_SERVER, output: "text", baseUrl: null },
};

/** The environment's say in the profile: every field is an override, unset ones come from the profile. */
export interface ProfileSettings {
  readonly profile: ProfileName | "auto";
  readonly baseUrl: string | undefined;
  readonly model: string;
  readonly api: ProfileApi | undefined;
  readonly output: OutputMode | undefined;
  readonly tools: boolean | undefined;
  readonly reasoning: ProfileReasoning | undefined;
  readonly contextTokens: number | undefined;
  readonly outputTokens: number | undefined;
}

/** Ollama's own port: the one server whose address says what it is. */
const OLLAMA_PORT = "11434";
/** OpenAI's reasoning families: gpt-5*, o1/o3/o4* (optionally behind a provider prefix such as `openai/`). */
const OPENAI_REASONING_FAMILY = /^(?:gpt-5|o[134])(?:$|[-._:])/i;

export function isOpenAIReasoningModel(model: string): boolean {
  return OPENAI_REASONING_FAMILY.test(model.slice(model.lastIndexOf("/") + 1));
}

/**
 * `auto`: Ollama when the base URL is on Ollama's port; otherwise OpenAI's
 * profiles by model family (reasoning models on Responses, others on Chat), as
 * Longview behaved before profiles existed, so a proxy in front of OpenAI keeps working.
 */
export function pickProfile(baseUrl: string | undefined, model: string): ProfileName {
  if (baseUrl !== undefined && portOf(baseUrl) === OLLAMA_PORT) return "ollama";
  return isOpenAIReasoningModel(model) ? "openai-reasoning" : "openai-chat";
}

/** The profile with the overrides applied; a string when it cannot work (reported with the other environment problems). */
export function resolveModelProfile(settings: ProfileSettings): ModelProfile | string {
  const name = settings.profile === "auto" ? pickProfile(settings.baseUrl, settings.model) : settings.profile;
  const defaults = BUILT_IN_PROFILES[name];
  const baseUrl = settings.baseUrl ?? defaults.baseUrl;
  if (baseUrl === null) return `the ${name} profile has no default address: set OPENAI_BASE_URL`;
  const api = settings.api ?? defaults.api;
  const output = settings.output ?? defaults.output;
  // The Responses call carries its format in `text.format`; only the strict schema is wired for it.
  if (api === "responses" && output !== "strict") return `LONGVIEW_MODEL_OUTPUT=${output} needs the Chat API (LONGVIEW_OPENAI_API=chat)`;
  const contextTokens = settings.contextTokens ?? defaults.contextTokens;
  const outputTokens = settings.outputTokens ?? Math.min(defaults.outputTokens, Math.floor(contextTokens / 4));
  if (outputTokens >= contextTokens) return `the output room (${outputTokens} tokens) leaves no room for input in a context of ${contextTokens} tokens`;
  return {
    name,
    api,
    output,
    tools: settings.tools ?? defaults.tools,
    reasoning: settings.reasoning ?? defaults.reasoning,
    contextTokens,
    outputTokens,
    outputCapField: defaults.outputCapField,
    baseUrl,
    keyRequired: defaults.keyRequired,
  };
}

function portOf(url: string): string | null {
  try {
    return new URL(url).port;
  } catch {
    return null;
  }
}

import type { ProfileName } from "../../src/config/model-profile.js";
import type { ScriptedOpenAIOptions, ScriptedRequest } from "./scripted-openai.js";

/**
 * Scripted stand-ins for the servers Longview's model profiles are written
 * for, each behaving as its documentation (docs/model.md, "Sources") says:
 * the APIs it has (a missing one is a 404 with the server's own text), the
 * response formats it takes, what it answers to `tools` and reasoning
 * parameters it cannot serve (400 with the server's message), its usage
 * shape, and how its model dresses an answer. The models themselves are
 * scripted per test; these are the servers around them.
 */

export interface ScriptedServerProfile {
  readonly profile: ProfileName;
  /** A model name as that server would know it. */
  readonly model: string;
  readonly server: ScriptedOpenAIOptions;
  /** True when the profile needs OPENAI_API_KEY. */
  readonly keyed: boolean;
}

const OPENAI_FORMATS = ["json_schema"] as const;
/** Ollama, vLLM and llama.cpp take a JSON schema, JSON mode, or no format at all. */
const LOCAL_FORMATS = ["json_schema", "json_object", "none"] as const;

/** JSON mode returns bare JSON, but a small model pads it with blank lines. */
const padded = (text: string) => `\n${text}\n\n`;

/**
 * A thinking model behind an unknown proxy, asked for plain text: its reasoning in a `<think>` block, a
 * sentence of prose, the object in a ```json fence, and a closing remark.
 */
function chatty(text: string, request: ScriptedRequest): string {
  if (request.responseFormat !== "none") return text;
  return [
    "<think>",
    "The user wants a review as JSON. Let me check the change and the callers listed in { the impact section }.",
    "</think>",
    "",
    "Here is my review:",
    "",
    "```json",
    text,
    "```",
    "",
    "Let me know if you want more detail on any finding.",
  ].join("\n");
}

export const SCRIPTED_SERVERS: readonly ScriptedServerProfile[] = [
  {
    profile: "openai-reasoning",
    model: "gpt-5.1-codex-max",
    keyed: true,
    server: { formats: OPENAI_FORMATS },
  },
  {
    profile: "openai-chat",
    model: "gpt-4.1",
    keyed: true,
    server: {
      formats: OPENAI_FORMATS,
      // OpenAI's answer to a reasoning parameter on a model without reasoning.
      rejectReasoning: "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
    },
  },
  {
    profile: "ollama",
    // A model without Ollama's `tools` capability and without thinking.
    model: "codellama:13b",
    keyed: false,
    server: {
      apis: ["chat"],
      notFound: "404 page not found",
      formats: LOCAL_FORMATS,
      rejectTools: "registry.ollama.ai/library/codellama:13b does not support tools",
      rejectReasoning: '"codellama:13b" does not support thinking',
      plainUsage: true,
      dress: padded,
    },
  },
  {
    profile: "vllm",
    model: "Qwen/Qwen2.5-Coder-32B-Instruct",
    keyed: false,
    server: {
      apis: ["chat"],
      notFound: "Not Found",
      formats: LOCAL_FORMATS,
      // Started without --enable-auto-tool-choice.
      rejectTools: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set',
      plainUsage: true,
    },
  },
  {
    profile: "llamacpp",
    model: "qwen2.5-coder-7b-instruct-q4_k_m.gguf",
    keyed: false,
    server: {
      apis: ["chat"],
      notFound: "File Not Found",
      formats: LOCAL_FORMATS,
      // Started without --jinja.
      rejectTools: "tools param requires --jinja flag",
      plainUsage: true,
    },
  },
  {
    profile: "custom",
    model: "deepseek-r1-distill-qwen-14b",
    keyed: false,
    server: {
      apis: ["chat"],
      formats: ["none"],
      rejectTools: "tools are not supported by this deployment",
      rejectReasoning: "reasoning_effort is not supported by this deployment",
      plainUsage: true,
      dress: chatty,
    },
  },
];

export function scriptedServer(profile: ProfileName): ScriptedServerProfile {
  const found = SCRIPTED_SERVERS.find((s) => s.profile === profile);
  if (found === undefined) throw new Error(`no scripted server for ${profile}`);
  return found;
}

import OpenAI from "openai";
import type { Logger } from "pino";
import type { Env } from "../config/env.js";
import type { ModelApi, ModelSettings } from "./model-turn.js";

/**
 * The OpenAI client as configured by `env`, shared by every model-backed part
 * of Longview (the reviewer, the fixer): one place for the base URL, timeout,
 * retries, fetch and the SDK's logging.
 */

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

export interface OpenAIConnection {
  readonly client: OpenAI;
  /** The fetch the client uses (sessions wrap it to count attempts). */
  readonly fetch: typeof fetch;
  readonly api: ModelApi;
  readonly settings: ModelSettings;
}

/** Null when no API key is set (analyzers-only mode). */
export function createOpenAIConnection(env: Env, log: Logger, options: { readonly fetch?: typeof fetch } = {}): OpenAIConnection | null {
  if (env.OPENAI_API_KEY === undefined) return null;
  // Resolved per request, so a fetch patched after start-up (e.g. by an HTTP mock) is used.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const client = new OpenAI({
    apiKey: env.OPENAI_API_KEY,
    // Explicit, so the SDK does not read OPENAI_BASE_URL from process.env behind the validated Env's back.
    baseURL: env.OPENAI_BASE_URL ?? DEFAULT_BASE_URL,
    timeout: env.LONGVIEW_OPENAI_TIMEOUT_MS,
    maxRetries: env.LONGVIEW_OPENAI_MAX_RETRIES,
    fetch: fetchImpl,
    logger: sdkLogger(log.child({ component: "openai-sdk" })),
    logLevel: "warn",
  });
  const settings: ModelSettings = {
    model: env.LONGVIEW_MODEL,
    reasoningEffort: env.LONGVIEW_REASONING_EFFORT,
    maxOutputTokens: env.LONGVIEW_OUTPUT_TOKENS,
  };
  return { client, fetch: fetchImpl, api: env.LONGVIEW_OPENAI_API, settings };
}

/** The SDK logs `(message, details)`; pino wants `(details, message)`. */
function sdkLogger(log: Logger) {
  const adapt =
    (level: "error" | "warn" | "info" | "debug") =>
    (message: string, ...rest: unknown[]) =>
      log[level]({ details: rest.length === 1 ? rest[0] : rest }, message);
  return { error: adapt("error"), warn: adapt("warn"), info: adapt("info"), debug: adapt("debug") };
}

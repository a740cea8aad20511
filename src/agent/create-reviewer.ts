import OpenAI from "openai";
import type { Logger } from "pino";
import type { Env } from "../config/env.js";
import { chatCall } from "./chat-api.js";
import type { ModelSettings } from "./model-turn.js";
import { OpenAIReviewer } from "./openai-reviewer.js";
import { responsesCall } from "./responses-api.js";
import type { Reviewer } from "./reviewer.js";

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

export interface CreateReviewerOptions {
  /** Replaces the global fetch (tests, proxies). */
  readonly fetch?: typeof fetch;
}

/** The model-backed reviewer configured by `env`, or null when no API key is set (analyzers-only mode). */
export function createReviewer(env: Env, log: Logger, options: CreateReviewerOptions = {}): Reviewer | null {
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
  const api = env.LONGVIEW_OPENAI_API;
  log.info({ model: settings.model, api, baseURL: client.baseURL, reasoningEffort: settings.reasoningEffort }, "model reviewer ready");
  return new OpenAIReviewer({
    client,
    call: api === "chat" ? chatCall(settings) : responsesCall(settings),
    model: settings.model,
    api,
    fetch: fetchImpl,
    log,
  });
}

/** The SDK logs `(message, details)`; pino wants `(details, message)`. */
function sdkLogger(log: Logger) {
  const adapt =
    (level: "error" | "warn" | "info" | "debug") =>
    (message: string, ...rest: unknown[]) =>
      log[level]({ details: rest.length === 1 ? rest[0] : rest }, message);
  return { error: adapt("error"), warn: adapt("warn"), info: adapt("info"), debug: adapt("debug") };
}

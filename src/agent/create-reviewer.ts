import type { Logger } from "pino";
import type { Env } from "../config/env.js";
import { chatCall } from "./chat-api.js";
import { createOpenAIConnection } from "./openai-client.js";
import { OpenAIReviewer } from "./openai-reviewer.js";
import { responsesCall } from "./responses-api.js";
import type { Reviewer } from "./reviewer.js";

export interface CreateReviewerOptions {
  /** Replaces the global fetch (tests, proxies). */
  readonly fetch?: typeof fetch;
}

/** The model-backed reviewer configured by `env`, or null when no API key is set (analyzers-only mode). */
export function createReviewer(env: Env, log: Logger, options: CreateReviewerOptions = {}): Reviewer | null {
  const connection = createOpenAIConnection(env, log, options);
  if (connection === null) return null;
  const { client, settings, api } = connection;
  log.info({ model: settings.model, api, baseURL: client.baseURL, reasoningEffort: settings.reasoningEffort }, "model reviewer ready");
  return new OpenAIReviewer({
    client,
    call: api === "chat" ? chatCall(settings) : responsesCall(settings),
    model: settings.model,
    api,
    fetch: connection.fetch,
    log,
  });
}

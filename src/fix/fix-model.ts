import type { Logger } from "pino";
import { structuredChatCall } from "../agent/chat-api.js";
import type { ModelTarget } from "../agent/errors.js";
import { createOpenAIConnection } from "../agent/openai-client.js";
import { ModelSession, type ModelSessionDeps } from "../agent/model-session.js";
import { structuredResponsesCall } from "../agent/responses-api.js";
import { structuredResponseFormat, structuredTextFormat } from "../agent/structured-output.js";
import type { Env } from "../config/env.js";
import { FIX_FORMAT_NAME, FixProposalSchema, type FixProposal } from "./edit.js";

/**
 * The model that proposes fixes: the reviewer's OpenAI client and API choice
 * (Responses or Chat Completions), strict structured output of
 * FixProposalSchema, one ModelSession per fix (attempts, tokens, typed errors).
 */
export interface FixModel {
  readonly model: string;
  session(target: ModelTarget, log: Logger, signal?: AbortSignal): FixSession;
}

/** What the fix loop uses of a session; wrappers (the model-call limit, metering) provide the same. */
export type FixSession = Pick<ModelSession<FixProposal>, "send" | "spend" | "errorFor">;

/** Null when no API key is configured: fixes are then limited to the analyzers' own autofixes. */
export function createFixModel(env: Env, log: Logger, options: { readonly fetch?: typeof fetch } = {}): FixModel | null {
  const connection = createOpenAIConnection(env, log, options);
  if (connection === null) return null;
  const { client, settings, api } = connection;
  const call =
    api === "chat"
      ? structuredChatCall(settings, structuredResponseFormat(FixProposalSchema, FIX_FORMAT_NAME))
      : structuredResponsesCall(settings, structuredTextFormat(FixProposalSchema, FIX_FORMAT_NAME));
  return {
    model: settings.model,
    session(target, sessionLog, signal) {
      const deps: ModelSessionDeps<FixProposal> = { client, call, model: settings.model, api, fetch: connection.fetch, log: sessionLog };
      return new ModelSession(deps, target, signal, { task: target.task });
    },
  };
}

import OpenAI from "openai";
import type { Logger } from "pino";
import type { z } from "zod";
import { hasModel, type Env } from "../config/env.js";
import type { Semaphore } from "../util/semaphore.js";
import { takesReasoning } from "./capabilities.js";
import { structuredChatCall } from "./chat-api.js";
import type { ModelTarget } from "./errors.js";
import { ModelSession } from "./model-session.js";
import type { ModelApi, ModelCall, ModelSettings } from "./model-turn.js";
import { structuredResponsesCall } from "./responses-api.js";
import { chatOutput, structuredTextFormat } from "./structured-output.js";
import type { ToolBudget } from "./tools.js";
import type { UsageSink } from "./usage.js";
import { scrubSecrets } from "../util/scrub-secrets.js";

/**
 * The one OpenAI-compatible model client of a process, shared by every
 * model-backed part of Longview (the reviewer, the fixer, the eval judge):
 * one place for the model profile (base URL, API, output mode, tools), timeout, retries, fetch, the SDK's
 * logging, metering and the cap on calls in flight.
 */

export interface ModelClient {
  /** The configured model (LONGVIEW_MODEL). */
  readonly model: string;
  readonly api: ModelApi;
  /**
   * Whether the server takes function tools (the model profile). Without them a session never declares tools,
   * and the reviewer reviews from the deterministic context alone.
   */
  readonly tools: boolean;
  /**
   * Calls whose answers must match `schema` (strict structured output, named
   * `name`), on the configured model or `options.model`. Build it once per
   * kind of task: the schema is translated to JSON Schema here. A cheap task
   * may lower the reasoning effort and the output cap of the configured ones.
   */
  structured<T>(schema: z.ZodType<T>, name: string, options?: StructuredOptions): StructuredModel<T>;
}

export interface StructuredOptions {
  readonly model?: string;
  /** Lowers the configured LONGVIEW_REASONING_EFFORT to this at most (never raises it: the model may not reason at all). */
  readonly reasoningEffort?: ModelSettings["reasoningEffort"];
  /** Lowers the configured LONGVIEW_OUTPUT_TOKENS to this at most. */
  readonly maxOutputTokens?: number;
}

export interface StructuredModel<T> {
  readonly model: string;
  /**
   * The calls of one task (a window's review, a fix, a judgement): attempts,
   * tokens and typed errors, one log line per call with `logFields`.
   */
  session(target: ModelTarget, log: Logger, signal?: AbortSignal, logFields?: Readonly<Record<string, unknown>>): ModelSession<T>;
}

export interface ModelClientOptions {
  readonly log: Logger;
  /** Told every call's tokens and HTTP attempts (ops/metrics.ts); none when absent. */
  readonly usage?: UsageSink;
  /** The cap on model calls in flight (LONGVIEW_MODEL_CONCURRENCY) for every caller of this client; none when absent. */
  readonly slots?: Semaphore;
  /** Replaces the global fetch (tests, proxies). */
  readonly fetch?: typeof fetch;
  /** Values never sent to the model (this process's own credentials, `secretValues`): replaced in every request body. */
  readonly secrets?: readonly string[];
}

/** Sent as the key to local servers (a keyless profile): the SDK needs one, and they ignore it. */
const NO_KEY = "no-key";

/** The client configured by `env` and its model profile, or null when no model is configured (analyzers-only mode). */
export function createModelClient(env: Env, options: ModelClientOptions): ModelClient | null {
  if (!hasModel(env)) return null;
  const profile = env.modelProfile;
  const { log, usage, slots } = options;
  // Resolved per request, so a fetch patched after start-up (e.g. by an HTTP mock) is used.
  const baseFetch: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const fetchImpl = options.secrets && options.secrets.length > 0 ? scrubbingFetch(baseFetch, options.secrets, log) : baseFetch;
  const client = new OpenAI({
    apiKey: env.OPENAI_API_KEY ?? NO_KEY,
    // Explicit, so the SDK does not read OPENAI_BASE_URL from process.env behind the validated Env's back.
    baseURL: profile.baseUrl,
    timeout: env.LONGVIEW_OPENAI_TIMEOUT_MS,
    maxRetries: env.LONGVIEW_OPENAI_MAX_RETRIES,
    fetch: fetchImpl,
    logger: sdkLogger(log.child({ component: "openai-sdk" })),
    logLevel: "warn",
  });
  const api = profile.api;
  const settingsFor = (model: string): ModelSettings => ({
    model,
    reasoningEffort: env.LONGVIEW_REASONING_EFFORT,
    reasoning: takesReasoning(model, profile.reasoning),
    maxOutputTokens: env.LONGVIEW_OUTPUT_TOKENS,
    maxOutputTokensRetry: env.LONGVIEW_OUTPUT_TOKENS_RETRY_MAX,
    outputCapField: profile.outputCapField,
  });
  const configured = settingsFor(env.LONGVIEW_MODEL);
  const toolBudget: ToolBudget = {
    maxCalls: env.LONGVIEW_TOOL_CALLS,
    maxResultTokens: env.LONGVIEW_TOOL_RESULT_TOKENS,
    wallMs: env.LONGVIEW_TOOL_WALL_MS,
    maxInputTokens: env.LONGVIEW_TOOL_INPUT_TOKENS,
  };
  log.info(
    {
      model: configured.model,
      profile: profile.name,
      api,
      output: profile.output,
      tools: profile.tools,
      contextTokens: profile.contextTokens,
      baseURL: client.baseURL,
      reasoning: configured.reasoning,
      reasoningEffort: configured.reasoning ? configured.reasoningEffort : null,
      maxOutputTokens: configured.maxOutputTokens,
      toolBudget: profile.tools ? toolBudget : null,
    },
    "model client ready",
  );

  return {
    model: configured.model,
    api,
    tools: profile.tools,
    structured<T>(schema: z.ZodType<T>, name: string, structuredOptions: StructuredOptions = {}): StructuredModel<T> {
      const base = structuredOptions.model === undefined ? configured : settingsFor(structuredOptions.model);
      const settings: ModelSettings = {
        ...base,
        reasoningEffort: lowerEffort(base.reasoningEffort, structuredOptions.reasoningEffort),
        maxOutputTokens: Math.min(base.maxOutputTokens, structuredOptions.maxOutputTokens ?? base.maxOutputTokens),
      };
      const call: ModelCall<T> =
        api === "chat"
          ? structuredChatCall(settings, chatOutput(schema, name, profile.output))
          : structuredResponsesCall(settings, structuredTextFormat(schema, name));
      return {
        model: settings.model,
        session: (target, sessionLog, signal, logFields) =>
          new ModelSession(
            {
              client,
              call,
              model: settings.model,
              api,
              fetch: fetchImpl,
              log: sessionLog,
              usage,
              slots,
              outputTokens: { initial: settings.maxOutputTokens, retryMax: settings.maxOutputTokensRetry },
              toolBudget,
              tools: profile.tools,
            },
            target,
            signal,
            logFields,
          ),
      };
    },
  };
}

const EFFORTS: readonly ModelSettings["reasoningEffort"][] = ["none", "low", "medium", "high", "xhigh"];

function lowerEffort(configured: ModelSettings["reasoningEffort"], cap: ModelSettings["reasoningEffort"] | undefined): ModelSettings["reasoningEffort"] {
  return cap !== undefined && EFFORTS.indexOf(cap) < EFFORTS.indexOf(configured) ? cap : configured;
}

/** The SDK logs `(message, details)`; pino wants `(details, message)`. */
function sdkLogger(log: Logger) {
  const adapt =
    (level: "error" | "warn" | "info" | "debug") =>
    (message: string, ...rest: unknown[]) =>
      log[level]({ details: rest.length === 1 ? rest[0] : rest }, message);
  return { error: adapt("error"), warn: adapt("warn"), info: adapt("info"), debug: adapt("debug") };
}

/** Request bodies with this process's secrets replaced: model text sent back to a model must not carry them either. */
function scrubbingFetch(base: typeof fetch, secrets: readonly string[], log: Logger): typeof fetch {
  return (input, init) => {
    if (typeof init?.body !== "string") return base(input, init);
    const { value, found } = scrubSecrets(init.body, secrets);
    if (found > 0) log.warn({ found }, "removed this process's own secrets from a model request");
    return base(input, found > 0 ? { ...init, body: value } : init);
  };
}

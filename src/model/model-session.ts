import type { Logger } from "pino";
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import {
  ModelAbortedError,
  ModelApiError,
  ModelIncompleteError,
  ModelRefusalError,
  ModelTimeoutError,
  NO_SPEND,
  type ModelError,
  type ModelSpend,
  type ModelTarget,
} from "./errors.js";
import type { Semaphore } from "../util/semaphore.js";
import { instrumentedFetch } from "./instrumented-fetch.js";
import type { ModelRequest } from "./model-request.js";
import type { ModelAnswer, ModelApi, ModelCall, ModelTurn } from "./model-turn.js";
import { addUsage, subtractUsage, type UsageSink } from "./usage.js";

export interface ModelSessionDeps<T> {
  readonly client: OpenAI;
  readonly call: ModelCall<T>;
  readonly model: string;
  readonly api: ModelApi;
  /** The fetch the client uses; wrapped per session to count HTTP attempts (the SDK's retries included). */
  readonly fetch: typeof fetch;
  readonly log: Logger;
  /** Told what each call spent as it ends, failed calls included. */
  readonly usage?: UsageSink;
  /** The cap on calls in flight, shared by every session of the client (reviews and fixes alike). */
  readonly slots?: Semaphore;
}

/**
 * The model calls made for one task (a window's review, a fix): their HTTP
 * attempts, token usage, one log line per call, and the mapping of SDK errors
 * and unusable answers to the typed errors of errors.ts. Each call waits for
 * a slot under the client's cap (giving up when the task is aborted) and
 * reports its spend to the client's usage sink.
 */
export class ModelSession<T> {
  private httpAttempts = 0;
  private usage = NO_SPEND.usage;
  private readonly client: OpenAI;

  constructor(
    private readonly deps: ModelSessionDeps<T>,
    private readonly target: ModelTarget,
    private readonly signal: AbortSignal | undefined,
    /** Added to every log line, e.g. `{ windowId }`. */
    private readonly logFields: Readonly<Record<string, unknown>> = {},
  ) {
    this.client = deps.client.withOptions({ fetch: instrumentedFetch(deps.fetch, () => this.httpAttempts++) });
  }

  spend(): ModelSpend {
    return { calls: this.httpAttempts, usage: this.usage };
  }

  /** Sends one request and logs one line for it; API failures throw typed errors, answers are values. */
  async send(request: ModelRequest, attempt: number): Promise<ModelAnswer<T>> {
    const { slots } = this.deps;
    return slots ? slots.use(() => this.sendMetered(request, attempt), this.signal) : this.sendMetered(request, attempt);
  }

  private async sendMetered(request: ModelRequest, attempt: number): Promise<ModelAnswer<T>> {
    const before = this.spend();
    try {
      return await this.sendNow(request, attempt);
    } finally {
      const after = this.spend();
      this.deps.usage?.modelUsage(this.deps.model, subtractUsage(after.usage, before.usage), after.calls - before.calls);
    }
  }

  private async sendNow(request: ModelRequest, attempt: number): Promise<ModelAnswer<T>> {
    const started = performance.now();
    const attemptsBefore = this.httpAttempts;
    const context = { model: this.deps.model, api: this.deps.api, ...this.logFields, attempt };
    let turn: ModelTurn<T>;
    try {
      turn = await this.deps.call(this.client, request, this.signal);
    } catch (error) {
      const mapped = this.mapError(error);
      this.deps.log.warn(
        { ...context, ms: elapsed(started), httpAttempts: this.httpAttempts - attemptsBefore, err: error },
        `model call failed: ${mapped.message}`,
      );
      throw mapped;
    }
    this.usage = addUsage(this.usage, turn.usage);
    this.deps.log.info(
      {
        ...context,
        ms: elapsed(started),
        httpAttempts: this.httpAttempts - attemptsBefore,
        inputTokens: turn.usage.inputTokens,
        outputTokens: turn.usage.outputTokens,
        reasoningTokens: turn.usage.reasoningTokens,
        outcome: turn.answer.kind,
      },
      "model call",
    );
    return turn.answer;
  }

  /** The typed error for an answer the model gave but that carries no usable output. */
  errorFor(answer: Exclude<ModelAnswer<T>, { kind: "parsed" } | { kind: "invalid" }>): ModelError {
    const { id, label, task } = this.target;
    switch (answer.kind) {
      case "refusal":
        return new ModelRefusalError(answer.refusal, this.target, this.spend());
      case "incomplete":
        return new ModelIncompleteError(answer.reason, this.target, this.spend());
      case "failed":
        return new ModelApiError(`The model failed to ${task} ${label}: ${answer.message}`, null, id, this.spend());
    }
  }

  /** SDK errors → typed errors; anything else is not the model's doing and propagates unchanged. */
  private mapError(error: unknown): Error {
    const { id, label, task } = this.target;
    const spend = this.spend();
    if (error instanceof APIUserAbortError || this.signal?.aborted) {
      return new ModelAbortedError(`The ${task} of ${label} was cancelled`, id, spend, { cause: error });
    }
    if (error instanceof APIConnectionTimeoutError) {
      return new ModelTimeoutError(`The model did not answer for ${label} in time (${spend.calls} attempt(s); see LONGVIEW_OPENAI_TIMEOUT_MS)`, id, spend, {
        cause: error,
      });
    }
    if (error instanceof APIError) {
      const status = typeof error.status === "number" ? error.status : null;
      const what = status === null ? "could not be reached" : `answered HTTP ${status}`;
      return new ModelApiError(`The model API ${what} for ${label} after ${spend.calls} attempt(s): ${error.message}`, status, id, spend, {
        cause: error,
      });
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

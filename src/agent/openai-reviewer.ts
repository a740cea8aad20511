import type { Logger } from "pino";
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import type { Finding } from "../domain/finding.js";
import type { Window } from "../domain/window.js";
import {
  ModelAbortedError,
  ModelApiError,
  ModelIncompleteError,
  ModelOutputError,
  ModelRefusalError,
  ModelTimeoutError,
  NO_SPEND,
  type ModelError,
  type ModelSpend,
} from "./errors.js";
import { instrumentedFetch } from "./instrumented-fetch.js";
import type { ModelAnswer, ModelApi, ModelCall, ModelTurn } from "./model-turn.js";
import { buildRepairRequest, buildReviewPrompt, type ModelRequest } from "./prompt.js";
import { addUsage, type Reviewer, type WindowReview } from "./reviewer.js";
import { validateModelOutput } from "./validate-output.js";

export interface OpenAIReviewerDeps {
  readonly client: OpenAI;
  readonly call: ModelCall;
  readonly model: string;
  readonly api: ModelApi;
  /** The fetch the client uses; wrapped per window to count HTTP attempts (the SDK's retries included). */
  readonly fetch: typeof fetch;
  readonly log: Logger;
}

/**
 * Reviews one window: one model call, plus one repair request when the answer
 * is unusable. Model refusals, truncated answers and API failures become typed
 * errors (errors.ts) that carry the calls and tokens already spent.
 */
export class OpenAIReviewer implements Reviewer {
  readonly model: string;

  constructor(private readonly deps: OpenAIReviewerDeps) {
    this.model = deps.model;
  }

  async review(window: Window, evidence: readonly Finding[], signal?: AbortSignal): Promise<WindowReview> {
    const session = new WindowSession(this.deps, window, signal);
    const prompt = buildReviewPrompt(window, evidence);

    let answer = await session.send(prompt, 1);
    if (answer.kind === "invalid") {
      const unusable = answer;
      this.deps.log.warn(
        { windowId: window.id, model: this.model, problem: unusable.problem },
        "model answer unusable; sending one repair request",
      );
      answer = await session.send(buildRepairRequest(prompt, unusable.text, unusable.problem), 2);
      if (answer.kind === "invalid") {
        this.deps.log.warn({ windowId: window.id, model: this.model, problem: answer.problem }, "repaired model answer unusable too");
        throw new ModelOutputError(
          `The model's answer for window ${window.id} was unusable twice (after one repair request); it ${oneLine(answer.problem)}`,
          window.id,
          session.spend(),
        );
      }
    }
    if (answer.kind !== "parsed") throw session.errorFor(answer);

    const validated = validateModelOutput(answer.output, window);
    for (const problem of validated.problems) {
      this.deps.log.warn({ windowId: window.id, model: this.model }, `model output: ${problem}`);
    }
    const spend = session.spend();
    return { findings: validated.findings, notes: validated.notes, usage: spend.usage, calls: spend.calls };
  }
}

/** The calls made for one window: their HTTP attempts, token usage, logging and error mapping. */
class WindowSession {
  private httpAttempts = 0;
  private usage = NO_SPEND.usage;
  private readonly client: OpenAI;

  constructor(
    private readonly deps: OpenAIReviewerDeps,
    private readonly window: Window,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.client = deps.client.withOptions({ fetch: instrumentedFetch(deps.fetch, () => this.httpAttempts++) });
  }

  spend(): ModelSpend {
    return { calls: this.httpAttempts, usage: this.usage };
  }

  /** Sends the first request (attempt 1) or the repair request (attempt 2) and logs one line for it. */
  async send(request: ModelRequest, attempt: number): Promise<ModelAnswer> {
    const started = performance.now();
    const attemptsBefore = this.httpAttempts;
    const context = { model: this.deps.model, api: this.deps.api, windowId: this.window.id, attempt };
    let turn: ModelTurn;
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

  errorFor(answer: Exclude<ModelAnswer, { kind: "parsed" } | { kind: "invalid" }>): ModelError {
    const id = this.window.id;
    switch (answer.kind) {
      case "refusal":
        return new ModelRefusalError(answer.refusal, id, this.spend());
      case "incomplete":
        return new ModelIncompleteError(answer.reason, id, this.spend());
      case "failed":
        return new ModelApiError(`The model failed to review window ${id}: ${answer.message}`, null, id, this.spend());
    }
  }

  /** SDK errors → typed errors; anything else is not the model's doing and propagates unchanged. */
  private mapError(error: unknown): Error {
    const id = this.window.id;
    const spend = this.spend();
    if (error instanceof APIUserAbortError || this.signal?.aborted) {
      return new ModelAbortedError(`The review of window ${id} was cancelled`, id, spend, { cause: error });
    }
    if (error instanceof APIConnectionTimeoutError) {
      return new ModelTimeoutError(
        `The model did not answer for window ${id} in time (${spend.calls} attempt(s); see LONGVIEW_OPENAI_TIMEOUT_MS)`,
        id,
        spend,
        { cause: error },
      );
    }
    if (error instanceof APIError) {
      const status = typeof error.status === "number" ? error.status : null;
      const what = status === null ? "could not be reached" : `answered HTTP ${status}`;
      return new ModelApiError(
        `The model API ${what} for window ${id} after ${spend.calls} attempt(s): ${error.message}`,
        status,
        id,
        spend,
        { cause: error },
      );
    }
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Error messages end up in the posted review: one line, bounded; the full problem is in the log. */
function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

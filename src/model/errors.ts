import { ZERO_USAGE, type TokenUsage } from "./usage.js";

/**
 * Why a model task (a window's review, a fix, a judgement) failed. Every
 * error carries what was already spent (calls, tokens), so cost accounting
 * stays right when a task fails.
 */

export interface ModelSpend {
  readonly calls: number;
  readonly usage: TokenUsage;
}

export const NO_SPEND: ModelSpend = { calls: 0, usage: ZERO_USAGE };

/** What a model call was for, as error messages name it. */
export interface ModelTarget {
  /** Carried by errors as `windowId`: the window's id, or another short id (e.g. `fix`). */
  readonly id: string;
  /** Noun phrase: "window w1", "pull request #12". */
  readonly label: string;
  /** Verb: "review", "fix". */
  readonly task: string;
}

export abstract class ModelError extends Error {
  readonly calls: number;
  readonly usage: TokenUsage;

  constructor(
    message: string,
    readonly windowId: string,
    spend: ModelSpend,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
    this.calls = spend.calls;
    this.usage = spend.usage;
  }
}

/** The model declined to answer (a `refusal` in its output, or a content filter stopped it). */
export class ModelRefusalError extends ModelError {
  constructor(
    readonly refusal: string,
    target: ModelTarget,
    spend: ModelSpend,
  ) {
    super(`The model refused to ${target.task} ${target.label}: ${refusal}`, target.id, spend);
  }
}

/** The model's answer could not be used: invalid JSON or schema, even after one repair request. */
export class ModelOutputError extends ModelError {}

/** The model stopped before finishing its answer (e.g. it reached max_output_tokens). */
export class ModelIncompleteError extends ModelOutputError {
  constructor(
    readonly reason: string,
    target: ModelTarget,
    spend: ModelSpend,
  ) {
    const hint = target.task === "review" ? "; raise LONGVIEW_OUTPUT_TOKENS or lower LONGVIEW_WINDOW_TOKENS" : "; raise LONGVIEW_OUTPUT_TOKENS";
    super(`The model's answer for ${target.label} is incomplete (${reason})` + (reason === "max_output_tokens" ? hint : ""), target.id, spend);
  }
}

/** No answer within LONGVIEW_OPENAI_TIMEOUT_MS (after the SDK's retries). */
export class ModelTimeoutError extends ModelError {}

/** The API answered with an error status, or could not be reached, after the SDK's retries. */
export class ModelApiError extends ModelError {
  constructor(
    message: string,
    readonly status: number | null,
    windowId: string,
    spend: ModelSpend,
    options?: { cause?: unknown },
  ) {
    super(message, windowId, spend, options);
  }
}

/** The caller's AbortSignal fired. */
export class ModelAbortedError extends ModelError {}

/** The model kept calling tools after its tool budget was spent and it was told to answer. */
export class ModelToolLoopError extends ModelOutputError {
  constructor(
    readonly limit: string,
    target: ModelTarget,
    spend: ModelSpend,
  ) {
    super(
      `The model kept calling tools for ${target.label} after its tool budget (${limit}) was spent and gave no answer; see LONGVIEW_TOOL_CALLS, LONGVIEW_TOOL_RESULT_TOKENS, LONGVIEW_TOOL_WALL_MS, LONGVIEW_TOOL_INPUT_TOKENS`,
      target.id,
      spend,
    );
  }
}

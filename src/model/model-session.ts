import type { Logger } from "pino";
import OpenAI, { APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import {
  ModelAbortedError,
  ModelApiError,
  ModelIncompleteError,
  ModelRefusalError,
  ModelTimeoutError,
  ModelToolLoopError,
  NO_SPEND,
  type ModelError,
  type ModelSpend,
  type ModelTarget,
} from "./errors.js";
import type { Semaphore } from "../util/semaphore.js";
import { retryOutputTokens } from "./capabilities.js";
import { instrumentedFetch } from "./instrumented-fetch.js";
import { newNonce, type ConversationItem, type Conversation, type ToolCall, type ToolResultItem } from "./model-request.js";
import type { ModelAnswer, ModelApi, ModelCall, ModelReply, ModelTurn, ToolDeclaration, TurnOptions } from "./model-turn.js";
import { compactToFit, cutToTokens, toolError, wrapToolOutput } from "./tool-ledger.js";
import { NO_TOOL_USAGE, toolDeclaration, type AnyModelTool, type ToolBudget, type ToolBudgetLimit, type ToolUsage, type ModelToolSet } from "./tools.js";
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
  /** Output room per request, and the most the one retry after a truncated answer may ask for. */
  readonly outputTokens: { readonly initial: number; readonly retryMax: number };
  /** The tool loop's limits unless the tool set overrides them. */
  readonly toolBudget: ToolBudget;
  /** False when the server takes no tools (the model profile): tool sets are then never declared. */
  readonly tools?: boolean;
}

/** Extra turns granted to a model that calls tools after being told to answer, before the session gives up. */
const IGNORED_STOP_TURNS = 2;
/** One tool result's share of the result-token budget at most, so one huge read cannot spend all of it. */
const MAX_RESULT_SHARE = 0.5;

/**
 * The model calls made for one task (a window's review, a fix): their HTTP
 * attempts, token usage, one log line per call, and the mapping of SDK errors
 * and unusable answers to the typed errors of errors.ts. Each call waits for
 * a slot under the client's cap (giving up when the task is aborted) and
 * reports its spend to the client's usage sink.
 *
 * With tools, `send` runs the tool loop: the model's function calls are run,
 * their results fed back as untrusted data, until the model answers or the
 * session's tool budget is spent (then it is told to answer now).
 */
export class ModelSession<T> {
  private httpAttempts = 0;
  private usage = NO_SPEND.usage;
  private readonly client: OpenAI;
  private outputTokens: number;
  private outputRaised = false;
  private tools: ToolUsage = NO_TOOL_USAGE;
  private toolsStartedAt: number | null = null;
  /** Delimits tool outputs; fixed per session so the conversation's prefix stays the same from turn to turn. */
  private readonly toolNonce = newNonce();
  private conversation: Conversation | null = null;

  constructor(
    private readonly deps: ModelSessionDeps<T>,
    private readonly target: ModelTarget,
    private readonly signal: AbortSignal | undefined,
    /** Added to every log line, e.g. `{ windowId }`. */
    private readonly logFields: Readonly<Record<string, unknown>> = {},
  ) {
    this.client = deps.client.withOptions({ fetch: instrumentedFetch(deps.fetch, () => this.httpAttempts++) });
    this.outputTokens = deps.outputTokens.initial;
  }

  spend(): ModelSpend {
    return { calls: this.httpAttempts, usage: this.usage };
  }

  /** What the session's tool loops ran and spent (all of them zero without tools). */
  toolUsage(): ToolUsage {
    return this.tools;
  }

  /**
   * The whole conversation of the last `send`, tool calls and results
   * included (compacted as sent): what a repair request builds on. Null
   * before the first send.
   */
  lastConversation(): Conversation | null {
    return this.conversation;
  }

  /**
   * Sends `request` and returns the model's final answer; API failures throw
   * typed errors, answers are values. An answer cut off at max_output_tokens
   * is retried once per session with more room. With `toolSet`, the model may
   * call its tools first (the tool loop).
   */
  async send(request: Conversation, attempt: number, toolSet?: ModelToolSet): Promise<ModelAnswer<T>> {
    // The reviewer offers no tools to such a server; this keeps any other caller from sending a `tools` field it would reject.
    if (toolSet !== undefined && toolSet.tools.length > 0 && this.deps.tools !== false) return this.toolLoop(request, attempt, toolSet);
    this.conversation = request;
    const reply = await this.turn(request, [], "auto", attempt);
    if (reply.kind !== "tool_calls") return reply;
    return { kind: "invalid", problem: `called tools (${reply.calls.map((c) => c.name).join(", ")}) although none are offered`, text: reply.text ?? "" };
  }

  private async toolLoop(request: Conversation, attempt: number, toolSet: ModelToolSet): Promise<ModelAnswer<T>> {
    const budget: ToolBudget = { ...this.deps.toolBudget, ...toolSet.budget };
    const declarations = toolSet.tools.map(toolDeclaration);
    const byName = new Map(toolSet.tools.map((tool) => [tool.name, tool]));
    this.toolsStartedAt ??= performance.now();
    let messages: ConversationItem[] = [...request.messages];
    let ignoredStops = 0;
    let stopSent = false;

    let inputFull = false;
    for (;;) {
      const limit = inputFull ? "input-tokens" : this.spentLimit(budget);
      if (limit !== null && !stopSent) {
        stopSent = true;
        this.tools = { ...this.tools, stoppedBy: this.tools.stoppedBy ?? limit };
        this.deps.log.info(
          { model: this.deps.model, ...this.logFields, limit, toolCalls: this.tools.calls },
          "tool budget spent; asking the model to answer now",
        );
        messages.push({ role: "user", content: answerNow(limit) });
      }
      const fitted = compactToFit({ instructions: request.instructions, messages }, declarations, budget.maxInputTokens);
      if (fitted.compacted > 0) {
        this.tools = { ...this.tools, compacted: this.tools.compacted + fitted.compacted };
        this.deps.log.info(
          { model: this.deps.model, ...this.logFields, compacted: fitted.compacted, inputTokens: fitted.tokens },
          "compacted older tool results",
        );
      }
      messages = fitted.messages;
      if (fitted.tokens > budget.maxInputTokens && limit === null) {
        // Every tool result is compacted and the request is still too large: more tool output cannot fit.
        this.deps.log.warn(
          { model: this.deps.model, ...this.logFields, inputTokens: fitted.tokens, maxInputTokens: budget.maxInputTokens },
          "request over the tool-loop input budget with all tool results compacted; asking the model to answer now",
        );
        inputFull = true;
        continue;
      }
      const sent: Conversation = { instructions: request.instructions, messages };
      this.conversation = sent;
      const reply = await this.turn(sent, declarations, limit === null ? "auto" : "none", attempt);
      if (reply.kind !== "tool_calls") return reply;

      this.tools = { ...this.tools, turns: this.tools.turns + 1 };
      messages.push({ type: "tool_calls", text: reply.text, calls: reply.calls, ...(reply.reasoning ? { reasoning: reply.reasoning } : {}) });
      if (limit !== null) {
        // The model was told to answer and offered no tool; it may not get more results.
        if (++ignoredStops > IGNORED_STOP_TURNS) throw new ModelToolLoopError(limit, this.target, this.spend());
        for (const call of reply.calls) messages.push(this.notRun(call, `not run: the tool budget (${limit}) is spent; answer now with what you have`));
        continue;
      }
      for (const call of reply.calls) messages.push(await this.runCall(call, byName, budget));
    }
  }

  /** Which budget is spent, if any. */
  private spentLimit(budget: ToolBudget): ToolBudgetLimit | null {
    if (this.tools.calls >= budget.maxCalls) return "calls";
    if (this.tools.resultTokens >= budget.maxResultTokens) return "result-tokens";
    if (this.toolsStartedAt !== null && performance.now() - this.toolsStartedAt >= budget.wallMs) return "wall-time";
    return null;
  }

  private notRun(call: ToolCall, problem: string): ToolResultItem {
    return { type: "tool_result", callId: call.id, output: toolError(call.name, problem), summary: `${call.name}: not run`, compacted: false };
  }

  /** Runs one call; every failure (unknown tool, bad arguments, a throwing tool, a spent budget) becomes an error result the model reads. */
  private async runCall(call: ToolCall, byName: ReadonlyMap<string, AnyModelTool>, budget: ToolBudget): Promise<ToolResultItem> {
    const limit = this.spentLimit(budget);
    if (limit !== null) return this.notRun(call, `not run: the tool budget (${limit}) is spent; answer now with what you have`);
    const started = performance.now();
    const outcome = await this.execute(call, byName, budget);
    const ms = Math.round(performance.now() - started);
    const room = Math.max(0, Math.min(budget.maxResultTokens - this.tools.resultTokens, Math.ceil(budget.maxResultTokens * MAX_RESULT_SHARE)));
    const { text, tokens, cut } = outcome.ok ? cutToTokens(outcome.text, room) : { text: outcome.text, tokens: 0, cut: false };
    const output = outcome.ok ? wrapToolOutput(call.name, text, this.toolNonce, cut) : outcome.text;
    this.tools = {
      ...this.tools,
      calls: this.tools.calls + 1,
      failedCalls: this.tools.failedCalls + (outcome.ok ? 0 : 1),
      resultTokens: this.tools.resultTokens + tokens,
      ms: this.tools.ms + ms,
    };
    const lines = outcome.ok ? text.split("\n").length : 0;
    this.deps.log.info(
      { model: this.deps.model, ...this.logFields, tool: call.name, args: outcome.args, ok: outcome.ok, resultTokens: tokens, lines, cut, ms },
      outcome.ok ? "tool call" : `tool call failed: ${outcome.text.slice(0, 200)}`,
    );
    const summary = outcome.ok ? `${call.name} ${outcome.args} → ${lines} lines, ${tokens} tokens` : `${call.name} ${outcome.args} → error`;
    return { type: "tool_result", callId: call.id, output, summary, compacted: false };
  }

  private async execute(call: ToolCall, byName: ReadonlyMap<string, AnyModelTool>, budget: ToolBudget): Promise<{ ok: boolean; text: string; args: string }> {
    const tool = byName.get(call.name);
    const rawArgs = oneLine(call.arguments, 200);
    if (tool === undefined) return { ok: false, text: toolError(call.name, `no such tool; the tools are ${[...byName.keys()].join(", ")}`), args: rawArgs };
    let json: unknown;
    try {
      json = JSON.parse(call.arguments);
    } catch (error) {
      return {
        ok: false,
        text: toolError(call.name, `the arguments are not valid JSON (${(error as Error).message}); call it again with valid arguments`),
        args: rawArgs,
      };
    }
    const parsed = tool.args.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(arguments)"}: ${issue.message}`).join("; ");
      return { ok: false, text: toolError(call.name, `invalid arguments: ${oneLine(problems, 500)}; call it again with valid arguments`), args: rawArgs };
    }
    const args = parsed.data as never;
    const summary = summarize(tool, args, rawArgs);
    const remainingMs = Math.max(1, Math.ceil(budget.wallMs - (performance.now() - (this.toolsStartedAt ?? performance.now()))));
    const signal = AbortSignal.any([AbortSignal.timeout(remainingMs), ...(this.signal ? [this.signal] : [])]);
    try {
      const text = await untilAborted(tool.run(args, signal), signal);
      if (typeof text !== "string") return { ok: false, text: toolError(call.name, "the tool returned no text"), args: summary };
      return { ok: true, text, args: summary };
    } catch (error) {
      if (this.signal?.aborted)
        throw new ModelAbortedError(`The ${this.target.task} of ${this.target.label} was cancelled`, this.target.id, this.spend(), { cause: error });
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, text: toolError(call.name, `the tool failed: ${oneLine(message, 300)}`), args: summary };
    }
  }

  /** One request, retried once per session with more output room when the answer was cut off at max_output_tokens. */
  private async turn(request: Conversation, tools: readonly ToolDeclaration[], toolChoice: TurnOptions["toolChoice"], attempt: number): Promise<ModelReply<T>> {
    const reply = await this.request(request, { maxOutputTokens: this.outputTokens, tools, toolChoice }, attempt);
    if (reply.kind !== "incomplete" || reply.reason !== "max_output_tokens" || this.outputRaised) return reply;
    const more = retryOutputTokens(this.outputTokens, this.deps.outputTokens.retryMax);
    if (more === null) return reply;
    this.outputRaised = true;
    this.deps.log.warn(
      { model: this.deps.model, ...this.logFields, maxOutputTokens: this.outputTokens, retryOutputTokens: more },
      "model answer cut off at max_output_tokens; retrying once with more room",
    );
    this.outputTokens = more;
    return this.request(request, { maxOutputTokens: more, tools, toolChoice }, attempt);
  }

  private async request(request: Conversation, options: TurnOptions, attempt: number): Promise<ModelReply<T>> {
    const { slots } = this.deps;
    return slots ? slots.use(() => this.sendMetered(request, options, attempt), this.signal) : this.sendMetered(request, options, attempt);
  }

  private async sendMetered(request: Conversation, options: TurnOptions, attempt: number): Promise<ModelReply<T>> {
    const before = this.spend();
    try {
      return await this.sendNow(request, options, attempt);
    } finally {
      const after = this.spend();
      this.deps.usage?.modelUsage(this.deps.model, subtractUsage(after.usage, before.usage), after.calls - before.calls);
    }
  }

  private async sendNow(request: Conversation, options: TurnOptions, attempt: number): Promise<ModelReply<T>> {
    const started = performance.now();
    const attemptsBefore = this.httpAttempts;
    const context = { model: this.deps.model, api: this.deps.api, ...this.logFields, attempt };
    let turn: ModelTurn<T>;
    try {
      turn = await this.deps.call(this.client, request, options, this.signal);
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
        maxOutputTokens: options.maxOutputTokens,
        ...(options.tools.length > 0 ? { toolChoice: options.toolChoice } : {}),
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

/** The tool's own summary of its arguments; its raw arguments when it has none or it fails. */
function summarize(tool: AnyModelTool, args: never, rawArgs: string): string {
  if (tool.summarize === undefined) return rawArgs;
  try {
    return oneLine(tool.summarize(args), 200);
  } catch {
    return rawArgs;
  }
}

/** `work`, or a rejection when `signal` fires first: a tool that ignores its signal cannot hold the session past its budget. */
function untilAborted<R>(work: Promise<R>, signal: AbortSignal): Promise<R> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<R>((resolve, reject) => {
    const onAbort = () => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error("aborted");
}

function answerNow(limit: ToolBudgetLimit): string {
  const what = {
    calls: "the number of tool calls",
    "result-tokens": "the size of tool output",
    "wall-time": "the time for tool use",
    "input-tokens": "the size of the conversation",
  }[limit];
  return `The tool budget of this task is spent (${what}). Do not call tools any more: answer now, with the final answer in the required format, from what you have seen.`;
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

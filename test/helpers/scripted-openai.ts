import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { text as readBody } from "node:stream/consumers";

/**
 * A scripted OpenAI-compatible server for both APIs (Responses and Chat
 * Completions), answering each request by a function of its body: final
 * structured answers, function/tool calls over several turns, `incomplete`
 * answers, refusals and HTTP errors (429/5xx). Like a real server it rejects
 * malformed conversations (a tool result without its call, a call without
 * its result) with 400, and optionally rejects reasoning parameters, as
 * models without reasoning do. Options make it behave like another server
 * (scripted-servers.ts): the APIs it has, the response formats and tools it
 * takes, and how its model dresses an answer.
 *
 * Use `fetch` in-process (handed to the model client) or `listen()` for a
 * real loopback endpoint (OPENAI_BASE_URL).
 */

export type ScriptedApi = "responses" | "chat";

export interface ScriptedToolCall {
  readonly name: string;
  /** An object is sent as its JSON; a string is sent as is (malformed arguments included). */
  readonly arguments: unknown;
  readonly id?: string;
}

export interface ScriptedToolResult {
  readonly callId: string;
  readonly name: string;
  readonly output: string;
}

/** What the script sees of one request, the same for both APIs. */
export interface ScriptedRequest {
  readonly api: ScriptedApi;
  /** 0-based, over all requests this server received. */
  readonly index: number;
  readonly body: Record<string, unknown>;
  readonly model: string;
  readonly instructions: string;
  /** Text of user messages, in order. */
  readonly userTexts: readonly string[];
  /** Names of the tools declared in the request. */
  readonly tools: readonly string[];
  readonly toolChoice: string | null;
  /** Results of earlier tool calls in the conversation, in order. */
  readonly toolResults: readonly ScriptedToolResult[];
  readonly maxOutputTokens: number | null;
  /** Chat: which field carried the output cap (`max_completion_tokens` or `max_tokens`). */
  readonly outputCapField: "max_completion_tokens" | "max_tokens" | null;
  /** The response format asked for: a strict JSON schema, JSON mode, none, or anything else. */
  readonly responseFormat: ScriptedFormat;
  /** `reasoning.effort` (Responses) or `reasoning_effort` (Chat), when sent. */
  readonly reasoningEffort: string | null;
  /** Responses: encrypted content of the reasoning items sent back in the input. */
  readonly reasoningReplayed: readonly string[];
}

export type ScriptedReply =
  /** A final answer: serialized as the structured output's JSON text. */
  | { readonly answer: unknown; readonly usage?: ScriptedUsage }
  /** Any text as the final answer (invalid JSON, a wrong shape). */
  | { readonly text: string; readonly usage?: ScriptedUsage }
  | { readonly toolCalls: readonly ScriptedToolCall[]; readonly text?: string; readonly usage?: ScriptedUsage }
  | { readonly incomplete: "max_output_tokens" | "content_filter"; readonly text?: string; readonly usage?: ScriptedUsage }
  | { readonly refusal: string; readonly usage?: ScriptedUsage }
  | { readonly status: number; readonly message: string; readonly headers?: Readonly<Record<string, string>> };

export interface ScriptedUsage {
  readonly input: number;
  readonly output: number;
  readonly reasoning?: number;
}

export type OpenAIScript = (request: ScriptedRequest) => ScriptedReply | Promise<ScriptedReply>;

export type ScriptedFormat = "json_schema" | "json_object" | "none" | "other";

export interface ScriptedOpenAIOptions {
  /** Answer 400 to reasoning parameters, as a model without reasoning does (a string: with that message). */
  readonly rejectReasoning?: boolean | string;
  /** The APIs the server has; a request to another answers 404 with `notFound` (default: both). */
  readonly apis?: readonly ScriptedApi[];
  readonly notFound?: string;
  /** The response formats the server takes; others answer 400 (default: a strict JSON schema only, which OpenAI's path always sends). */
  readonly formats?: readonly ScriptedFormat[];
  /** Answer 400 with this message to a request that declares tools (a server or model without tool calling). */
  readonly rejectTools?: string;
  /** How the server's model dresses its final answer text (code fences, prose, `<think>` blocks), given the format it was asked for. */
  readonly dress?: (text: string, request: ScriptedRequest) => string;
  /** Chat usage without `completion_tokens_details`, as servers other than OpenAI's answer. */
  readonly plainUsage?: boolean;
}

export interface ScriptedOpenAI {
  readonly fetch: typeof fetch;
  /** Every request, as the script saw it (rejected ones included). */
  readonly requests: ScriptedRequest[];
  /** A real endpoint on loopback; `baseUrl` ends in /v1. */
  listen(): Promise<{ readonly baseUrl: string; close(): Promise<void> }>;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

const DEFAULT_USAGE: ScriptedUsage = { input: 1000, output: 200, reasoning: 50 };

export function scriptedOpenAI(script: OpenAIScript, options: ScriptedOpenAIOptions = {}): ScriptedOpenAI {
  const requests: ScriptedRequest[] = [];
  let callCounter = 0;

  async function handle(url: string, method: string, text: string): Promise<Answer> {
    const api: ScriptedApi | null = url.endsWith("/responses") ? "responses" : url.endsWith("/chat/completions") ? "chat" : null;
    if (method !== "POST" || api === null || (options.apis !== undefined && !options.apis.includes(api))) return error(404, options.notFound ?? "not found");
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return error(400, "the body is not JSON");
    }
    const read = api === "responses" ? readResponses(body) : readChat(body);
    const request: ScriptedRequest = { api, index: requests.length, body, ...read };
    requests.push(request);
    if (read.problem !== null) return error(400, read.problem);
    if (options.rejectReasoning && request.reasoningEffort !== null) {
      const message =
        typeof options.rejectReasoning === "string"
          ? options.rejectReasoning
          : `Unrecognized request argument supplied: ${api === "chat" ? "reasoning_effort" : "reasoning"}`;
      return error(400, message);
    }
    if (options.rejectTools !== undefined && request.tools.length > 0) return error(400, options.rejectTools);
    const formats = options.formats ?? ["json_schema"];
    if (!formats.includes(request.responseFormat)) {
      return error(
        400,
        options.formats === undefined ? "expected a strict json_schema response format" : `response_format ${request.responseFormat} is not supported`,
      );
    }

    const reply = await script(request);
    if ("status" in reply)
      return { status: reply.status, headers: { ...reply.headers }, body: { error: { message: reply.message, type: "scripted", code: null } } };
    const usage = reply.usage ?? DEFAULT_USAGE;
    const calls =
      "toolCalls" in reply
        ? reply.toolCalls.map((call) => ({
            id: call.id ?? `call_${++callCounter}`,
            name: call.name,
            arguments: typeof call.arguments === "string" ? call.arguments : JSON.stringify(call.arguments),
          }))
        : [];
    const final = "answer" in reply || ("text" in reply && !("incomplete" in reply) && !("toolCalls" in reply));
    const dressed = options.dress && final ? { text: options.dress(replyText(reply) ?? "", request), ...(reply.usage ? { usage: reply.usage } : {}) } : reply;
    const answer = api === "responses" ? responsesBody(request, dressed, calls, usage) : chatBody(request, dressed, calls, usage, options.plainUsage === true);
    return { status: 200, headers: {}, body: answer };
  }

  const fetchImpl: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const answer = await handle(url, init?.method ?? "GET", typeof init?.body === "string" ? init.body : "");
    return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { "content-type": "application/json", ...answer.headers } });
  };

  return {
    fetch: fetchImpl,
    requests,
    async listen() {
      const server: Server = createServer((req, res) => {
        void readBody(req)
          .then((text) => handle(req.url ?? "", req.method ?? "GET", text))
          .then((answer) => res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers }).end(JSON.stringify(answer.body)))
          .catch((e: unknown) => res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: String(e) } })));
      });
      // Node drops an idle keep-alive socket after 5 s; a client that reuses it at that moment gets a reset, and the
      // tests run the model client without retries. Real APIs keep connections open far longer.
      server.keepAliveTimeout = 120_000;
      server.headersTimeout = 125_000;
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const { port } = server.address() as AddressInfo;
      return {
        baseUrl: `http://127.0.0.1:${port}/v1`,
        close: () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      };
    },
  };
}

type Read = Omit<ScriptedRequest, "api" | "index" | "body"> & { readonly problem: string | null };

function readResponses(body: Record<string, unknown>): Read {
  const input = Array.isArray(body.input) ? (body.input as Record<string, unknown>[]) : [];
  const userTexts: string[] = [];
  const calls = new Map<string, string>();
  const toolResults: ScriptedToolResult[] = [];
  const reasoningReplayed: string[] = [];
  let problem: string | null = null;
  for (const item of input) {
    if (item.type === "reasoning") reasoningReplayed.push(String(item.encrypted_content));
    else if (item.type === "function_call") calls.set(String(item.call_id), String(item.name));
    else if (item.type === "function_call_output") {
      const name = calls.get(String(item.call_id));
      if (name === undefined) problem ??= `No tool call found for function call output with call_id ${String(item.call_id)}.`;
      toolResults.push({ callId: String(item.call_id), name: name ?? "", output: String(item.output) });
    } else if (item.role === "user") userTexts.push(String(item.content));
  }
  for (const id of calls.keys()) if (!toolResults.some((r) => r.callId === id)) problem ??= `No tool output found for function call ${id}.`;
  const reasoning = body.reasoning as { effort?: string } | undefined;
  return {
    model: String(body.model),
    instructions: String(body.instructions ?? ""),
    userTexts,
    tools: toolNames(body.tools, (tool) => tool.name),
    toolChoice: typeof body.tool_choice === "string" ? body.tool_choice : null,
    toolResults,
    maxOutputTokens: typeof body.max_output_tokens === "number" ? body.max_output_tokens : null,
    outputCapField: null,
    responseFormat: formatKind((body.text as { format?: unknown } | undefined)?.format),
    reasoningEffort: reasoning?.effort ?? null,
    reasoningReplayed,
    problem,
  };
}

function readChat(body: Record<string, unknown>): Read {
  const messages = Array.isArray(body.messages) ? (body.messages as Record<string, unknown>[]) : [];
  const userTexts: string[] = [];
  const pending = new Map<string, string>();
  const toolResults: ScriptedToolResult[] = [];
  let problem: string | null = null;
  for (const message of messages) {
    if (message.role !== "tool" && pending.size > 0)
      problem ??= "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.";
    if (message.role === "assistant" && Array.isArray(message.tool_calls)) {
      for (const call of message.tool_calls as { id: string; function: { name: string } }[]) pending.set(call.id, call.function.name);
    } else if (message.role === "tool") {
      const id = String(message.tool_call_id);
      const name = pending.get(id);
      if (name === undefined) problem ??= "Messages with role 'tool' must be a response to a preceding message with 'tool_calls'.";
      pending.delete(id);
      toolResults.push({ callId: id, name: name ?? "", output: String(message.content) });
    } else if (message.role === "user") userTexts.push(String(message.content));
  }
  if (pending.size > 0) problem ??= "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.";
  const system = messages.find((m) => m.role === "system");
  return {
    model: String(body.model),
    instructions: String(system?.content ?? ""),
    userTexts,
    tools: toolNames(body.tools, (tool) => (tool.function as { name?: unknown } | undefined)?.name),
    toolChoice: typeof body.tool_choice === "string" ? body.tool_choice : null,
    toolResults,
    maxOutputTokens: typeof body.max_completion_tokens === "number" ? body.max_completion_tokens : typeof body.max_tokens === "number" ? body.max_tokens : null,
    outputCapField: typeof body.max_completion_tokens === "number" ? "max_completion_tokens" : typeof body.max_tokens === "number" ? "max_tokens" : null,
    responseFormat: formatKind(body.response_format),
    reasoningEffort: typeof body.reasoning_effort === "string" ? body.reasoning_effort : null,
    reasoningReplayed: [],
    problem,
  };
}

function toolNames(tools: unknown, name: (tool: Record<string, unknown>) => unknown): string[] {
  return Array.isArray(tools) ? (tools as Record<string, unknown>[]).map((tool) => String(name(tool))) : [];
}

/** Responses `text.format` carries `strict` itself; Chat `response_format` carries it in `json_schema`. */
function formatKind(format: unknown): ScriptedFormat {
  if (format === undefined || format === null) return "none";
  const f = format as { type?: string; strict?: boolean; json_schema?: { strict?: boolean } };
  if (f.type === "json_schema") return f.strict === true || f.json_schema?.strict === true ? "json_schema" : "other";
  if (f.type === "json_object") return "json_object";
  return f.type === "text" ? "none" : "other";
}

type Reply = Exclude<ScriptedReply, { status: number }>;
type Call = { id: string; name: string; arguments: string };

function replyText(reply: Reply): string | null {
  if ("answer" in reply) return JSON.stringify(reply.answer);
  if ("refusal" in reply) return null;
  return reply.text ?? null;
}

function responsesBody(request: ScriptedRequest, reply: Reply, calls: readonly Call[], usage: ScriptedUsage) {
  const text = replyText(reply);
  const content =
    "refusal" in reply ? [{ type: "refusal", refusal: reply.refusal }] : text === null ? [] : [{ type: "output_text", text, annotations: [], logprobs: [] }];
  const encrypted = Array.isArray(request.body.include) && request.body.include.includes("reasoning.encrypted_content");
  const output: unknown[] = [
    { id: `rs_${request.index}`, type: "reasoning", summary: [], ...(encrypted ? { encrypted_content: `enc_${request.index}` } : {}) },
  ];
  if (content.length > 0) output.push({ id: `msg_${request.index}`, type: "message", status: "completed", role: "assistant", content });
  for (const call of calls)
    output.push({ id: `fc_${call.id}`, type: "function_call", status: "completed", call_id: call.id, name: call.name, arguments: call.arguments });
  const incomplete = "incomplete" in reply ? reply.incomplete : null;
  return {
    id: `resp_${request.index}`,
    object: "response",
    created_at: 1_763_000_000,
    status: incomplete === null ? "completed" : "incomplete",
    error: null,
    incomplete_details: incomplete === null ? null : { reason: incomplete },
    model: request.model,
    output,
    parallel_tool_calls: true,
    tool_choice: request.toolChoice ?? "auto",
    tools: [],
    usage: {
      input_tokens: usage.input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: usage.output,
      output_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
      total_tokens: usage.input + usage.output,
    },
  };
}

function chatBody(request: ScriptedRequest, reply: Reply, calls: readonly Call[], usage: ScriptedUsage, plainUsage: boolean) {
  const finish = "incomplete" in reply ? (reply.incomplete === "max_output_tokens" ? "length" : "content_filter") : calls.length > 0 ? "tool_calls" : "stop";
  const message: Record<string, unknown> = { role: "assistant", content: replyText(reply), refusal: "refusal" in reply ? reply.refusal : null };
  if (calls.length > 0) message.tool_calls = calls.map((call) => ({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } }));
  return {
    id: `chatcmpl-${request.index}`,
    object: "chat.completion",
    created: 1_763_000_000,
    model: request.model,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
    usage: {
      prompt_tokens: usage.input,
      completion_tokens: usage.output,
      total_tokens: usage.input + usage.output,
      ...(plainUsage ? {} : { completion_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 } }),
    },
  };
}

function error(status: number, message: string): Answer {
  return { status, headers: {}, body: { error: { message, type: "invalid_request_error", code: null } } };
}

import type { AutoParseableTextFormat } from "openai/lib/parser";
import type { Response, ResponseInputItem } from "openai/resources/responses/responses";
import type { ConversationItem, OpaqueReasoning } from "./model-request.js";
import type { ModelCall, ModelReply, ModelSettings, TurnOptions } from "./model-turn.js";
import { NO_ANSWER_TEXT } from "./model-turn.js";
import type { Parsed } from "./structured-output.js";
import { usageFromResponses } from "./usage.js";

/**
 * A structured-output call through the Responses API, for any format from
 * `structuredTextFormat`. It uses `responses.create` and parses the answer
 * text itself: the SDK's `parse` would also JSON-parse function-call
 * arguments and throw on a malformed one, which the tool loop must answer
 * as an error result instead.
 */
export function structuredResponsesCall<T>(settings: ModelSettings, format: AutoParseableTextFormat<Parsed<T>>): ModelCall<T> {
  return async (client, request, options, signal) => {
    const response = await client.responses.create(
      {
        model: settings.model,
        instructions: request.instructions,
        input: request.messages.flatMap(inputItems),
        ...(settings.reasoning ? { reasoning: { effort: settings.reasoningEffort } } : {}),
        text: { format },
        max_output_tokens: options.maxOutputTokens,
        ...toolFields(options),
        // Without stored responses, a reasoning model's thinking survives a tool call only as encrypted content we send back.
        ...(settings.reasoning && options.tools.length > 0 ? { include: ["reasoning.encrypted_content" as const] } : {}),
        // PR content is the customer's code: do not keep it on the provider's side.
        store: false,
      },
      { signal },
    );
    return { answer: answerOf(response, (text) => format.$parseRaw(text)), usage: usageFromResponses(response.usage) };
  };
}

function toolFields(options: TurnOptions) {
  if (options.tools.length === 0) return {};
  return {
    tools: options.tools.map((tool) => ({
      type: "function" as const,
      name: tool.name,
      description: tool.description,
      parameters: { ...tool.parameters },
      strict: true,
    })),
    tool_choice: options.toolChoice,
    parallel_tool_calls: true,
  };
}

function inputItems(item: ConversationItem): ResponseInputItem[] {
  if (!("type" in item)) return [{ role: item.role, content: item.content }];
  if (item.type === "tool_result") return [{ type: "function_call_output", call_id: item.callId, output: item.output }];
  const reasoning: ResponseInputItem[] = (item.reasoning ?? []).map((r) => ({
    type: "reasoning",
    id: r.id,
    summary: [],
    encrypted_content: r.encryptedContent,
  }));
  const calls: ResponseInputItem[] = item.calls.map((call) => ({ type: "function_call", call_id: call.id, name: call.name, arguments: call.arguments }));
  return [...reasoning, ...(item.text === null ? [] : [{ role: "assistant" as const, content: item.text }]), ...calls];
}

function answerOf<T>(response: Response, parse: (text: string) => Parsed<T>): ModelReply<T> {
  if (response.status === "failed") {
    return { kind: "failed", message: response.error?.message ?? "the response failed without an error message" };
  }
  if (response.status === "incomplete") {
    return { kind: "incomplete", reason: response.incomplete_details?.reason ?? "unknown reason" };
  }
  const texts: string[] = [];
  const calls: { id: string; name: string; arguments: string }[] = [];
  const reasoning: OpaqueReasoning[] = [];
  for (const item of response.output) {
    if (item.type === "function_call") calls.push({ id: item.call_id, name: item.name, arguments: item.arguments });
    if (item.type === "reasoning" && typeof item.encrypted_content === "string") reasoning.push({ id: item.id, encryptedContent: item.encrypted_content });
    if (item.type !== "message") continue;
    for (const content of item.content) {
      if (content.type === "refusal") return { kind: "refusal", refusal: content.refusal };
      if (content.type === "output_text") texts.push(content.text);
    }
  }
  const text = texts.join("");
  if (calls.length > 0) return { kind: "tool_calls", calls, text: text === "" ? null : text, ...(reasoning.length > 0 ? { reasoning } : {}) };
  if (text === "") return { kind: "invalid", problem: NO_ANSWER_TEXT, text: "" };
  const parsed = parse(text);
  return parsed.ok ? { kind: "parsed", output: parsed.output } : { kind: "invalid", problem: parsed.error, text: parsed.text };
}

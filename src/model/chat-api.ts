import type { ChatCompletion, ChatCompletionMessageParam } from "openai/resources/chat/completions";
import type { ConversationItem, Conversation } from "./model-request.js";
import type { ModelCall, ModelReply, ModelSettings, TurnOptions } from "./model-turn.js";
import { NO_ANSWER_TEXT } from "./model-turn.js";
import type { ChatOutput, Parsed } from "./structured-output.js";
import { usageFromChat } from "./usage.js";

/**
 * A structured-output call through Chat Completions, for servers without the
 * Responses API, in the profile's output mode (`chatOutput`). It uses
 * `chat.completions.create` and parses the answer itself: the SDK's `parse`
 * throws on a truncated answer (losing its usage) and on malformed tool-call
 * arguments, which the tool loop must answer as an error result instead.
 */
export function structuredChatCall<T>(settings: ModelSettings, output: ChatOutput<T>): ModelCall<T> {
  return async (client, request, options, signal) => {
    const instructions = output.instructions === null ? request.instructions : `${request.instructions}\n\n${output.instructions}`;
    const completion = await client.chat.completions.create(
      {
        model: settings.model,
        messages: chatMessages({ ...request, instructions }),
        ...(output.responseFormat ? { response_format: output.responseFormat } : {}),
        // Models without reasoning (most self-hosted ones) answer 400 to this parameter.
        ...(settings.reasoning ? { reasoning_effort: settings.reasoningEffort } : {}),
        // OpenAI's reasoning models reject `max_tokens`; Ollama documents only `max_tokens` (the profile knows which).
        ...(settings.outputCapField === "max_tokens" ? { max_tokens: options.maxOutputTokens } : { max_completion_tokens: options.maxOutputTokens }),
        ...toolFields(options),
      },
      { signal },
    );
    return { answer: answerOf(completion, (text) => output.parse(text)), usage: usageFromChat(completion.usage) };
  };
}

function toolFields(options: TurnOptions) {
  if (options.tools.length === 0) return {};
  return {
    tools: options.tools.map((tool) => ({
      type: "function" as const,
      function: { name: tool.name, description: tool.description, parameters: { ...tool.parameters }, strict: true },
    })),
    tool_choice: options.toolChoice,
  };
}

function chatMessages(request: Conversation): ChatCompletionMessageParam[] {
  return [{ role: "system", content: request.instructions }, ...request.messages.map(chatMessage)];
}

function chatMessage(item: ConversationItem): ChatCompletionMessageParam {
  if (!("type" in item)) return { role: item.role, content: item.content };
  if (item.type === "tool_result") return { role: "tool", tool_call_id: item.callId, content: item.output };
  return {
    role: "assistant",
    content: item.text,
    tool_calls: item.calls.map((call) => ({ id: call.id, type: "function" as const, function: { name: call.name, arguments: call.arguments } })),
  };
}

function answerOf<T>(completion: ChatCompletion, parse: (text: string) => Parsed<T>): ModelReply<T> {
  // A compatible server may answer without `choices` at all.
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  if (choice === undefined) return { kind: "invalid", problem: "contained no choices", text: "" };
  if (choice.finish_reason === "length") return { kind: "incomplete", reason: "max_output_tokens" };
  if (choice.finish_reason === "content_filter") return { kind: "incomplete", reason: "content_filter" };
  const message = choice.message;
  if (message.refusal) return { kind: "refusal", refusal: message.refusal };
  const calls = (message.tool_calls ?? []).flatMap((call) =>
    call.type === "function" ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
  );
  if (calls.length > 0) return { kind: "tool_calls", calls, text: message.content || null };
  const text = message.content ?? "";
  if (text === "") return { kind: "invalid", problem: NO_ANSWER_TEXT, text: "" };
  const parsed = parse(text);
  return parsed.ok ? { kind: "parsed", output: parsed.output } : { kind: "invalid", problem: parsed.error, text: parsed.text };
}

import { ContentFilterFinishReasonError, LengthFinishReasonError } from "openai/error";
import type { AutoParseableResponseFormat } from "openai/lib/parser";
import type { ParsedChatCompletion } from "openai/resources/chat/completions";
import type { ModelAnswer, ModelCall, ModelSettings, ModelTurn } from "./model-turn.js";
import { NO_ANSWER_TEXT } from "./model-turn.js";
import type { Parsed } from "./structured-output.js";
import { ZERO_USAGE, usageFromChat } from "./usage.js";

/**
 * A structured-output call through Chat Completions (`client.chat.completions.parse`), for servers
 * without the Responses API, for any format from `structuredResponseFormat`.
 */
export function structuredChatCall<T>(settings: ModelSettings, responseFormat: AutoParseableResponseFormat<Parsed<T>>): ModelCall<T> {
  return async (client, request, signal): Promise<ModelTurn<T>> => {
    let completion: ParsedChatCompletion<Parsed<T>>;
    try {
      completion = await client.chat.completions.parse(
        {
          model: settings.model,
          messages: [{ role: "system", content: request.instructions }, ...request.messages.map((m) => ({ role: m.role, content: m.content }))],
          response_format: responseFormat,
          reasoning_effort: settings.reasoningEffort,
          max_completion_tokens: settings.maxOutputTokens,
        },
        { signal },
      );
    } catch (error) {
      // The SDK's parse() throws for these finish reasons before we see the completion (and its usage).
      if (error instanceof LengthFinishReasonError) return { answer: { kind: "incomplete", reason: "max_output_tokens" }, usage: ZERO_USAGE };
      if (error instanceof ContentFilterFinishReasonError) return { answer: { kind: "incomplete", reason: "content_filter" }, usage: ZERO_USAGE };
      throw error;
    }
    return { answer: answerOf(completion), usage: usageFromChat(completion.usage) };
  };
}

function answerOf<T>(completion: ParsedChatCompletion<Parsed<T>>): ModelAnswer<T> {
  const message = completion.choices[0]?.message;
  if (message === undefined) return { kind: "invalid", problem: "contained no choices", text: "" };
  if (message.refusal) return { kind: "refusal", refusal: message.refusal };
  const parsed = message.parsed;
  if (parsed === null) return { kind: "invalid", problem: NO_ANSWER_TEXT, text: "" };
  return parsed.ok ? { kind: "parsed", output: parsed.output } : { kind: "invalid", problem: parsed.error, text: parsed.text };
}

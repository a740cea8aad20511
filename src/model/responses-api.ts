import type { AutoParseableTextFormat } from "openai/lib/parser";
import type { ParsedResponse } from "openai/resources/responses/responses";
import type { ModelAnswer, ModelCall, ModelSettings } from "./model-turn.js";
import { NO_ANSWER_TEXT } from "./model-turn.js";
import type { Parsed } from "./structured-output.js";
import { usageFromResponses } from "./usage.js";

/** A structured-output call through the Responses API (`client.responses.parse`), for any format from `structuredTextFormat`. */
export function structuredResponsesCall<T>(settings: ModelSettings, format: AutoParseableTextFormat<Parsed<T>>): ModelCall<T> {
  return async (client, request, signal) => {
    const response = await client.responses.parse(
      {
        model: settings.model,
        instructions: request.instructions,
        input: request.messages.map((m) => ({ role: m.role, content: m.content })),
        reasoning: { effort: settings.reasoningEffort },
        text: { format },
        max_output_tokens: settings.maxOutputTokens,
        // PR content is the customer's code: do not keep it on the provider's side.
        store: false,
      },
      { signal },
    );
    return { answer: answerOf(response), usage: usageFromResponses(response.usage) };
  };
}

function answerOf<T>(response: ParsedResponse<Parsed<T>>): ModelAnswer<T> {
  if (response.status === "failed") {
    return { kind: "failed", message: response.error?.message ?? "the response failed without an error message" };
  }
  if (response.status === "incomplete") {
    return { kind: "incomplete", reason: response.incomplete_details?.reason ?? "unknown reason" };
  }
  for (const item of response.output) {
    if (item.type !== "message") continue;
    for (const content of item.content) {
      if (content.type === "refusal") return { kind: "refusal", refusal: content.refusal };
    }
  }
  const parsed = response.output_parsed;
  if (parsed === null) return { kind: "invalid", problem: NO_ANSWER_TEXT, text: "" };
  return parsed.ok ? { kind: "parsed", output: parsed.output } : { kind: "invalid", problem: parsed.error, text: parsed.text };
}

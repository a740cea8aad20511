/** A Responses API body shaped like openai's resources/responses/responses.d.ts `Response`. */
export interface ReplyOptions {
  status?: "completed" | "incomplete" | "failed";
  incompleteReason?: "max_output_tokens" | "content_filter";
  refusal?: string;
  usage?: { input: number; output: number; reasoning: number };
}

export function responsesReply(text: string | null, options: ReplyOptions = {}) {
  const usage = options.usage ?? { input: 1200, output: 300, reasoning: 120 };
  const content =
    options.refusal !== undefined
      ? [{ type: "refusal", refusal: options.refusal }]
      : text === null
        ? []
        : [{ type: "output_text", text, annotations: [], logprobs: [] }];
  return {
    id: "resp_0123",
    object: "response",
    created_at: 1_763_000_000,
    status: options.status ?? "completed",
    error: null,
    incomplete_details: options.incompleteReason ? { reason: options.incompleteReason } : null,
    instructions: null,
    max_output_tokens: 4000,
    model: "gpt-5.1-codex-max",
    output: [
      { id: "rs_1", type: "reasoning", summary: [] },
      { id: "msg_1", type: "message", status: "completed", role: "assistant", content },
    ],
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: "high", summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: "json_schema", name: "longview_review", strict: true, schema: {} } },
    tool_choice: "auto",
    tools: [],
    top_p: 1,
    truncation: "disabled",
    usage: {
      input_tokens: usage.input,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: usage.output,
      output_tokens_details: { reasoning_tokens: usage.reasoning },
      total_tokens: usage.input + usage.output,
    },
    user: null,
    metadata: {},
  };
}

import type { Logger } from "pino";
import { ModelOutputError, type ModelSession, type ModelSpend, type ModelRequest, type ModelToolSet, type PromptMessage } from "../model/index.js";

/** Longest earlier answer echoed back in a repair request; the error message matters more than the full text. */
const MAX_ECHOED_ANSWER_CHARS = 24_000;

/**
 * One structured answer from `session`: the request (a tool loop when `tools`
 * are given), and one repair request when the answer is unusable. Refusals, truncated answers and API failures
 * throw the session's typed errors, which carry what was spent.
 */
export async function askStructured<T>(
  session: ModelSession<T>,
  request: ModelRequest,
  repairText: (problem: string) => string,
  what: { readonly id: string; readonly label: string },
  log: Logger,
  tools?: ModelToolSet,
): Promise<{ readonly output: T; readonly spend: ModelSpend }> {
  let answer = await session.send(request, 1, tools);
  if (answer.kind === "invalid") {
    log.warn({ target: what.id, problem: answer.problem }, `${what.label}: model answer unusable; sending one repair request`);
    const echoed: PromptMessage[] = answer.text.trim() === "" ? [] : [{ role: "assistant", content: answer.text.slice(0, MAX_ECHOED_ANSWER_CHARS) }];
    // The repair continues the conversation the model saw, tool results included.
    const conversation = session.lastConversation() ?? request;
    answer = await session.send(
      {
        ...conversation,
        instructions: request.instructions,
        messages: [...conversation.messages, ...echoed, { role: "user", content: repairText(answer.problem) }],
      },
      2,
      tools,
    );
    if (answer.kind === "invalid") {
      throw new ModelOutputError(`The model's answer for the ${what.label} was unusable twice; it ${oneLine(answer.problem)}`, what.id, session.spend());
    }
  }
  if (answer.kind !== "parsed") throw session.errorFor(answer);
  return { output: answer.output, spend: session.spend() };
}

export function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

import type { Logger } from "pino";
import type { Finding } from "../domain/finding.js";
import type { Window } from "../domain/window.js";
import { ModelOutputError, type ModelTarget, type StructuredModel } from "../model/index.js";
import type { ModelOutput } from "./output-schema.js";
import { buildRepairRequest, buildReviewPrompt } from "./prompt.js";
import type { Reviewer, WindowReview, WindowTools } from "./reviewer.js";
import { validateModelOutput } from "./validate-output.js";

export interface OpenAIReviewerDeps {
  /** The model client's calls answered in OutputSchema. */
  readonly model: StructuredModel<ModelOutput>;
  readonly log: Logger;
  /** Tools for a window reviewed without tools passed to `review`; none when absent or when it returns null. */
  readonly tools?: (window: Window) => WindowTools | null;
}

/**
 * Reviews one window: one model request (with tools, a tool loop of several),
 * plus one repair request when the answer is unusable. Model refusals,
 * truncated answers, runaway tool use and API failures become typed errors
 * (model/errors.ts) that carry the calls and tokens already spent.
 */
export class OpenAIReviewer implements Reviewer {
  readonly model: string;

  constructor(private readonly deps: OpenAIReviewerDeps) {
    this.model = deps.model.model;
  }

  async review(window: Window, evidence: readonly Finding[], signal?: AbortSignal, windowTools?: WindowTools): Promise<WindowReview> {
    const tools = windowTools ?? this.deps.tools?.(window) ?? undefined;
    const withTools = tools !== undefined && tools.tools.length > 0;
    const session = this.deps.model.session(windowTarget(window.id), this.deps.log, signal, { windowId: window.id });
    const prompt = buildReviewPrompt(window, evidence, { withTools });

    let answer = await session.send(prompt, 1, tools);
    if (answer.kind === "invalid") {
      const unusable = answer;
      this.deps.log.warn({ windowId: window.id, model: this.model, problem: unusable.problem }, "model answer unusable; sending one repair request");
      // The repair continues the conversation the model saw, tool results included (and the tool budget left).
      const conversation = session.lastConversation() ?? prompt;
      answer = await session.send(buildRepairRequest(conversation, unusable.text, unusable.problem), 2, tools);
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
    const toolUsage = session.toolUsage();
    if (withTools) {
      this.deps.log.info(
        {
          windowId: window.id,
          model: this.model,
          toolCalls: toolUsage.calls,
          toolResultTokens: toolUsage.resultTokens,
          toolMs: toolUsage.ms,
          stoppedBy: toolUsage.stoppedBy,
        },
        "window tool use",
      );
    }
    return {
      findings: validated.findings,
      notes: validated.notes,
      usage: spend.usage,
      calls: spend.calls,
      funnel: validated.funnel,
      ...(withTools ? { tools: toolUsage } : {}),
    };
  }
}

/** Error messages end up in the posted review: one line, bounded; the full problem is in the log. */
function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function windowTarget(windowId: string): ModelTarget {
  return { id: windowId, label: `window ${windowId}`, task: "review" };
}

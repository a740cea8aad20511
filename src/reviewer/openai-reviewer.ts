import type { Logger } from "pino";
import type { Finding } from "../domain/finding.js";
import type { Window } from "../domain/window.js";
import { ModelOutputError, type ModelTarget, type StructuredModel } from "../model/index.js";
import type { ModelOutput } from "./output-schema.js";
import { buildRepairRequest, buildReviewPrompt } from "./prompt.js";
import type { Reviewer, WindowReview } from "./reviewer.js";
import { validateModelOutput } from "./validate-output.js";

export interface OpenAIReviewerDeps {
  /** The model client's calls answered in OutputSchema. */
  readonly model: StructuredModel<ModelOutput>;
  readonly log: Logger;
}

/**
 * Reviews one window: one model call, plus one repair request when the answer
 * is unusable. Model refusals, truncated answers and API failures become typed
 * errors (model/errors.ts) that carry the calls and tokens already spent.
 */
export class OpenAIReviewer implements Reviewer {
  readonly model: string;

  constructor(private readonly deps: OpenAIReviewerDeps) {
    this.model = deps.model.model;
  }

  async review(window: Window, evidence: readonly Finding[], signal?: AbortSignal): Promise<WindowReview> {
    const session = this.deps.model.session(windowTarget(window.id), this.deps.log, signal, { windowId: window.id });
    const prompt = buildReviewPrompt(window, evidence);

    let answer = await session.send(prompt, 1);
    if (answer.kind === "invalid") {
      const unusable = answer;
      this.deps.log.warn({ windowId: window.id, model: this.model, problem: unusable.problem }, "model answer unusable; sending one repair request");
      answer = await session.send(buildRepairRequest(prompt, unusable.text, unusable.problem), 2);
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
    return { findings: validated.findings, notes: validated.notes, usage: spend.usage, calls: spend.calls };
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

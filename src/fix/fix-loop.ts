import type { Logger } from "pino";
import type { ModelRequest, ModelTarget, ModelToolSet, TokenUsage } from "../model/index.js";
import type { FileEdit } from "./edit.js";
import type { FixModel } from "./fix-model.js";
import { buildRetryRequest } from "./fix-prompt.js";
import type { ValidatedFix, Validation } from "./validate-edits.js";

/**
 * Plan, edit, check, refine: the model proposes edits, validation checks
 * them, and the problems go back to the model for another attempt, up to
 * `maxAttempts`. Only a validated edit set leaves the loop. API failures,
 * refusals and truncated answers end it with a typed ModelError.
 */

export interface FixLoopInput {
  readonly model: FixModel;
  readonly target: ModelTarget;
  readonly prompt: ModelRequest;
  readonly maxAttempts: number;
  /** The repository at head (read, search, definitions, references): the model may look before it edits. */
  readonly tools?: ModelToolSet;
  /** Every check the edit set must pass, the proof included; `summary` is what the model said it did. */
  readonly validate: (edits: readonly FileEdit[], summary: string) => Promise<Validation>;
  readonly log: Logger;
  readonly signal?: AbortSignal;
}

export interface AttemptRecord {
  readonly attempt: number;
  readonly problems: readonly string[];
}

export interface LoopSpend {
  readonly calls: number;
  readonly usage: TokenUsage;
}

export type FixLoopOutcome =
  | { readonly kind: "validated"; readonly fix: ValidatedFix; readonly summary: string; readonly attempts: number; readonly spend: LoopSpend }
  /** The model made no edit and said why. */
  | { readonly kind: "declined"; readonly summary: string; readonly attempts: number; readonly spend: LoopSpend }
  | { readonly kind: "exhausted"; readonly history: readonly AttemptRecord[]; readonly spend: LoopSpend };

export async function runFixLoop(input: FixLoopInput): Promise<FixLoopOutcome> {
  const session = input.model.session(input.target, input.log, input.signal);
  const history: AttemptRecord[] = [];
  let request = input.prompt;
  for (let attempt = 1; attempt <= input.maxAttempts; attempt++) {
    const answer = await session.send(request, attempt, input.tools);
    let problems: readonly string[];
    let echoed: string;
    if (answer.kind === "invalid") {
      problems = [`Your answer ${answer.problem}`];
      echoed = answer.text;
    } else if (answer.kind !== "parsed") {
      throw session.errorFor(answer);
    } else if (answer.output.edits.length === 0) {
      return { kind: "declined", summary: answer.output.summary, attempts: attempt, spend: session.spend() };
    } else {
      const validation = await input.validate(answer.output.edits, answer.output.summary);
      if (validation.ok) return { kind: "validated", fix: validation.fix, summary: answer.output.summary, attempts: attempt, spend: session.spend() };
      problems = validation.problems;
      echoed = JSON.stringify(answer.output);
    }
    history.push({ attempt, problems });
    input.log.info({ attempt, problems }, "fix attempt rejected");
    if (attempt < input.maxAttempts) request = buildRetryRequest(request, echoed, problems, input.maxAttempts - attempt);
  }
  return { kind: "exhausted", history, spend: session.spend() };
}

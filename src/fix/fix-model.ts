import type { Logger } from "pino";
import type { ModelClient, ModelSession, ModelTarget } from "../model/index.js";
import { FIX_FORMAT_NAME, FixProposalSchema, type FixProposal } from "./edit.js";

/**
 * The model that proposes fixes: the shared model client (its API choice,
 * metering and cap on calls in flight) with strict structured output of
 * FixProposalSchema, one session per fix (attempts, tokens, typed errors).
 */
export interface FixModel {
  readonly model: string;
  session(target: ModelTarget, log: Logger, signal?: AbortSignal): FixSession;
}

/** What the fix loop uses of a session. */
export type FixSession = Pick<ModelSession<FixProposal>, "send" | "spend" | "errorFor">;

export function createFixModel(client: ModelClient): FixModel {
  const structured = client.structured(FixProposalSchema, FIX_FORMAT_NAME);
  return {
    model: structured.model,
    session: (target, log, signal) => structured.session(target, log, signal, { task: target.task }),
  };
}

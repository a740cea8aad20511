import type { Logger } from "pino";
import type { Env } from "../../src/config/env.js";
import { createFixModel, type FixModel } from "../../src/fix/fix-model.js";
import { createModelClient, type ModelClientOptions } from "../../src/model/index.js";
import { reviewerOptionsFrom } from "../../src/compose.js";
import { createReviewer, type Reviewer } from "../../src/reviewer/index.js";

/**
 * The reviewer as the processes build it (model client, then reviewer); null without OPENAI_API_KEY.
 * Without `passes`, the window reviewer alone: tests of other stages script one model answer per window.
 * With `passes: "env"`, the survey and synthesis passes as the environment sets them (on by default).
 */
export function reviewerFrom(env: Env, log: Logger, options: Omit<ModelClientOptions, "log"> = {}, passes: "none" | "env" = "none"): Reviewer | null {
  const client = createModelClient(env, { ...options, log });
  return client && createReviewer(client, log, passes === "env" ? reviewerOptionsFrom(env) : { survey: false, synthesis: false });
}

/** The fix model as the processes build it; null without OPENAI_API_KEY. */
export function fixModelFrom(env: Env, log: Logger, options: Omit<ModelClientOptions, "log"> = {}): FixModel | null {
  const client = createModelClient(env, { ...options, log });
  return client && createFixModel(client);
}

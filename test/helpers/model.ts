import type { Logger } from "pino";
import type { Env } from "../../src/config/env.js";
import { createFixModel, type FixModel } from "../../src/fix/fix-model.js";
import { createModelClient, type ModelClientOptions } from "../../src/model/index.js";
import { createReviewer, type Reviewer } from "../../src/reviewer/index.js";

/** The reviewer as the processes build it (model client, then reviewer); null without OPENAI_API_KEY. */
export function reviewerFrom(env: Env, log: Logger, options: Omit<ModelClientOptions, "log"> = {}): Reviewer | null {
  const client = createModelClient(env, { ...options, log });
  return client && createReviewer(client, log);
}

/** The fix model as the processes build it; null without OPENAI_API_KEY. */
export function fixModelFrom(env: Env, log: Logger, options: Omit<ModelClientOptions, "log"> = {}): FixModel | null {
  const client = createModelClient(env, { ...options, log });
  return client && createFixModel(client);
}

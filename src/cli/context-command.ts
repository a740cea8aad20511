import type { Logger } from "pino";
import { buildWindowPlan, formatPlanText, initSyntax, planToJson } from "../context/index.js";
import { redactChangeSet } from "../review/redact-change-set.js";
import { MEMORY_TOKEN_CAP } from "../review/run-review.js";
import type { ContextOptions } from "./args.js";
import { EXIT_OK, type CliIo } from "./io.js";
import { prepareChange, writeReport } from "./prepare-change.js";

/**
 * `longview context`: the window plan for a local change, built as `runReview`
 * builds it (same change set, guidelines, budget, wave size and memory
 * reserve), from the redacted view the model would get.
 */
export async function contextCommand(options: ContextOptions, io: CliIo, log: Logger): Promise<number> {
  const { env, change, settings, changeSet, budget } = await prepareChange(options, io, log);
  await initSyntax({ logger: log });
  const plan = buildWindowPlan(
    await redactChangeSet(changeSet),
    { title: change.title, description: change.description, guidelines: settings.guidelines },
    budget,
    { waveSize: env.LONGVIEW_WINDOW_CONCURRENCY, memoryTokenCap: MEMORY_TOKEN_CAP },
  );
  const text = options.format === "json" ? `${JSON.stringify(planToJson(plan), null, 2)}\n` : ensureNewline(formatPlanText(plan));
  await writeReport(text, options.output, io);
  return EXIT_OK;
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

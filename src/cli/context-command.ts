import type { Logger } from "pino";
import { buildWindowPlan, formatPlanText, initSyntax, planToJson } from "../context/index.js";
import { createDefaultAnalyzers, runAnalyzers } from "../analyzers/index.js";
import { createRedactor, redactChangeSet } from "../review/redact-change-set.js";
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
  // As in runReview: the credentials the analyzers flag are redacted too, and so is the free text.
  const analyzed = settings.config.analyzers.enabled
    ? await runAnalyzers(
        createDefaultAnalyzers({ log }),
        { files: changeSet.files, headContents: changeSet.headContents, lineMap: changeSet.lineMap, filter: settings.config.analyzers.filter },
        log,
      )
    : { secrets: [] };
  const redactor = createRedactor();
  const modelView = await redactChangeSet(changeSet, redactor, analyzed.secrets);
  const clean = (text: string) => redactor.redactLine(text);
  const plan = buildWindowPlan(
    modelView,
    { title: clean(change.title), description: clean(change.description), guidelines: clean(settings.guidelines) },
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

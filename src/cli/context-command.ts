import type { Logger } from "pino";
import { formatPlanText, initSyntax, planToJson } from "../context/index.js";
import { createDefaultAnalyzers, runAnalyzers } from "../analyzers/index.js";
import { repositoryLimits } from "../config/env.js";
import { planWindows } from "../review/plan-windows.js";
import { createRedactor } from "../review/redact-change-set.js";
import { repositoryContext } from "../review/repository-context.js";
import { MEMORY_TOKEN_CAP } from "../review/run-review.js";
import type { ContextOptions } from "./args.js";
import { EXIT_OK, type CliIo } from "./io.js";
import { prepareChange, writeReport } from "./prepare-change.js";

/**
 * `longview context`: the window plan for a local change, built as `runReview`
 * builds it (same change set, impact context from the repository, guidelines,
 * budget, memory reserve, redaction of what the analyzers flag), so the text
 * of each window is what the model would be sent.
 */
export async function contextCommand(options: ContextOptions, io: CliIo, log: Logger): Promise<number> {
  const { env, change, settings, changeSet, budget } = await prepareChange(options, io, log);
  await initSyntax({ logger: log });
  const repository = change.repository?.(repositoryLimits(env)) ?? null;
  const seen = repository ? await repositoryContext(changeSet, repository, createRedactor(), log, io.signal).finally(() => repository.close()) : null;
  const impact = seen?.impact ?? null;
  const analyzed = settings.config.analyzers.enabled
    ? await runAnalyzers(
        createDefaultAnalyzers({ log }),
        {
          files: changeSet.files,
          headContents: changeSet.headContents,
          lineMap: changeSet.lineMap,
          filter: settings.config.analyzers.filter,
          ...(impact ? { impact } : {}),
        },
        log,
      )
    : { secrets: [] };
  const plan = await planWindows({
    changeSet,
    pr: { title: change.title, description: change.description },
    guidelines: settings.guidelines,
    budget,
    options: { waveSize: env.LONGVIEW_WINDOW_CONCURRENCY, memoryTokenCap: MEMORY_TOKEN_CAP, ...(impact ? { impact } : {}) },
    redact: true,
    flaggedSecrets: analyzed.secrets,
  });
  const text = options.format === "json" ? `${JSON.stringify(planToJson(plan), null, 2)}\n` : ensureNewline(formatPlanText(plan));
  await writeReport(text, options.output, io);
  return EXIT_OK;
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import { compose } from "../compose.js";
import { z } from "zod";
import { describeFileError, errorMessage, EXIT_OK, EXIT_USAGE, UsageError, type CliIo } from "../cli/io.js";
import { createCliLogger } from "../cli/logger.js";
import { ConfigError, hasModel, loadEnv, type Env } from "../config/env.js";
import { WindowBudgetError } from "../context/errors.js";
import { IMPORT_HELP, parseEvalArgs, RUN_HELP, type ImportOptionsArgs, type RunOptions } from "./args.js";
import { compareResults } from "./compare.js";
import { importMartian } from "./import-martian.js";
import { createJudge } from "./judge.js";
import { DatasetError, loadDataset } from "./load-dataset.js";
import { plural } from "./format.js";
import { renderMarkdown, renderText } from "./render-report.js";
import { EvalResultSchema, type EvalResult } from "./result.js";
import { runEval } from "./run-eval.js";

/**
 * `npm run eval`: returns the exit code instead of exiting, so tests run it
 * in-process. The summary goes to stdout; progress, warnings and logs to stderr.
 */

export const EXIT_INTERRUPTED = 130;

export async function evalMain(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = parseEvalArgs(argv);
    switch (command.kind) {
      case "help":
        io.stdout.write(command.topic === "run" ? RUN_HELP : IMPORT_HELP);
        return EXIT_OK;
      case "import-martian":
        return await importCommand(command.options, io);
      case "run":
        return await runCommand(command.options, io, createCliLogger(io.stderr, command.options));
    }
  } catch (error) {
    if (io.signal?.aborted) {
      io.stderr.write("eval: interrupted\n");
      return EXIT_INTERRUPTED;
    }
    if (error instanceof UsageError || error instanceof DatasetError || error instanceof WindowBudgetError) {
      io.stderr.write(`eval: ${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`eval: error: ${errorMessage(error)}\n`);
    if (argv.includes("--verbose") && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_USAGE;
  }
}

async function runCommand(options: RunOptions, io: CliIo, log: Logger): Promise<number> {
  const env = evalEnv(options, io.env);
  const offlineReason = options.offline ? "--offline" : hasModel(env) ? null : "no OPENAI_API_KEY";
  if (options.judge && offlineReason !== null) throw new UsageError("--judge needs OPENAI_API_KEY");

  const datasetDir = resolve(io.cwd, options.dataset);
  const all = await loadDataset(datasetDir);
  const cases = options.cases.length === 0 ? all : all.filter((c) => options.cases.includes(c.id));
  const unknown = options.cases.filter((id) => !all.some((c) => c.id === id));
  if (unknown.length > 0) throw new UsageError(`--case: no case with id ${unknown.map((id) => `"${id}"`).join(", ")} in ${options.dataset}`);
  const previous = options.compare === undefined ? null : await readPrevious(resolve(io.cwd, options.compare));

  const mode = offlineReason === null ? "model" : "offline";
  const outDir = resolve(io.cwd, options.out ?? join("eval", "results", `${timestamp(new Date())}-${mode}`));
  await makeOutDir(outDir);

  const longview = compose(env, log);
  const model = offlineReason === null ? longview.model : null;
  const progress = !options.quiet;
  if (progress)
    io.stderr.write(`eval: ${plural(cases.length, "case")}, ${mode === "offline" ? `offline (${offlineReason})` : `model ${env.LONGVIEW_MODEL}`}\n`);
  const result = await runEval({
    dataset: options.dataset,
    cases,
    env,
    reviewer: offlineReason === null ? longview.reviewer : null,
    offlineReason,
    analyzers: longview.analyzers,
    judge: options.judge && model ? createJudge(model, log, options.judgeModel === undefined ? {} : { model: options.judgeModel }) : null,
    tolerance: options.tolerance,
    windowTokens: options.budget ?? env.LONGVIEW_WINDOW_TOKENS,
    concurrency: options.concurrency,
    log,
    ...(io.signal ? { signal: io.signal } : {}),
    onCaseDone: progress
      ? (c, done, total) =>
          void io.stderr.write(
            `eval: [${done}/${total}] ${c.id}: ${c.matches.length} matched, ${c.missed.length} missed, ${c.falsePositives.length} false positive(s) (${(c.review.durationMs / 1000).toFixed(1)} s)\n`,
          )
      : undefined,
  });

  const comparison = previous === null ? null : compareResults(previous, result);
  await writeFile(join(outDir, "result.json"), `${JSON.stringify(result, null, 2)}\n`, "utf8");
  await writeFile(join(outDir, "report.md"), renderMarkdown(result, comparison), "utf8");
  io.stdout.write(renderText(result, comparison));
  if (progress) io.stderr.write(`eval: wrote ${join(outDir, "report.md")} and result.json\n`);
  return EXIT_OK;
}

async function importCommand(options: ImportOptionsArgs, io: CliIo): Promise<number> {
  const summary = await importMartian({
    input: resolve(io.cwd, options.input),
    diffsDir: resolve(io.cwd, options.diffs),
    outDir: resolve(io.cwd, options.out),
  });
  for (const warning of summary.warnings) io.stderr.write(`eval: warning: ${warning}\n`);
  if (summary.missingDiffs.length > 0) {
    io.stderr.write(`eval: ${summary.missingDiffs.length} pull request(s) skipped, no diff found:\n${summary.missingDiffs.map((p) => `  ${p}\n`).join("")}`);
  }
  io.stdout.write(`Imported ${summary.written.length} case(s) into ${options.out}\n`);
  return EXIT_OK;
}

/** The app's environment, with `--offline` removing the key and `--model` choosing the model. */
function evalEnv(options: RunOptions, source: NodeJS.ProcessEnv): Env {
  try {
    const env = loadEnv({
      ...source,
      ...(options.offline ? { OPENAI_API_KEY: "" } : {}),
      ...(options.model !== undefined ? { LONGVIEW_MODEL: options.model } : {}),
    });
    // A local model profile needs no key: offline switches the model off itself.
    return options.offline ? { ...env, modelEnabled: false } : env;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`invalid environment: ${error.problems.join("; ")}`, { cause: error });
    throw error;
  }
}

async function readPrevious(path: string): Promise<EvalResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(`--compare: cannot read ${path}: ${describeFileError(error)}`, { cause: error });
  }
  const parsed = EvalResultSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(`--compare: ${path} is not an eval result.json: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function makeOutDir(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    throw new UsageError(`--out: cannot create ${path}: ${describeFileError(error)}`, { cause: error });
  }
}

/** `20250314-153012`: sortable and safe in file names. */
function timestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, "")
    .replace(/[-:]/g, "")
    .replace("T", "-");
}

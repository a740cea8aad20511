import { access, constants, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import type { Logger } from "pino";
import { ConfigError, loadEnv, type Env } from "../config/env.js";
import type { WindowBudget } from "../context/index.js";
import type { ChangeSet } from "../domain/change-set.js";
import { count, sizeLimitsFrom } from "../diff/size-budget.js";
import type { CommonOptions } from "./args.js";
import { describeFileError, UsageError, type CliIo } from "./io.js";
import { buildLocalChangeSet } from "./local-change-set.js";
import { loadLocalChange, type LocalChange } from "./local-change.js";
import { loadRepoSettings, type RepoSettings } from "./repo-settings.js";

/** What both commands start from: settings, the local change and its ChangeSet, built the way the app builds one. */
export interface PreparedChange {
  readonly env: Env;
  readonly change: LocalChange;
  readonly settings: RepoSettings;
  readonly changeSet: ChangeSet;
  readonly budget: WindowBudget;
}

export async function prepareChange(options: CommonOptions, io: CliIo, log: Logger): Promise<PreparedChange> {
  const env = loadCliEnv(io.env);
  // A review can take minutes and model tokens: find out now, not after it, that the report cannot be written.
  if (options.output !== undefined) await checkWritable(resolve(io.cwd, options.output));
  const change = await loadLocalChange(options.source, io, env.LONGVIEW_MAX_FILE_BYTES);
  const settings = await loadRepoSettings(change.repoRoot, options.config, io.cwd);
  if (!options.quiet) for (const problem of settings.problems) io.stderr.write(`longview: warning: ${problem}\n`);
  const limits = sizeLimitsFrom(env);
  const local = await buildLocalChangeSet(change.diff, settings.config.paths, change.readHead, limits);
  if (local.plainTooLarge) {
    throw new UsageError(
      `${change.diffName} is over ${count(limits.maxTotalBytes ?? 0)} bytes (LONGVIEW_MAX_TOTAL_BYTES) and has no \`diff --git\` file headers, so it cannot be reviewed in part; use git's diff format or raise the limit`,
    );
  }
  if (!local.recognised) throw new UsageError(`${change.diffName} is not a unified diff (no file headers or hunks found)`);
  const { changeSet } = local;
  log.info({ source: change.label, files: changeSet.files.length, skipped: changeSet.skipped.length, config: settings.configPath }, "change loaded");
  return {
    env,
    change,
    settings,
    changeSet,
    budget: {
      windowTokens: options.budget ?? env.LONGVIEW_WINDOW_TOKENS,
      outputTokens: env.LONGVIEW_OUTPUT_TOKENS,
      contextTokens: env.LONGVIEW_CONTEXT_TOKENS,
    },
  };
}

export function loadCliEnv(source: NodeJS.ProcessEnv): Env {
  try {
    return loadEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`invalid environment: ${error.problems.join("; ")}`, { cause: error });
    throw error;
  }
}

export async function checkWritable(path: string): Promise<void> {
  try {
    await access(dirname(path), constants.W_OK);
  } catch (error) {
    throw new UsageError(`--output: cannot write ${path}: ${describeFileError(error)}`, { cause: error });
  }
}

/** The report goes to `--output FILE` or stdout, and nowhere else. */
export async function writeReport(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined) {
    io.stdout.write(text);
    return;
  }
  const path = resolve(io.cwd, output);
  try {
    await writeFile(path, text, "utf8");
  } catch (error) {
    throw new UsageError(`--output: cannot write ${path}: ${describeFileError(error)}`, { cause: error });
  }
}

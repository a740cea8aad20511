import { realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { WindowBudgetError } from "../context/errors.js";
import { parseContextArgs, parseReviewArgs } from "./args.js";
import { CONTEXT_HELP, MAIN_HELP, REVIEW_HELP } from "./help.js";
import { EXIT_OK, EXIT_USAGE, UsageError, errorMessage, systemErrorCode, type CliIo } from "./io.js";
import { createCliLogger } from "./logger.js";
import { readToolInfo } from "./version.js";

/** Conventional exit code after Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/**
 * `longview <command>`: returns the exit code instead of exiting, so tests run
 * it in-process. Only the report is written to stdout; everything else to stderr.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
        io.stderr.write(MAIN_HELP);
        return EXIT_USAGE;
      case "-h":
      case "--help":
      case "help":
        io.stdout.write(MAIN_HELP);
        return EXIT_OK;
      case "-V":
      case "--version":
        io.stdout.write(`${(await readToolInfo()).version}\n`);
        return EXIT_OK;
      case "review": {
        const parsed = parseReviewArgs(rest);
        if (parsed.help) return printHelp(io, REVIEW_HELP);
        const log = createCliLogger(io.stderr, parsed.options);
        const { pull } = parsed.options;
        if (pull !== undefined) {
          const { pullReviewCommand } = await import("./pull-review-command.js");
          return await pullReviewCommand({ ...parsed.options, pull }, io, log);
        }
        // Loaded on demand: the pipeline (ESLint, tree-sitter, OpenAI) takes a second to import; --help should not.
        const { reviewCommand } = await import("./review-command.js");
        return await reviewCommand(parsed.options, io, log);
      }
      case "context": {
        const parsed = parseContextArgs(rest);
        if (parsed.help) return printHelp(io, CONTEXT_HELP);
        const { contextCommand } = await import("./context-command.js");
        return await contextCommand(parsed.options, io, createCliLogger(io.stderr, parsed.options));
      }
      default:
        throw new UsageError(`unknown command "${command}" (expected review or context; see longview --help)`);
    }
  } catch (error) {
    return reportError(error, io, rest.includes("--verbose") || rest.includes("-v"));
  }
}

function printHelp(io: CliIo, text: string): number {
  io.stdout.write(text);
  return EXIT_OK;
}

function reportError(error: unknown, io: CliIo, verbose: boolean): number {
  if (io.signal?.aborted) {
    io.stderr.write("longview: interrupted\n");
    return EXIT_INTERRUPTED;
  }
  // A budget the window plan cannot work with comes from --budget or the environment: the user's input.
  if (error instanceof UsageError || error instanceof WindowBudgetError) {
    io.stderr.write(`longview: ${error.message}\n`);
    return EXIT_USAGE;
  }
  // Anything else is a failure to produce a report: still one line, the stack only when asked for.
  io.stderr.write(`longview: error: ${errorMessage(error)}\n`);
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  return EXIT_USAGE;
}

/** The real process as CLI I/O; Ctrl-C aborts the review instead of killing model calls mid-write. */
export function processIo(): CliIo {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  // `longview review | head`: a reader that stops early is not an error of ours.
  process.stdout.on("error", (error) => {
    if (systemErrorCode(error) !== "EPIPE") throw error;
    process.exit(process.exitCode ?? EXIT_OK);
  });
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd(), env: process.env, signal: controller.signal };
}

/**
 * The CLI as a process: `main` on the real streams, with a guard. A fault
 * inside a dependency (a detached promise that rejects, a callback that
 * throws) ends with one line on stderr and exit code 2 — never a raw stack,
 * and never exit code 1, which CI reads as "the gate failed".
 */
export async function runCliProcess(argv: readonly string[]): Promise<number> {
  const io = processIo();
  let faulted = false;
  const onFault = (error: unknown) => {
    faulted = true;
    io.stderr.write(`longview: error: unexpected failure: ${errorMessage(error)}\n`);
    // It may come after `main` returned: the exit code must still say the run failed.
    process.exitCode = EXIT_USAGE;
  };
  process.on("unhandledRejection", onFault);
  process.on("uncaughtException", onFault);
  const code = await main(argv, io);
  return faulted ? EXIT_USAGE : code;
}

/** True when this module is the process entry (`tsx src/cli/main.ts`), not imported by the shim or tests. */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch (error) {
    // An entry path that cannot be resolved (e.g. `node -e`) is not this file.
    if (systemErrorCode(error) !== undefined) return false;
    throw error;
  }
}

if (isEntryPoint()) process.exitCode = await runCliProcess(process.argv.slice(2));

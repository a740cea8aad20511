import type { Logger } from "pino";
import { createLogger } from "../logger.js";
import type { CliOutput } from "./io.js";

/** The CLI's logger on stderr: warnings by default, `--verbose` for progress, `--quiet` for errors only. */
export function createCliLogger(stream: CliOutput, options: { readonly verbose: boolean; readonly quiet: boolean }): Logger {
  return createLogger(options.verbose ? "info" : options.quiet ? "error" : "warn", stream);
}

import { pino, type Logger } from "pino";
import type { CliOutput } from "./io.js";

/** The CLI's logger: JSON lines on the given stream (stderr), since stdout carries only the report. */
export function createCliLogger(stream: CliOutput, options: { readonly verbose: boolean; readonly quiet: boolean }): Logger {
  const level = options.verbose ? "info" : options.quiet ? "error" : "warn";
  return pino(
    {
      level,
      base: { name: "longview" },
      redact: { paths: ["*.headers.authorization", "*.request.headers.authorization", "*.config.headers.authorization"], censor: "[redacted]" },
    },
    { write: (line: string) => void stream.write(line) },
  );
}

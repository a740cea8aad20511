import { pino, type DestinationStream, type Logger } from "pino";

/** Where log lines go: the server logs to stdout; the CLI to stderr, since its stdout carries only the report. */
export type LogDestination = "stdout" | "stderr" | { write(line: string): unknown };

/** The process logger: JSON lines with credentials redacted. */
export function createLogger(level: string, destination: LogDestination = "stdout"): Logger {
  const stream: DestinationStream =
    typeof destination === "string"
      ? pino.destination({ fd: destination === "stdout" ? 1 : 2, sync: destination === "stderr" })
      : { write: (line: string) => void destination.write(line) };
  return pino(
    {
      level,
      base: { name: "longview" },
      // Never log credentials even if an error object carries request headers.
      redact: { paths: ["*.headers.authorization", "*.request.headers.authorization", "*.config.headers.authorization"], censor: "[redacted]" },
    },
    stream,
  );
}

import { pino, type Logger } from "pino";

/** The process logger: JSON lines on stdout (server) or stderr (CLI, whose stdout is the report). */
export function createLogger(level: string, destination: "stdout" | "stderr" = "stdout"): Logger {
  return pino(
    {
      level,
      base: { name: "longview" },
      // Never log credentials even if an error object carries request headers.
      redact: { paths: ["*.headers.authorization", "*.request.headers.authorization", "*.config.headers.authorization"], censor: "[redacted]" },
    },
    pino.destination({ fd: destination === "stdout" ? 1 : 2, sync: destination === "stderr" }),
  );
}

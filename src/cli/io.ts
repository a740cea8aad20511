/**
 * The CLI's whole contact with the process, passed in so tests run `main`
 * in-process with captured streams, a chosen working directory and environment.
 */
export interface CliOutput {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

export interface CliIo {
  /** The report and nothing else. */
  readonly stdout: CliOutput;
  /** Logs, progress, warnings and error messages. */
  readonly stderr: CliOutput;
  /** Read when a diff is given as `-`. */
  readonly stdin: AsyncIterable<string | Uint8Array>;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C by the shim: stops model calls in flight. */
  readonly signal?: AbortSignal;
}

/** Exit codes: the contract CI scripts rely on. */
export const EXIT_OK = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_USAGE = 2;

/**
 * A problem with what the user asked for (bad option, unknown ref, unreadable
 * file): reported as one line on stderr with exit code 2, never a stack trace.
 */
export class UsageError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UsageError";
  }
}

/**
 * The `code` of a Node system error (`ENOENT`, …). Checked structurally:
 * errors from Node's built-ins need not be `instanceof Error` of this realm (jest's VM).
 */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** A short reason for a failed file operation, for one-line messages. */
export function describeFileError(error: unknown): string {
  const code = systemErrorCode(error);
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "EISDIR") return "is a directory";
  if (code !== undefined) return code;
  return errorMessage(error);
}

/** The first line of an error's message (structurally, for the same cross-realm reason). */
export function errorMessage(error: unknown): string {
  const message = typeof error === "object" && error !== null && "message" in error && typeof error.message === "string" ? error.message : String(error);
  return message.split("\n")[0] ?? message;
}

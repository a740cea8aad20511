import type { Logger } from "pino";

/**
 * The last line of defence of a long-running process. By default Node ends
 * the process on an unhandled rejection or an uncaught exception; in a
 * server or worker that holds other pull requests' reviews, one dependency's
 * detached promise (secretlint's profiler once rejected on a file name with a
 * line break) must not take everything down with it. Such a fault is logged
 * with its stack and counted (`longview_process_faults_total`), and the
 * process carries on: the job it came from still ends through its own path
 * (its own error, or its deadline), and nothing else is disturbed.
 */

export type ProcessFaultKind = "unhandled_rejection" | "uncaught_exception";

export interface ProcessGuard {
  /** Faults caught since the guard was installed, by kind. */
  counts(): Readonly<Record<ProcessFaultKind, number>>;
  /** Removes the handlers (tests). */
  dispose(): void;
}

export function guardProcess(log: Logger, target: NodeJS.Process = process): ProcessGuard {
  const counts: Record<ProcessFaultKind, number> = { unhandled_rejection: 0, uncaught_exception: 0 };
  const onRejection = (reason: unknown) => {
    counts.unhandled_rejection++;
    log.error({ err: reason, fault: "unhandled_rejection" }, "a promise rejected with nobody to handle it; the process continues");
  };
  const onException = (error: Error, origin: string) => {
    counts.uncaught_exception++;
    log.error({ err: error, origin, fault: "uncaught_exception" }, "an exception reached the top of the stack; the process continues");
  };
  target.on("unhandledRejection", onRejection);
  target.on("uncaughtException", onException);
  return {
    counts: () => ({ ...counts }),
    dispose: () => {
      target.off("unhandledRejection", onRejection);
      target.off("uncaughtException", onException);
    },
  };
}

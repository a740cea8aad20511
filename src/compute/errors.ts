/**
 * How a task on a worker thread can fail, as seen by the caller. Each fails
 * only its own task (its review); the process and the other tasks go on.
 */

export class ComputeError extends Error {
  constructor(
    message: string,
    readonly task: string,
  ) {
    super(message);
    this.name = "ComputeError";
  }
}

/** The worker thread died while running the task (an uncaught error, out of memory, process.exit). */
export class ComputeWorkerCrashedError extends ComputeError {
  constructor(task: string, cause: string) {
    super(`The worker thread running \`${task}\` crashed: ${cause}`, task);
    this.name = "ComputeWorkerCrashedError";
  }
}

/** The task ran longer than LONGVIEW_COMPUTE_TASK_TIMEOUT_MS on its thread (waiting for one does not count); the thread was stopped. */
export class ComputeTimeoutError extends ComputeError {
  constructor(task: string, timeoutMs: number) {
    super(`\`${task}\` did not finish within ${timeoutMs} ms on its worker thread (LONGVIEW_COMPUTE_TASK_TIMEOUT_MS); the thread was stopped`, task);
    this.name = "ComputeTimeoutError";
  }
}

/** A message between the threads did not match the protocol (a bug, or a worker in a bad state); the thread was stopped. */
export class ComputeProtocolError extends ComputeError {
  constructor(task: string, detail: string) {
    super(`The worker thread running \`${task}\` broke the protocol: ${detail}`, task);
    this.name = "ComputeProtocolError";
  }
}

/** The task itself threw on the worker thread (an error its pool does not rebuild by class); its name and message are kept. */
export class ComputeTaskError extends ComputeError {
  constructor(
    task: string,
    readonly errorName: string,
    message: string,
  ) {
    super(message, task);
    this.name = "ComputeTaskError";
  }
}

/** The pool was closed (the process is stopping) before the task ran. */
export class ComputePoolClosedError extends ComputeError {
  constructor(task: string) {
    super(`The worker threads are shutting down; \`${task}\` did not run`, task);
    this.name = "ComputePoolClosedError";
  }
}

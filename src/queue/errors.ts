/**
 * Why a running job's AbortSignal fired. The reason decides what happens
 * next: a superseded job ends quietly, a handed-back job runs again on
 * another worker, a job stopped by an in-process shutdown fails visibly.
 */

/** A newer job for the same pull request took over. */
export class JobSupersededError extends Error {
  constructor(
    readonly newSha: string,
    readonly byJobId: string,
  ) {
    super(`superseded by job ${byJobId} (head ${newSha.slice(0, 7)})`);
    this.name = "JobSupersededError";
  }
}

/** The worker is shutting down; the job goes back to the queue for another worker. */
export class JobHandedBackError extends Error {
  constructor() {
    super("the worker shut down before the review finished; another worker continues it");
    this.name = "JobHandedBackError";
  }
}

/** The process is shutting down and has no queue to hand the job back to (in-process queue). */
export class JobShutdownError extends Error {
  constructor() {
    super("Longview shut down before the review finished; re-run the check to review again");
    this.name = "JobShutdownError";
  }
}

/** A job's payload did not match the schema (a producer from another release, or a corrupted entry). */
export class InvalidJobError extends Error {
  constructor(
    readonly jobId: string,
    readonly problems: string,
  ) {
    super(`job ${jobId} has an invalid payload: ${problems}`);
    this.name = "InvalidJobError";
  }
}

/** A job reached a worker started without a handler for its kind. */
export class NoHandlerError extends Error {
  constructor(readonly kind: string) {
    super(`this worker runs no ${kind} jobs`);
    this.name = "NoHandlerError";
  }
}

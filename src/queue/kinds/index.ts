import type { HandlersOf, JobOf } from "../job-kind.js";
import { JobRegistry } from "../job-registry.js";
import { commandKind } from "./command.js";
import { reviewKind } from "./review.js";

/**
 * Longview's kinds of job: the registry every queue of the application is
 * given. A new kind is one file beside these (its `JobKind`) and its entry
 * here; its body joins the others in `jobHandlers` (server.ts).
 */
const kinds = [reviewKind, commandKind] as const;

export const jobKinds = new JobRegistry(kinds);

/** Everything the application enqueues. */
export type QueueJob = JobOf<(typeof kinds)[number]>;

/** The bodies of a worker process, by kind; a kind left out fails its jobs there. */
export type LongviewJobHandlers = HandlersOf<(typeof kinds)[number]>;

import type { HandlersOf, JobOf } from "../job-kind.js";
import { JobRegistry } from "../job-registry.js";
import { ciKind } from "./ci.js";
import { commandKind } from "./command.js";
import { reviewKind } from "./review.js";

/**
 * Longview's kinds of job: the registry every queue of the application is
 * given. A new kind is one file beside these (its `JobKind`) and its entry
 * here; its body joins the others in `jobHandlers` (server.ts).
 */
export const longviewKinds = [reviewKind, commandKind, ciKind] as const;

export const jobKinds = new JobRegistry(longviewKinds);

/** Everything the application enqueues. */
export type QueueJob = JobOf<(typeof longviewKinds)[number]>;

/** The bodies of a worker process, by kind; a kind left out fails its jobs there. */
export type LongviewJobHandlers = HandlersOf<(typeof longviewKinds)[number]>;

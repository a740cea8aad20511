import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import type { RedisKeys } from "./redis-scripts.js";

/**
 * The queues carry jobs they do not understand: what a kind of job is — its
 * payload, how it is told apart from a replay, whether a newer job replaces a
 * pending one, what it may save for its next attempt — is declared once, in a
 * `JobKind` (kinds/), and the registry (`kinds/index.ts`) lists them. Both
 * queue implementations ask the kind; neither names one.
 */

/** What a queue reads of any job itself: which kind it is, and whose installation it works for (per-installation concurrency). The rest is its kind's. */
export interface Job {
  readonly kind: string;
  readonly installationId: number;
  readonly [field: string]: unknown;
}

/** The same, as stored payloads are checked before their kind is known (the journal, the spool). */
export const JobEnvelopeSchema = z.looseObject({ kind: z.string().min(1).max(100), installationId: z.number().int().positive() });

export interface JobKind<J extends Job, Run extends AttemptRun = AttemptRun> {
  readonly name: J["kind"];
  /** Checked when the job is enqueued, and again when a worker (possibly another process, possibly a newer release) takes it. */
  readonly schema: z.ZodType<J>;
  /** The readable start of the job's id (the queue adds a random suffix and replaces unsafe characters). */
  idPrefix(job: J): string;
  /** Fields that correlate logs from the webhook delivery to the job (the queue adds `jobId` and `kind`). */
  logFields(job: J): Record<string, unknown>;
  /** What a replay shares with the original: the same key twice, within the replay TTL, is enqueued once. */
  replayKey(job: J): string;
  /** One pending job per key: how a newer job of this kind replaces a pending one. Kinds without it never supersede. */
  readonly pendingSlot?: PendingSlot<J>;
  /**
   * When the job may start (epoch ms): a later time makes it wait in the
   * queue, as durably as any job (the journal, Redis's delayed set), so a
   * deadline survives restarts. Null, or a time already past: at once.
   */
  notBefore?(job: J): number | null;
  /**
   * The attempt as this kind's handler sees it: the queue's `attempt`, plus
   * the hooks the kind offers, built on `save`.
   */
  attemptRun(attempt: AttemptRun, save: SaveJob<J>): Run;
}

/**
 * Saves `changes` on the job, for every later attempt of it (a retry, or a
 * worker that recovers it after a crash or a restart): they are merged into
 * the job each later attempt is given. Resolves once that is as durable as the
 * job itself; rejects when it could not be saved (the job in this process's
 * memory has the changes either way).
 */
export type SaveJob<J> = (changes: Partial<J>) => Promise<void>;

/** One attempt of a job, whatever its kind. */
export interface AttemptRun {
  readonly jobId: string;
  /** 1-based. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Fires when a newer job supersedes this one, or at shutdown; see `errors.ts` for the reasons. */
  readonly signal: AbortSignal;
  /** Correlated: the kind's log fields, job id, attempt. */
  readonly log: Logger;
  /** True when the queue will run this job again after this error: do not report it as final. */
  willRetry(error: unknown): boolean;
}

/** The body of one kind of job, given to a worker with the others (`JobHandlers`). */
export interface JobHandler<J extends Job = Job, Run extends AttemptRun = AttemptRun> {
  /** Resolves with the outcome counted in the metrics (`reviewed`, `answered`, …). */
  run(job: J, run: Run): Promise<string>;
  /**
   * The job failed for good without its body reporting it (its worker kept
   * crashing until the stall limit): make the failure visible to the user.
   */
  abandoned?(job: J, reason: string, log: Logger): Promise<void>;
}

/** A worker's bodies, by kind name. A job whose kind has none fails (`NoHandlerError`). */
export type JobHandlers = Readonly<Record<string, JobHandler | undefined>>;

/**
 * One pending job per key (for reviews: per pull request). A newcomer with
 * the key of a pending job is either a duplicate of it, or takes its place:
 * the pending job is removed if still queued, aborted (`JobSupersededError`)
 * if running.
 */
export interface PendingSlot<J> {
  key(job: J): string;
  /** The rule, pure: a duplicate, or a claim with what the newcomer inherits from the job it replaces. */
  claim(pending: PendingJob<J> | null, incoming: J): SlotDecision<J>;
  /** The commit a newcomer works on, told to the job it supersedes (`JobSupersededError.newSha`). */
  headOf(job: J): string;
  /** The same rule, done atomically on Redis (several app instances race on one slot). */
  readonly redis: RedisSlot<J>;
}

export interface PendingJob<J> {
  readonly jobId: string;
  /** A job waiting for its retry counts as queued: it is as replaceable. */
  readonly state: "queued" | "running";
  readonly job: J;
}

export type SlotDecision<J> = { readonly kind: "duplicate"; readonly pendingJobId: string } | { readonly kind: "claim"; readonly job: J };

export interface RedisSlot<J> {
  /** One atomic step: refuses a replay, applies the slot's rule, and takes the slot for `jobId`. */
  claim(redis: Redis, keys: RedisKeys, input: RedisSlotInput<J>): Promise<RedisSlotClaim<J>>;
  /** Undoes a claim whose job could not be added, so a redelivery can try again. */
  unclaim(redis: Redis, keys: RedisKeys, input: Pick<RedisSlotInput<J>, "job" | "jobId">): Promise<void>;
  /** What the slot keeps of its job for the next claim; saved again whenever the job saves a change. */
  remember(job: J): Record<string, string>;
}

export interface RedisSlotInput<J> {
  readonly job: J;
  readonly jobId: string;
  readonly pendingTtlSeconds: number;
  readonly replayTtlSeconds: number;
}

export type RedisSlotClaim<J> =
  | { readonly kind: "duplicate"; readonly reason: "delivery" | "head"; readonly jobId: string | null }
  | { readonly kind: "claim"; readonly job: J; readonly supersedes: { readonly jobId: string; readonly state: "queued" | "running" } | null };

/** The job type a kind declares. */
export type JobOf<K> = K extends JobKind<infer J, infer _Run> ? J : never;

/** The bodies of the kinds `K`, by name, each typed for its kind's jobs. */
export type HandlersOf<K> = {
  readonly [P in K as P extends JobKind<infer J, infer _Run> ? J["kind"] : never]?: P extends JobKind<infer J, infer Run> ? JobHandler<J, Run> : never;
};

import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { AttemptRun, Job, JobKind } from "./job-kind.js";

/**
 * The kinds a queue accepts, by name. A queue is given its registry (the
 * application's is `jobKinds` in kinds/index.ts); every per-kind question it
 * has goes through here.
 */

/** A job whose `kind` no registered kind has (a producer of another release, or a corrupted entry). */
export class UnknownJobKindError extends Error {
  constructor(readonly kind: unknown) {
    super(`unknown job kind ${JSON.stringify(kind) ?? String(kind)}`);
    this.name = "UnknownJobKindError";
  }
}

export type ParsedJob = { readonly success: true; readonly job: Job; readonly kind: JobKind<Job> } | { readonly success: false; readonly problem: string };

export class JobRegistry {
  private readonly kinds = new Map<string, JobKind<Job>>();

  /** A kind's functions are only ever called with jobs its own schema accepted, which is what makes them safe to list together. */
  constructor(kinds: readonly JobKind<Job, AttemptRun>[]) {
    for (const kind of kinds) {
      if (this.kinds.has(kind.name)) throw new Error(`job kind "${kind.name}" is registered twice`);
      this.kinds.set(kind.name, kind);
    }
  }

  get names(): string[] {
    return [...this.kinds.keys()];
  }

  /** The kind of a job this registry already accepted. */
  kindOf(job: Job): JobKind<Job> {
    const kind = this.kinds.get(job.kind);
    if (!kind) throw new UnknownJobKindError(job.kind);
    return kind;
  }

  /** Validates a job with its kind's schema; throws the schema's error (or `UnknownJobKindError`). */
  parse(input: unknown): { readonly job: Job; readonly kind: JobKind<Job> } {
    const kind = this.kinds.get(kindName(input) ?? "");
    if (!kind) throw new UnknownJobKindError(kindName(input));
    return { job: kind.schema.parse(input), kind };
  }

  safeParse(input: unknown): ParsedJob {
    const name = kindName(input);
    const kind = this.kinds.get(name ?? "");
    if (!kind) return { success: false, problem: new UnknownJobKindError(name).message };
    const parsed = kind.schema.safeParse(input);
    return parsed.success ? { success: true, job: parsed.data, kind } : { success: false, problem: z.prettifyError(parsed.error) };
  }

  /** A readable, unique job id (no `:`, which BullMQ reserves). */
  newJobId(job: Job): string {
    const prefix = this.kindOf(job)
      .idPrefix(job)
      .replace(/[^A-Za-z0-9._-]/g, "_");
    return `${prefix}-${randomUUID().slice(0, 8)}`;
  }

  /** Fields that correlate logs from the webhook delivery to the job. */
  logFields(jobId: string, job: Job): Record<string, unknown> {
    return { jobId, kind: job.kind, ...this.kindOf(job).logFields(job) };
  }
}

function kindName(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null || !("kind" in input)) return undefined;
  return typeof input.kind === "string" ? input.kind : undefined;
}

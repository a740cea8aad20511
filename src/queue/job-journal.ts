import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";
import { JobEnvelopeSchema, type Job } from "./job-kind.js";
import type { JobStore, JournalChange, JournalEntry, UnreadableEntry } from "./job-store.js";

/**
 * The in-process queue's memory on local disk (SQLite, one file): every job
 * from the moment it is accepted until it ends, and the events already
 * accepted (replay protection). A server that is killed, crashes or restarts
 * finds its queued and running jobs here and resumes them; a job that was
 * running when the process died is counted, so a job that keeps killing its
 * process is given up on instead of killing it forever.
 *
 * Writes are synchronous and durable before `enqueue` answers (WAL,
 * `synchronous=FULL`). One process owns the file (exclusive lock): a second
 * one fails at start-up instead of running the same jobs twice.
 */

/** The journal's file could not be used (locked by another process, unreadable, corrupt). */
export class JournalError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`the job journal ${path} cannot be used: ${messageOf(cause)}`, { cause });
    this.name = "JournalError";
  }
}

const RowSchema = z.object({
  job_id: z.string(),
  key: z.string(),
  payload: z.string(),
  state: z.enum(["queued", "running", "delayed"]),
  attempts: z.number().int(),
  crashes: z.number().int(),
  run_after: z.number().int().nullable(),
});

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS jobs (
    job_id    TEXT PRIMARY KEY,
    key       TEXT NOT NULL,
    payload   TEXT NOT NULL,
    state     TEXT NOT NULL,
    attempts  INTEGER NOT NULL DEFAULT 0,
    crashes   INTEGER NOT NULL DEFAULT 0,
    run_after INTEGER,
    seq       INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS replays (
    key        TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS replays_expiry ON replays (expires_at);
`;

export class JobJournal implements JobStore {
  readonly durable = true;
  private seq = 0;
  private lastPrune = 0;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly now: () => number,
  ) {}

  static open(path: string, options: { now?: () => number } = {}): JobJournal {
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      const db = new Database(path, { timeout: 1_000 });
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = FULL");
      // The first write takes the lock and keeps it: a second process sharing the file fails here, at start-up.
      db.pragma("locking_mode = EXCLUSIVE");
      db.exec(SCHEMA);
      db.exec("BEGIN IMMEDIATE; COMMIT;");
      const journal = new JobJournal(db, path, options.now ?? Date.now);
      const max = db.prepare("SELECT COALESCE(MAX(seq), 0) AS seq FROM jobs").get() as { seq: number };
      journal.seq = max.seq;
      return journal;
    } catch (error) {
      throw new JournalError(path, error);
    }
  }

  /** Every job that had not ended, in the order they were accepted, and the rows that could not be read. */
  load(): { entries: JournalEntry[]; unreadable: UnreadableEntry[] } {
    const rows = this.db.prepare("SELECT job_id, key, payload, state, attempts, crashes, run_after FROM jobs ORDER BY seq").all();
    const entries: JournalEntry[] = [];
    const unreadable: UnreadableEntry[] = [];
    for (const raw of rows) {
      const row = RowSchema.safeParse(raw);
      if (!row.success) {
        unreadable.push({ jobId: String((raw as { job_id?: unknown }).job_id ?? "?"), problem: z.prettifyError(row.error) });
        continue;
      }
      const job = parseJob(row.data.payload);
      if (!job.success) {
        unreadable.push({ jobId: row.data.job_id, problem: job.problem });
        continue;
      }
      const { job_id, key, state, attempts, crashes, run_after } = row.data;
      entries.push({ jobId: job_id, key, job: job.job, state, attempts, crashes, runAfter: run_after });
    }
    return { entries, unreadable };
  }

  add(entry: JournalEntry): void {
    this.db
      .prepare("INSERT INTO jobs (job_id, key, payload, state, attempts, crashes, run_after, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(entry.jobId, entry.key, JSON.stringify(entry.job), entry.state, entry.attempts, entry.crashes, entry.runAfter, ++this.seq);
  }

  update(jobId: string, change: JournalChange): void {
    const columns: [string, string | number | null | undefined][] = [
      ["state", change.state],
      ["attempts", change.attempts],
      ["crashes", change.crashes],
      ["run_after", change.runAfter],
      ["payload", change.job === undefined ? undefined : JSON.stringify(change.job)],
    ];
    const set = columns.filter((c): c is [string, string | number | null] => c[1] !== undefined);
    if (set.length === 0) return;
    this.db.prepare(`UPDATE jobs SET ${set.map(([name]) => `${name} = ?`).join(", ")} WHERE job_id = ?`).run(...set.map(([, value]) => value), jobId);
  }

  remove(jobId: string): void {
    this.db.prepare("DELETE FROM jobs WHERE job_id = ?").run(jobId);
  }

  /** Remembers an accepted event for `ttlMs`; false when it was already remembered (a replay). */
  rememberReplay(key: string, ttlMs: number): boolean {
    const now = this.now();
    this.pruneReplays(now);
    const result = this.db
      .prepare(
        "INSERT INTO replays (key, expires_at) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE replays.expires_at <= ?",
      )
      .run(key, now + ttlMs, now);
    return result.changes === 1;
  }

  /** Forgets an event whose job could not be accepted after all, so a redelivery is not refused. */
  forgetReplay(key: string): void {
    this.db.prepare("DELETE FROM replays WHERE key = ?").run(key);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private pruneReplays(now: number): void {
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    this.db.prepare("DELETE FROM replays WHERE expires_at <= ?").run(now);
  }
}

/** Only what any job has: the queue that reads the entry checks it against its kind. */
function parseJob(payload: string): { success: true; job: Job } | { success: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch (error) {
    return { success: false, problem: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const job = JobEnvelopeSchema.safeParse(json);
  return job.success ? { success: true, job: job.data } : { success: false, problem: z.prettifyError(job.error) };
}

/** The driver's own message ("database is locked"), whatever realm its error class comes from. */
function messageOf(error: unknown): string {
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") return error.message;
  return String(error);
}

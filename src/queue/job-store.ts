import type { Job } from "./job-kind.js";
import { RecentKeys } from "./recent-keys.js";

/**
 * Where the in-process queue keeps its jobs and the events it accepted:
 * `JobJournal` (SQLite on local disk, the default: jobs survive a crash or a
 * restart) or `memoryStore` (nothing survives the process; tests, and
 * `LONGVIEW_JOURNAL=off`).
 */
export interface JobStore {
  /** True when jobs survive the process. */
  readonly durable: boolean;
  /** Every job that had not ended, oldest first, and the entries that could not be read. */
  load(): { entries: JournalEntry[]; unreadable: UnreadableEntry[] };
  add(entry: JournalEntry): void;
  update(jobId: string, change: JournalChange): void;
  remove(jobId: string): void;
  /** Remembers an accepted event; false when it was already remembered (a replay). */
  rememberReplay(key: string, ttlMs: number): boolean;
  /** Forgets an event whose job could not be accepted after all, so a redelivery is not refused. */
  forgetReplay(key: string): void;
  close(): void;
}

export type JournalState = "queued" | "running" | "delayed";

export interface JournalEntry {
  readonly jobId: string;
  /** The queue's key for the job: its pending slot's (a review's pull request), else its replay key. */
  readonly key: string;
  /** Checked as a job of some kind when it is read back; its own kind checks the rest. */
  readonly job: Job;
  readonly state: JournalState;
  /** Attempts started. */
  readonly attempts: number;
  /** Times the process died while this job was running. */
  readonly crashes: number;
  /** When a delayed job runs again (epoch ms); null otherwise. */
  readonly runAfter: number | null;
}

export interface JournalChange {
  readonly state?: JournalState;
  readonly attempts?: number;
  readonly crashes?: number;
  readonly runAfter?: number | null;
  readonly job?: Job;
}

/** An entry that no longer parses (hand-edited, or written by another release): reported, never fatal. */
export interface UnreadableEntry {
  readonly jobId: string;
  readonly problem: string;
}

/** Jobs live only in the queue's own memory; accepted events are remembered up to `capacity` (oldest forgotten first). */
export function memoryStore(capacity = 10_000): JobStore {
  const replays = new RecentKeys(capacity);
  return {
    durable: false,
    load: () => ({ entries: [], unreadable: [] }),
    add: () => undefined,
    update: () => undefined,
    remove: () => undefined,
    rememberReplay: (key) => replays.add(key),
    forgetReplay: (key) => replays.delete(key),
    close: () => undefined,
  };
}

import { createRedactor } from "../redact/index.js";

/**
 * A GitHub Actions job log as a model or a person may read it: only its
 * tail (a failing job's reason is at the end), without the runner's
 * timestamps and terminal colours, and with secrets redacted. Pure: the
 * bytes come from `ci-checks.ts`, which reads no more than it keeps.
 */

/** Bytes of a log kept: the last 64 KiB, where `##[error]` and the failing test's output are. */
export const JOB_LOG_TAIL_BYTES = 64 * 1024;
/** Bytes of a log streamed at most before giving up on reaching its end (a runaway log): memory and bandwidth stay bounded. */
export const JOB_LOG_MAX_STREAMED_BYTES = 32 * 1024 * 1024;

/** `2026-12-05T04:00:00.1230000Z ` at the start of every line Actions prints. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z ?/;
// CSI sequences (colours, cursor moves) and OSC sequences (titles, links) that test runners print.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** Keeps the last `limit` bytes of a stream of chunks; what came before is counted, not kept. */
export class ByteTail {
  private chunks: Uint8Array[] = [];
  private kept = 0;
  /** Bytes seen so far. */
  total = 0;

  constructor(private readonly limit: number) {}

  push(chunk: Uint8Array): void {
    this.total += chunk.byteLength;
    this.chunks.push(chunk);
    this.kept += chunk.byteLength;
    while (this.chunks.length > 1 && this.kept - this.chunks[0]!.byteLength >= this.limit) {
      this.kept -= this.chunks.shift()!.byteLength;
    }
  }

  /** The kept bytes, at most `limit`. */
  bytes(): Uint8Array {
    const all = new Uint8Array(this.kept);
    let at = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, at);
      at += chunk.byteLength;
    }
    return all.byteLength > this.limit ? all.subarray(all.byteLength - this.limit) : all;
  }
}

export interface CleanedLog {
  readonly text: string;
  /** Bytes of the whole log as far as it was read. */
  readonly bytes: number;
  /** The beginning (or, for a runaway log, the end too) was left out. */
  readonly truncated: boolean;
}

/**
 * The readable tail of a job log: `tail` holds the last bytes of `total`
 * read; `cut` says the reading stopped before the end. A line cut by the
 * tail's start is dropped (it may be cut mid-character too).
 */
export function cleanJobLog(tail: Uint8Array, total: number, cut = false): CleanedLog {
  let text = new TextDecoder("utf-8", { fatal: false }).decode(tail);
  const truncated = cut || total > tail.byteLength;
  if (total > tail.byteLength) {
    const newline = text.indexOf("\n");
    text = newline === -1 ? "" : text.slice(newline + 1);
  }
  text = text.replace(/^\uFEFF/, "");
  const lines = text.split(/\r?\n/).map((line) => line.replace(TIMESTAMP, "").replace(ANSI, ""));
  while (lines.length > 0 && lines.at(-1) === "") lines.pop();
  // A fresh redactor: token shapes and key blocks; the log holds no file whose values it could remember.
  return { text: createRedactor().redactLines(lines).join("\n"), bytes: total, truncated };
}

/** `cleanJobLog` of a whole log held in memory (the in-memory host, tests). */
export function cleanJobLogText(log: string, limit = JOB_LOG_TAIL_BYTES): CleanedLog {
  const bytes = new TextEncoder().encode(log);
  return cleanJobLog(bytes.byteLength > limit ? bytes.subarray(bytes.byteLength - limit) : bytes, bytes.byteLength);
}

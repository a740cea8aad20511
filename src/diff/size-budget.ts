import type { Env } from "../config/env.js";

/**
 * The size limits of one review (LONGVIEW_MAX_FILES, _MAX_CHANGED_LINES,
 * _MAX_FILE_BYTES, _MAX_TOTAL_BYTES), spent in the change's file order by both
 * sources — the GitHub App and the CLI — so a change is cut the same way
 * wherever it is reviewed. Each refusal is the skip's detail, naming the limit.
 */

export interface SizeLimits {
  readonly maxFiles: number;
  /** Per file: a larger diff is not reviewed; a larger head version is not used as context. */
  readonly maxFileBytes: number;
  /** Changed lines (additions + deletions) reviewed per change; default: no limit. */
  readonly maxChangedLines?: number;
  /** Bytes of diff and head content held for one review; default: no limit. */
  readonly maxTotalBytes?: number;
}

/** The limits as configured (.env.example): the same for the App, the CLI and the eval harness. */
export function sizeLimitsFrom(
  env: Pick<Env, "LONGVIEW_MAX_FILES" | "LONGVIEW_MAX_FILE_BYTES" | "LONGVIEW_MAX_CHANGED_LINES" | "LONGVIEW_MAX_TOTAL_BYTES">,
): SizeLimits {
  return {
    maxFiles: env.LONGVIEW_MAX_FILES,
    maxFileBytes: env.LONGVIEW_MAX_FILE_BYTES,
    maxChangedLines: env.LONGVIEW_MAX_CHANGED_LINES,
    maxTotalBytes: env.LONGVIEW_MAX_TOTAL_BYTES,
  };
}

export class SizeBudget {
  private files = 0;
  private lines = 0;
  private bytes = 0;
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  private readonly maxLines: number;
  private readonly maxTotal: number;

  constructor(limits: SizeLimits) {
    this.maxFiles = limits.maxFiles;
    this.maxFileBytes = limits.maxFileBytes;
    this.maxLines = limits.maxChangedLines ?? Infinity;
    this.maxTotal = limits.maxTotalBytes ?? Infinity;
  }

  /** Counts one more file of the change: null while within LONGVIEW_MAX_FILES, else why it is left out. */
  admitFile(): string | null {
    this.files++;
    return this.files > this.maxFiles ? overFiles(this.maxFiles) : null;
  }

  /** Null when a file's diff fits, and charges it; otherwise why it does not (the skip's detail). */
  admitDiff(diff: { readonly lines: number; readonly bytes: number }): string | null {
    if (diff.bytes > this.maxFileBytes) return overFileBytes(this.maxFileBytes);
    if (this.lines + diff.lines > this.maxLines) return `over the limit of ${count(this.maxLines)} changed lines per review (LONGVIEW_MAX_CHANGED_LINES)`;
    if (this.bytes + diff.bytes > this.maxTotal) return overTotalBytes(this.maxTotal);
    this.lines += diff.lines;
    this.bytes += diff.bytes;
    return null;
  }

  /** A diff computed locally (GitHub sent none) is charged when it exists; its lines were charged with the listing. */
  admitComputedDiff(bytes: number): string | null {
    if (bytes > this.maxFileBytes) return overFileBytes(this.maxFileBytes);
    if (this.bytes + bytes > this.maxTotal) return overTotalBytes(this.maxTotal);
    this.bytes += bytes;
    return null;
  }

  /** Head content for context: held only while the total allows. */
  admitContent(bytes: number): boolean {
    if (this.bytes + bytes > this.maxTotal) return false;
    this.bytes += bytes;
    return true;
  }

  usage(): { changedLines: number; bytes: number } {
    return { changedLines: this.lines, bytes: this.bytes };
  }
}

export function overFiles(max: number): string {
  return `over the limit of ${count(max)} files per review (LONGVIEW_MAX_FILES)`;
}

export function overFileBytes(max: number): string {
  return `its diff is over ${count(max)} bytes (LONGVIEW_MAX_FILE_BYTES)`;
}

function overTotalBytes(max: number): string {
  return `over the limit of ${count(max)} bytes per review (LONGVIEW_MAX_TOTAL_BYTES)`;
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

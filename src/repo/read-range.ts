import { z } from "zod";
import type { RepositorySnapshot } from "../domain/repository.js";
import { clipLine, splitLines } from "./tool-text.js";

/** Arguments of the read-range tool, as the model gives them. */
export const ReadRangeArgsSchema = z
  .object({
    path: z.string().min(1).max(1_000),
    startLine: z.number().int().min(1).default(1),
    endLine: z.number().int().min(1).optional(),
  })
  .strict();
export type ReadRangeArgs = z.input<typeof ReadRangeArgsSchema>;

export interface ReadRangeLimits {
  /** Lines returned at most; a longer range is clipped (and says so). */
  readonly maxLines: number;
  /** A line longer than this is cut with a visible mark. */
  readonly maxLineChars: number;
}

export const DEFAULT_READ_RANGE_LIMITS: ReadRangeLimits = { maxLines: 200, maxLineChars: 400 };

export interface ReadRangeResult {
  readonly path: string;
  /** False when the snapshot has no text for the path (missing, binary or too large). */
  readonly found: boolean;
  readonly startLine: number;
  /** Last line returned (startLine - 1 when nothing was). */
  readonly endLine: number;
  readonly totalLines: number;
  readonly lines: readonly { readonly line: number; readonly text: string }[];
  /** The range asked for was longer than `maxLines`, or ran past the end of the file. */
  readonly clipped: boolean;
}

/** Numbered lines `startLine..endLine` of one file (by default up to `maxLines` from the start). */
export async function readRange(
  snapshot: RepositorySnapshot,
  rawArgs: ReadRangeArgs,
  limits: ReadRangeLimits = DEFAULT_READ_RANGE_LIMITS,
  signal?: AbortSignal,
): Promise<ReadRangeResult> {
  const args = ReadRangeArgsSchema.parse(rawArgs);
  const text = await snapshot.read(args.path, signal);
  if (text === null) return { path: args.path, found: false, startLine: args.startLine, endLine: args.startLine - 1, totalLines: 0, lines: [], clipped: false };
  const all = splitLines(text);
  // Without an end, the rest of the file (up to maxLines) is asked for.
  const wanted = args.endLine ?? all.length;
  const start = Math.min(args.startLine, all.length + 1);
  const end = Math.min(Math.max(wanted, start - 1), all.length, start + limits.maxLines - 1);
  const lines: { line: number; text: string }[] = [];
  for (let n = start; n <= end; n++) lines.push({ line: n, text: clipLine(all[n - 1] ?? "", limits.maxLineChars) });
  return {
    path: args.path,
    found: true,
    startLine: start,
    endLine: end,
    totalLines: all.length,
    lines,
    clipped: end < Math.max(wanted, start) || start !== args.startLine,
  };
}

/** `path:start-end of total` then `n| text` lines, for a tool result. */
export function renderReadRange(result: ReadRangeResult): string {
  if (!result.found) return `${clipLine(result.path, 300)}: no such text file at this commit (missing, binary or too large).`;
  if (result.lines.length === 0) return `${clipLine(result.path, 300)}: no lines in that range (the file has ${result.totalLines}).`;
  const width = String(result.endLine).length;
  const head = `${clipLine(result.path, 300)}:${result.startLine}-${result.endLine} of ${result.totalLines}${result.clipped ? " (clipped)" : ""}`;
  return [head, ...result.lines.map((l) => `${String(l.line).padStart(width)}| ${l.text}`)].join("\n");
}

import { countTokens } from "../../context/index.js";
import type { DiffLine } from "../../domain/change-set.js";
import type { Window, WindowFile } from "../../domain/window.js";

/**
 * The plan's windows → the survey's input: each reviewed file's diff (changed
 * lines with the hunk's own context, no surrounding code), redacted as the
 * windows are, clipped per file and in total, packed into batches. Pure.
 */

export interface SurveyLimits {
  /** Diff tokens sent for one file at most. */
  readonly fileTokens: number;
  /** Diff tokens of one batch (one model call) at most. */
  readonly batchTokens: number;
  readonly batchFiles: number;
  /** Diff tokens of the whole survey at most; files past it are listed without their diff. */
  readonly totalTokens: number;
}

export const SURVEY_LIMITS: SurveyLimits = { fileTokens: 800, batchTokens: 10_000, batchFiles: 30, totalTokens: 40_000 };

export interface SurveyFile {
  readonly path: string;
  /** The rendered diff (header included), possibly clipped. */
  readonly text: string;
  readonly tokens: number;
}

export interface SurveyBatch {
  readonly files: readonly SurveyFile[];
  readonly tokens: number;
}

/** A file no diff budget was left for still gets a line, so its summary can say so. */
const NO_ROOM = "(diff not shown: the survey's size limit was reached)\n";

export function surveyBatches(windows: readonly Window[], limits: SurveyLimits = SURVEY_LIMITS): SurveyBatch[] {
  const byPath = new Map<string, WindowFile[]>();
  for (const window of windows) for (const file of window.local.files) byPath.set(file.path, [...(byPath.get(file.path) ?? []), file]);

  let left = limits.totalTokens;
  const files: SurveyFile[] = [];
  for (const [path, parts] of byPath) {
    const header = `## ${oneLine(path)} (${statusText(parts[0]!)})\n`;
    const room = Math.max(0, Math.min(limits.fileTokens, left) - countTokens(header));
    const body = room > 0 ? renderDiff(parts, room) : { text: NO_ROOM, tokens: countTokens(NO_ROOM) };
    const tokens = countTokens(header) + body.tokens;
    left = Math.max(0, left - tokens);
    files.push({ path, text: header + body.text, tokens });
  }

  const batches: SurveyBatch[] = [];
  let current: SurveyFile[] = [];
  let tokens = 0;
  for (const file of files) {
    if (current.length > 0 && (tokens + file.tokens > limits.batchTokens || current.length >= limits.batchFiles)) {
      batches.push({ files: current, tokens });
      current = [];
      tokens = 0;
    }
    current.push(file);
    tokens += file.tokens;
  }
  if (current.length > 0) batches.push({ files: current, tokens });
  return batches;
}

function renderDiff(parts: readonly WindowFile[], maxTokens: number): { text: string; tokens: number } {
  const out: string[] = [];
  let tokens = 0;
  let omitted = 0;
  for (const part of parts) {
    for (const { hunk } of part.hunks) {
      const lines = [`${oneLine(hunk.header)}\n`, ...hunk.lines.map(diffLine)];
      for (const line of lines) {
        if (omitted > 0) {
          if (!line.startsWith("@@")) omitted++;
          continue;
        }
        const cost = countTokens(line);
        if (tokens + cost > maxTokens) {
          omitted++;
          continue;
        }
        out.push(line);
        tokens += cost;
      }
    }
  }
  if (omitted > 0) {
    const note = `… (${omitted} more diff lines not shown)\n`;
    out.push(note);
    tokens += countTokens(note);
  }
  return { text: out.join(""), tokens };
}

function diffLine(line: DiffLine): string {
  const marker = line.kind === "add" ? "+" : line.kind === "del" ? "-" : " ";
  return `${marker}${line.text.replace(/[\r\n]/g, " ")}\n`;
}

function statusText(file: WindowFile): string {
  if (file.status === "added") return "new file";
  if (file.status === "removed") return "deleted file";
  if (file.status === "renamed" || file.status === "copied") return `${file.status} from ${oneLine(file.previousPath ?? "?")}`;
  return file.status;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

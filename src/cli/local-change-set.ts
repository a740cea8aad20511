import { StringDecoder } from "node:string_decoder";
import type { ChangedFile, ChangeSet, SkippedFile } from "../domain/change-set.js";
import { buildChangeSet } from "../diff/build-change-set.js";
import { DiffSectionReader, type DiffSection } from "../diff/diff-sections.js";
import { applyContentRules, classifyFile, classifyStatus, type FileFilterOptions } from "../diff/file-filter.js";
import { parseUnifiedDiff } from "../diff/parse-unified-diff.js";
import { SizeBudget, type SizeLimits } from "../diff/size-budget.js";
import type { HeadContent, HeadReader } from "./head-content.js";

/**
 * A local unified diff → ChangeSet, with the same rules and size limits as the
 * GitHub source (`github/fetch-change-set.ts`), applied in the diff's file
 * order: LONGVIEW_MAX_FILES, then path and status rules (excluded, lockfiles,
 * generated, vendored, binary, mode-only: no budget used), then the per-file,
 * changed-line and total byte limits; content checks (generated markers,
 * minified lines) on the head versions last. The diff is read as a stream and
 * only what the limits admit is held and parsed: a diff of any size costs
 * memory in proportion to the limits, not to its length.
 */

export type DiffInput = string | AsyncIterable<string | Uint8Array>;

export interface LocalChangeSet {
  readonly changeSet: ChangeSet;
  /** False when the input had text but no file of a unified diff in it. */
  readonly recognised: boolean;
  /** The input was a plain (`diff -u`) diff over LONGVIEW_MAX_TOTAL_BYTES, which cannot be read in part. */
  readonly plainTooLarge: boolean;
}

/** What a file of the diff looks like before its hunks are read. */
interface Candidate {
  /** Paths and status; no hunks. */
  readonly header: ChangedFile;
  readonly lines: number;
  readonly bytes: number;
  /** The parsed file, or null when it was too large to be held. */
  readonly parse: () => ChangedFile | null;
}

export async function buildLocalChangeSet(
  diff: DiffInput,
  filter: FileFilterOptions,
  readHead: HeadReader | null,
  limits: SizeLimits,
): Promise<LocalChangeSet> {
  const budget = new SizeBudget(limits);
  const kept: ChangedFile[] = [];
  const skipped: SkippedFile[] = [];
  const skip = (file: Pick<ChangedFile, "path">, reason: SkippedFile["reason"], lines: number, detail: string) =>
    skipped.push({ path: file.path, reason, lines, detail });

  const consider = (candidate: Candidate): void => {
    const { header, lines } = candidate;
    const overFiles = budget.admitFile();
    if (overFiles) return void skip(header, "too-large", lines, overFiles);
    // Rules first: files left out by rule use up no size budget.
    const ruled = classifyStatus(header) ?? classifyFile(header.path, filter);
    if (ruled) return void skip(header, ruled.reason, lines, ruled.detail);
    const over = budget.admitDiff({ lines, bytes: candidate.bytes });
    if (over) return void skip(header, "too-large", lines, over);
    const file = candidate.parse();
    if (file) kept.push(file);
  };

  const reader = new DiffSectionReader({
    maxSectionBytes: budget.maxFileBytes,
    maxPlainBytes: limits.maxTotalBytes ?? Infinity,
    onSection: (section) => consider(sectionCandidate(section)),
  });
  const decoder = new StringDecoder("utf8");
  for await (const chunk of typeof diff === "string" ? [diff] : diff) reader.push(typeof chunk === "string" ? chunk : decoder.write(chunk));
  reader.push(decoder.end());
  const end = reader.end();
  if (end.plain !== null) {
    for (const file of parseUnifiedDiff(end.plain))
      consider({ header: file, lines: file.additions + file.deletions, bytes: diffBytes(file), parse: () => file });
  }
  const recognised = kept.length > 0 || skipped.length > 0 || (end.plain ?? "").trim() === "";

  const readable = kept.filter((f) => f.status !== "removed").map((f) => f.path);
  const contents = readHead && readable.length > 0 ? await readHead(readable) : new Map<string, HeadContent>();
  // Context only: past the total budget a file is reviewed from its diff alone, as in the app.
  const texts = new Map(
    [...contents].map(([path, content]) => [path, content.kind === "text" && budget.admitContent(content.text.length) ? content.text : null]),
  );
  const { reviewable, skipped: generated, headContents } = applyContentRules(kept, (path) => texts.get(path) ?? null, filter.skipGenerated);
  skipped.push(...generated);
  skipped.sort((a, b) => a.path.localeCompare(b.path));
  return { changeSet: buildChangeSet({ files: reviewable, skipped, headContents }), recognised, plainTooLarge: end.plainTooLarge };
}

function sectionCandidate(section: DiffSection): Candidate {
  // The header alone parses to the file's paths and status (binary, rename, …); only its hunks can say it is more than a mode change.
  const parsed = parseUnifiedDiff(section.header)[0] ?? {
    path: "(unknown)",
    previousPath: null,
    status: "modified" as const,
    hunks: [],
    additions: 0,
    deletions: 0,
  };
  const header = parsed.status === "mode-only" && section.hasHunks ? { ...parsed, status: "modified" as const } : parsed;
  return {
    header,
    lines: section.changedLines,
    bytes: section.bytes,
    parse: () => {
      const text = section.text();
      return text === null ? null : (parseUnifiedDiff(text)[0] ?? null);
    },
  };
}

/** Bytes of a parsed file's hunks, as a diff would hold them. */
function diffBytes(file: ChangedFile): number {
  return file.hunks.reduce((n, h) => n + h.lines.reduce((m, l) => m + Buffer.byteLength(l.text) + 2, h.header.length + 1), 0);
}

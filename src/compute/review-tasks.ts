import { z } from "zod";
import type { AnalyzerFilter, AnalyzerReport, FlaggedSecret } from "../analyzers/analyzer.js";
import { InvalidChangeSetError, WindowBudgetError, WindowPlanInvariantError } from "../context/errors.js";
import type { ChangedFile, DiffLine, Hunk, SkippedFile } from "../domain/change-set.js";
import { CategorySchema, FINDING_SOURCES, SeveritySchema, type Finding } from "../domain/finding.js";
import type { ApiChange, ApiSignature, ImpactContext } from "../domain/impact.js";
import {
  MEMORY_NOTE_KINDS,
  TRIAGE_KINDS,
  type Coverage,
  type MemoryNote,
  type Window,
  type WindowFile,
  type WindowHunk,
  type WindowPlan,
} from "../domain/window.js";
import type { TaskSpec } from "./protocol.js";

/**
 * The review stages that run on worker threads, and the shapes of what
 * crosses the thread boundary. Each schema is typed against the domain type
 * it carries, so the two cannot drift apart.
 */

const Line = z.number();

const DiffLineSchema: z.ZodType<DiffLine> = z.object({
  kind: z.enum(["add", "del", "context"]),
  oldLine: Line.nullable(),
  newLine: Line.nullable(),
  text: z.string(),
});

const HunkSchema: z.ZodType<Hunk> = z.object({
  index: z.number(),
  header: z.string(),
  oldStart: Line,
  oldLines: z.number(),
  newStart: Line,
  newLines: z.number(),
  lines: z.array(DiffLineSchema),
});

const FileStatusSchema = z.enum(["added", "modified", "removed", "renamed", "copied", "binary", "mode-only"]);

const ChangedFileSchema: z.ZodType<ChangedFile> = z.object({
  path: z.string(),
  previousPath: z.string().nullable(),
  status: FileStatusSchema,
  hunks: z.array(HunkSchema),
  additions: z.number(),
  deletions: z.number(),
});

const SkippedFileSchema: z.ZodType<SkippedFile> = z.object({
  path: z.string(),
  reason: z.enum([
    "binary",
    "removed",
    "mode-only",
    "excluded-by-config",
    "lockfile",
    "generated",
    "vendored",
    "minified",
    "whitespace-only",
    "too-large",
    "patch-unavailable",
    "github-file-cap",
  ]),
  lines: z.number(),
  detail: z.string().optional(),
});

const HeadContentsSchema = z.map(z.string(), z.string());

const FindingSchema: z.ZodType<Finding> = z.object({
  path: z.string(),
  line: Line,
  startLine: Line.nullable(),
  side: z.enum(["LEFT", "RIGHT"]),
  severity: SeveritySchema,
  category: CategorySchema,
  title: z.string(),
  body: z.string(),
  suggestion: z.string().nullable(),
  confidence: z.number(),
  source: z.enum(FINDING_SOURCES),
  ruleId: z.string().nullable(),
  corroboratedBy: z.array(z.enum(FINDING_SOURCES)),
});

const MemoryNoteSchema: z.ZodType<MemoryNote> = z.object({
  kind: z.enum(MEMORY_NOTE_KINDS),
  path: z.string().nullable(),
  text: z.string(),
  windowId: z.string(),
});

const WindowHunkSchema: z.ZodType<WindowHunk> = z.object({
  hunk: HunkSchema,
  surrounding: z.object({ startLine: Line, text: z.string() }).nullable(),
  duplicates: z.array(
    z.object({ path: z.string(), hunkIndex: z.number(), hunk: HunkSchema, ref: z.string(), lineDelta: z.object({ RIGHT: z.number(), LEFT: z.number() }) }),
  ),
  enclosing: z.array(z.object({ line: Line, text: z.string() })).optional(),
});

const WindowFileSchema: z.ZodType<WindowFile> = z.object({
  path: z.string(),
  previousPath: z.string().nullable(),
  status: FileStatusSchema,
  hunks: z.array(WindowHunkSchema),
  compacted: z
    .discriminatedUnion("kind", [
      z.object({ kind: z.literal("summarized"), ref: z.string() }),
      z.object({ kind: z.literal("triaged"), ref: z.string(), triage: z.enum(TRIAGE_KINDS), shownLines: z.number() }),
    ])
    .nullable()
    .optional(),
});

const WindowSchema: z.ZodType<Window> = z.object({
  id: z.string(),
  wave: z.number(),
  global: z.object({ title: z.string(), description: z.string(), guidelines: z.string(), fileMap: z.string() }),
  memory: z.array(MemoryNoteSchema),
  local: z.object({ files: z.array(WindowFileSchema), peripheral: z.string(), impact: z.string().optional() }),
  tokens: z.object({ global: z.number(), memory: z.number(), local: z.number(), total: z.number() }),
});

const CoverageSchema: z.ZodType<Coverage> = z.object({
  changedLines: z.number(),
  reviewedLines: z.number(),
  foldedLines: z.number(),
  summarizedLines: z.number(),
  triagedLines: z.number(),
  skippedLines: z.number(),
  skipped: z.array(SkippedFileSchema),
  files: z.number(),
  reviewedFiles: z.number(),
});

const WindowPlanSchema: z.ZodType<WindowPlan> = z.object({
  windows: z.array(WindowSchema),
  coverage: CoverageSchema,
  stats: z.object({ diffTokens: z.number(), tokensSent: z.number(), compaction: z.record(z.string(), z.number()), ms: z.number() }),
});

/** A change as it crosses threads: its parts without the line map (a closure), which the worker rebuilds. */
const ChangeSetDataSchema = z.object({
  files: z.array(ChangedFileSchema),
  skipped: z.array(SkippedFileSchema),
  headContents: HeadContentsSchema,
});
export type ChangeSetData = z.infer<typeof ChangeSetDataSchema>;

const ApiSignatureSchema: z.ZodType<ApiSignature> = z.object({
  text: z.string(),
  line: z.number(),
  parameters: z.array(z.object({ name: z.string(), optional: z.boolean(), rest: z.boolean(), defaultText: z.string().nullable() })).nullable(),
  returnType: z.string().nullable(),
});

const ApiChangeSchema: z.ZodType<ApiChange> = z.object({
  path: z.string(),
  symbol: z.string(),
  renamedTo: z.string().nullable(),
  kind: z.enum(["signature-changed", "removed", "renamed", "body-changed", "key-removed"]),
  aspects: z.array(
    z.enum(["parameters-added", "parameters-removed", "parameters-reordered", "parameter-renamed", "default-changed", "return-type-changed", "other"]),
  ),
  before: ApiSignatureSchema,
  after: ApiSignatureSchema.nullable(),
  usages: z.array(
    z.object({
      path: z.string(),
      line: z.number(),
      text: z.string(),
      kind: z.enum(["call", "test", "reference"]),
      argumentCount: z.number().nullable(),
      importsSymbol: z.boolean().optional(),
    }),
  ),
  usagesTruncated: z.boolean(),
});

const ImpactContextSchema: z.ZodType<ImpactContext> = z.object({ changes: z.array(ApiChangeSchema), notices: z.array(z.string()) });

const AnalyzerFilterSchema: z.ZodType<AnalyzerFilter> = z.enum(["added", "diff_context"]);

const FlaggedSecretSchema: z.ZodType<FlaggedSecret> = z.object({ path: z.string(), start: z.number(), end: z.number(), kind: z.string() });

const AnalyzerReportSchema: z.ZodType<AnalyzerReport> = z.object({ findings: z.array(FindingSchema), secrets: z.array(FlaggedSecretSchema).optional() });

export const REVIEW_TASKS = {
  /** One analyzer over the change's head contents: its raw findings (the caller applies the line filter) and the credentials it flagged. */
  analyze: {
    input: z.object({
      analyzer: z.enum(FINDING_SOURCES),
      files: z.array(ChangedFileSchema),
      headContents: HeadContentsSchema,
      filter: AnalyzerFilterSchema,
      impact: ImpactContextSchema.optional(),
    }),
    result: AnalyzerReportSchema,
  },
  /** `planWindows`: redaction (with a model) and the window plan. */
  plan: {
    input: z.object({
      changeSet: ChangeSetDataSchema,
      pr: z.object({ title: z.string(), description: z.string() }),
      guidelines: z.string(),
      // Checked by the planner itself, which says what is wrong with a budget (WindowBudgetError).
      budget: z.object({ windowTokens: z.number(), outputTokens: z.number(), contextTokens: z.number() }),
      options: z.object({ waveSize: z.number().optional(), memoryTokenCap: z.number().optional(), impact: ImpactContextSchema.optional() }),
      redact: z.boolean(),
      flaggedSecrets: z.array(FlaggedSecretSchema),
    }),
    result: WindowPlanSchema,
  },
} as const satisfies Readonly<Record<string, TaskSpec>>;

export type ReviewTasks = typeof REVIEW_TASKS;

/** Errors of these stages that callers tell apart by class (the CLI explains a bad budget, for one). */
export const REVIEW_TASK_ERRORS = { WindowBudgetError, WindowPlanInvariantError, InvalidChangeSetError } as const;

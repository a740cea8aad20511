import { z } from "zod";
import { SEVERITIES, type Severity } from "../domain/finding.js";

/**
 * `case.yaml` (or `case.json`) of one evaluation case: the change's stand-in
 * PR text and the issues a good review must find in it. Field names are
 * snake_case because people write these files by hand (see eval/README.md).
 */

/**
 * What an expected issue is. `any` is for imported golden sets that do not
 * label categories: it accepts a finding of any category except `other`.
 */
export const EXPECTED_CATEGORIES = ["bug", "security", "performance", "any"] as const;
export type ExpectedCategory = (typeof EXPECTED_CATEGORIES)[number];

const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = { critical: "P0", high: "P1", medium: "P2", low: "P3" };

/** `P0`..`P3`, or the words golden sets use (`Critical`, `High`, `Medium`, `Low`). */
export const ExpectedSeveritySchema = z.string().transform((value, ctx): Severity => {
  const upper = value.trim().toUpperCase();
  if ((SEVERITIES as readonly string[]).includes(upper)) return upper as Severity;
  const alias = SEVERITY_ALIASES[value.trim().toLowerCase()];
  if (alias) return alias;
  ctx.addIssue({ code: "custom", message: `severity must be one of ${SEVERITIES.join(", ")} or critical, high, medium, low; got "${value}"` });
  return z.NEVER;
});

const line = z.number().int().min(1);

const ExpectedIssueSchema = z
  .object({
    /** Repository-relative path in the head version; null: anywhere in the change. */
    path: z.string().min(1).nullable().default(null),
    /** Head-version lines; both null: anywhere in the file. */
    line_start: line.nullable().default(null),
    line_end: line.nullable().default(null),
    category: z.enum(EXPECTED_CATEGORIES),
    severity: ExpectedSeveritySchema,
    description: z.string().min(1),
    /**
     * Lines of the head tree a reviewer must see to spot the issue, often in
     * files the change does not touch (an unchanged caller); what the context
     * recall metric looks for. Default: the issue's own lines.
     */
    evidence: z
      .array(z.object({ path: z.string().min(1), line }).strict())
      .max(20)
      .optional(),
  })
  .strict()
  .superRefine((issue, ctx) => {
    if ((issue.line_start === null) !== (issue.line_end === null)) {
      ctx.addIssue({ code: "custom", message: "line_start and line_end are given together or not at all" });
    } else if (issue.line_start !== null && issue.line_end !== null && issue.line_start > issue.line_end) {
      ctx.addIssue({ code: "custom", message: `line_start (${issue.line_start}) is after line_end (${issue.line_end})` });
    }
    if (issue.path === null && issue.line_start !== null) {
      ctx.addIssue({ code: "custom", message: "lines need a path" });
    }
  });

export const CaseFileSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' or '-'"),
    title: z.string().min(1),
    description: z.string().default(""),
    language: z.string().min(1),
    expected: z.array(ExpectedIssueSchema).default([]),
  })
  .strict();

export type CaseFile = z.infer<typeof CaseFileSchema>;

/** One issue a review should report, in the pipeline's own vocabulary. */
export interface ExpectedIssue {
  readonly path: string | null;
  readonly lineStart: number | null;
  readonly lineEnd: number | null;
  readonly category: ExpectedCategory;
  readonly severity: Severity;
  readonly description: string;
  /** Head-tree lines that show the issue (explicit `evidence`); empty: the issue's own lines. */
  readonly evidence?: readonly EvidenceLine[];
}

export interface EvidenceLine {
  readonly path: string;
  readonly line: number;
}

export function toExpectedIssues(file: CaseFile): ExpectedIssue[] {
  return file.expected.map((e) => ({
    path: e.path,
    lineStart: e.line_start,
    lineEnd: e.line_end,
    category: e.category,
    severity: e.severity,
    description: e.description,
    ...(e.evidence && e.evidence.length > 0 ? { evidence: e.evidence } : {}),
  }));
}

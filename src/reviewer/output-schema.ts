import { z } from "zod";
import { CategorySchema, SeveritySchema } from "../domain/finding.js";
import { parseStructured, type Parsed } from "../model/index.js";

/**
 * What the model must answer, as a strict structured-output schema: every
 * field is required, optional ones are nullable, no defaults. Ranges are
 * checked afterwards (validate-output.ts), so a slightly-off value is clamped
 * or dropped instead of costing a repair request.
 */

export const REVIEW_FORMAT_NAME = "longview_review";

const OutputFindingSchema = z.object({
  path: z.string().describe("File path exactly as shown in the window."),
  line: z.number().int().describe("Last line of the commented range, numbered as in the window for `side`."),
  start_line: z.number().int().nullable().describe("First line of a multi-line range (same side, smaller than `line`), or null for one line."),
  side: z.enum(["LEFT", "RIGHT"]).describe("RIGHT for added or context lines (new numbers), LEFT for deleted lines (old numbers)."),
  quote: z.string().describe("The exact code of the cited line(s) as shown in the window, without the line-number prefix."),
  severity: SeveritySchema,
  category: CategorySchema,
  title: z.string().describe("One line, at most 120 characters."),
  body: z.string().describe("What is wrong, why it matters, and how to fix it."),
  suggestion: z.string().nullable().describe("Replacement text for lines start_line..line (or line) on RIGHT, or null."),
  confidence: z.number().describe("0 to 1: how sure you are that this is a real defect."),
});

const OutputNoteSchema = z.object({
  kind: z.enum(["api-change", "invariant", "suspicion"]),
  path: z.string().nullable(),
  text: z.string().describe("One short, factual sentence for reviewers of later windows."),
});

export const OutputSchema = z.object({
  findings: z.array(OutputFindingSchema),
  notes: z.array(OutputNoteSchema),
});

export type ModelOutput = z.infer<typeof OutputSchema>;
export type ModelOutputFinding = z.infer<typeof OutputFindingSchema>;
export type ModelOutputNote = z.infer<typeof OutputNoteSchema>;

/** The outcome of reading the model's text: never throws, so a failed parse keeps the text for the repair request. */
export type ParsedOutput = Parsed<ModelOutput>;

export function parseModelOutput(text: string): ParsedOutput {
  return parseStructured(OutputSchema, text);
}

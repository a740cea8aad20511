import { z } from "zod";
import { CategorySchema, SeveritySchema } from "../../domain/finding.js";

/** The synthesis pass's answer, as a strict structured-output schema; ranges are checked afterwards (validate-synthesis.ts). */

export const SYNTHESIS_FORMAT_NAME = "longview_synthesis";

export const SynthesisOutputSchema = z.object({
  findings: z.array(
    z.object({
      path: z.string().describe("The file where the breakage shows, exactly as listed."),
      line: z.number().int().describe("A changed line of that file (side RIGHT: new numbering; LEFT: old numbering)."),
      start_line: z.number().int().nullable().describe("First line of a multi-line range, or null."),
      side: z.enum(["LEFT", "RIGHT"]),
      quote: z.string().describe("The exact code of the cited line(s) as shown in the windows' hunks, without any line-number prefix."),
      severity: SeveritySchema,
      category: CategorySchema,
      title: z.string().describe("One line, at most 120 characters."),
      body: z.string().describe("Which change in which file breaks what in which other file, and how to fix it."),
      confidence: z.number().describe("0 to 1: how sure you are that this is a real defect."),
    }),
  ),
});

export type SynthesisOutput = z.infer<typeof SynthesisOutputSchema>;

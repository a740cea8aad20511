import { z } from "zod";

/**
 * A fix is a set of search/replace blocks: each replaces one exact, unique
 * piece of a file's text. Anchoring on text instead of line numbers keeps an
 * edit valid when lines move, so a validated fix can be re-applied on a
 * branch that moved meanwhile.
 */

export const FIX_FORMAT_NAME = "longview_fix";

export const FileEditSchema = z.object({
  path: z.string().describe("Repository path of the file, exactly as given."),
  search: z
    .string()
    .describe(
      "Exact text to replace: copied character for character from the current file, occurring exactly once in it. Include enough surrounding lines to make it unique.",
    ),
  replace: z.string().describe("The text that replaces `search`."),
});
export type FileEdit = z.infer<typeof FileEditSchema>;

/** What the model answers (strict structured output: every field required). */
export const FixProposalSchema = z.object({
  summary: z.string().describe("One or two sentences for the pull request: what the edits change and why. If you make no edits, why not."),
  edits: z.array(FileEditSchema).describe("Applied in order; an edit sees the file as earlier edits left it."),
});
export type FixProposal = z.infer<typeof FixProposalSchema>;

import { z } from "zod";
import { VERDICTS } from "../../domain/finding.js";

/** The verification pass's answer, as a strict structured-output schema; ids and bounds are checked afterwards (validate-verification.ts). */

export const VERIFICATION_FORMAT_NAME = "longview_verification";

export const VerificationOutputSchema = z.object({
  verdicts: z.array(
    z.object({
      id: z.string().describe("The candidate's id exactly as given (e.g. F1)."),
      verdict: z
        .enum(VERDICTS)
        .describe(
          "confirmed: a real defect as described, on the cited code; rejected: not a defect, or not as described; uncertain: the code available cannot settle it.",
        ),
      score: z.number().describe("0 to 1: how likely it is that the candidate is a real defect, as described, that a maintainer would want fixed."),
      reason: z.string().describe("One line: the evidence for the verdict (what the code actually does)."),
    }),
  ),
});

export type VerificationOutput = z.infer<typeof VerificationOutputSchema>;

import { z } from "zod";

/**
 * The survey's answer for one batch of files, as a strict structured-output
 * schema (every field required, optional ones nullable). Lengths and counts
 * are enforced afterwards (validate-survey.ts) so an overlong line is cut,
 * not a reason for a repair request.
 */

export const SURVEY_FORMAT_NAME = "longview_survey";

export const SurveyOutputSchema = z.object({
  files: z.array(
    z.object({
      path: z.string().describe("File path exactly as shown."),
      summary: z.string().describe("What the change does to this file, one short sentence."),
    }),
  ),
  api_changes: z.array(
    z.object({
      path: z.string(),
      symbol: z.string().describe("The exported function, type, endpoint, setting or schema whose contract changed."),
      change: z.string().describe("How its signature or behaviour changed, one short sentence."),
    }),
  ),
  risks: z.array(
    z.object({
      path: z.string().nullable(),
      text: z.string().describe("Something a reviewer of the whole change should check, one short sentence."),
    }),
  ),
});

export type SurveyOutput = z.infer<typeof SurveyOutputSchema>;

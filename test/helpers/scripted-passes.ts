import type { ScriptedReply, ScriptedRequest } from "./scripted-openai.js";
import { confirmAll, formatOf, VERIFICATION_FORMAT } from "./verifier.js";

/**
 * The passes around the windows, answered as a quiet model would: the survey and the synthesis find
 * nothing, the verifier confirms every candidate. Null for any other request (windows, fixes, the judge),
 * which the test's own script answers.
 */
export function quietPasses(request: ScriptedRequest): ScriptedReply | null {
  switch (formatOf(request.body)) {
    case "longview_survey":
      return { answer: { files: [], api_changes: [], risks: [] } };
    case "longview_synthesis":
      return { answer: { findings: [] } };
    case VERIFICATION_FORMAT:
      return { answer: confirmAll(request.userTexts.join("\n")) };
    default:
      return null;
  }
}

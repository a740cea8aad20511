import type { Logger } from "pino";
import type { Window } from "../domain/window.js";
import type { ModelClient } from "../model/index.js";
import { OpenAIReviewer } from "./openai-reviewer.js";
import { OutputSchema, REVIEW_FORMAT_NAME } from "./output-schema.js";
import type { Reviewer, WindowTools } from "./reviewer.js";
import { ModelSurveyPass, SURVEY_OUTPUT_TOKENS } from "./survey/survey-pass.js";
import { SURVEY_FORMAT_NAME, SurveyOutputSchema } from "./survey/survey-schema.js";
import { ModelSynthesisPass, SYNTHESIS_OUTPUT_TOKENS } from "./synthesis/synthesis-pass.js";
import { SYNTHESIS_FORMAT_NAME, SynthesisOutputSchema } from "./synthesis/synthesis-schema.js";
import { ModelVerificationPass, VERIFICATION_OUTPUT_TOKENS } from "./verification/verification-pass.js";
import { VERIFICATION_FORMAT_NAME, VerificationOutputSchema } from "./verification/verification-schema.js";

export interface ReviewerOptions {
  /** The survey pass (on by default), on `surveyModel` (default: the configured model). */
  readonly survey?: boolean;
  readonly surveyModel?: string;
  /** The synthesis pass (on by default). */
  readonly synthesis?: boolean;
  /** The verification of model findings before they are posted (on by default), on `verificationModel` (default: the configured model). */
  readonly verification?: boolean;
  readonly verificationModel?: string;
  /** Tools for a window whose review is not given any (tests; the pipeline passes the review's tools per window). */
  readonly tools?: (window: Window) => WindowTools | null;
}

/** The model-backed reviewer on `client` (its API choice, metering and cap on calls in flight), with its survey and synthesis passes. */
export function createReviewer(client: ModelClient, log: Logger, options: ReviewerOptions = {}): Reviewer {
  const windows = new OpenAIReviewer({
    model: client.structured(OutputSchema, REVIEW_FORMAT_NAME),
    log,
    ...(options.tools && client.tools ? { tools: options.tools } : {}),
  });
  const survey =
    options.survey === false
      ? undefined
      : new ModelSurveyPass({
          // A survey is a summary, not a review: low effort and a small answer keep it cheap.
          model: client.structured(SurveyOutputSchema, SURVEY_FORMAT_NAME, {
            ...(options.surveyModel ? { model: options.surveyModel } : {}),
            reasoningEffort: "low",
            maxOutputTokens: SURVEY_OUTPUT_TOKENS,
          }),
          log,
        });
  const synthesis =
    options.synthesis === false
      ? undefined
      : new ModelSynthesisPass({ model: client.structured(SynthesisOutputSchema, SYNTHESIS_FORMAT_NAME, { maxOutputTokens: SYNTHESIS_OUTPUT_TOKENS }), log });
  const verification =
    options.verification === false
      ? undefined
      : new ModelVerificationPass({
          model: client.structured(VerificationOutputSchema, VERIFICATION_FORMAT_NAME, {
            ...(options.verificationModel ? { model: options.verificationModel } : {}),
            maxOutputTokens: VERIFICATION_OUTPUT_TOKENS,
          }),
          log,
        });
  // A server without tool calling (the model profile): every window and pass reviews from the deterministic context
  // (the window's impact section, the pull request's memory) and its instructions do not mention tools.
  const offer = <X>(tools: X | undefined): X | undefined => (client.tools ? tools : undefined);
  return {
    model: windows.model,
    review: (window, evidence, signal, tools) => windows.review(window, evidence, signal, offer(tools)),
    ...(survey ? { survey } : {}),
    ...(synthesis ? { synthesis: { model: synthesis.model, synthesize: (input, signal, tools) => synthesis.synthesize(input, signal, offer(tools)) } } : {}),
    ...(verification
      ? { verification: { model: verification.model, verify: (batch, signal, tools) => verification.verify(batch, signal, offer(tools)) } }
      : {}),
  };
}

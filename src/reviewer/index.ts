export { createReviewer, type ReviewerOptions } from "./create-reviewer.js";
export { MAX_GUIDELINES_CHARS, extractReviewGuidelines } from "./guidelines.js";
export type { Reviewer, WindowReview, WindowTools } from "./reviewer.js";
export { pullRequestMemory } from "./survey/survey-memory.js";
export type { SurveyPass, SurveyResult } from "./survey/survey-pass.js";
export type { SynthesisPass, SynthesisResult } from "./synthesis/synthesis-pass.js";
export type { SynthesisInput } from "./synthesis/synthesis-input.js";
export { reviewTools, type ReviewToolsInput } from "./review-tools.js";

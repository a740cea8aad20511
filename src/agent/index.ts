export { createReviewer, type CreateReviewerOptions } from "./create-reviewer.js";
export {
  ModelAbortedError,
  ModelApiError,
  ModelError,
  ModelIncompleteError,
  ModelOutputError,
  ModelRefusalError,
  ModelTimeoutError,
} from "./errors.js";
export { MAX_GUIDELINES_CHARS, extractReviewGuidelines } from "./guidelines.js";
export { ZERO_USAGE, addUsage, type Reviewer, type TokenUsage, type WindowReview } from "./reviewer.js";

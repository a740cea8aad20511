export { createReviewer } from "./create-reviewer.js";
export { MAX_GUIDELINES_CHARS, extractReviewGuidelines } from "./guidelines.js";
export type { Reviewer, WindowReview, WindowTools } from "./reviewer.js";

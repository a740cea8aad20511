export * from "./change-set.js";
export * from "./finding.js";
export * from "./window.js";
export * from "./survey.js";
export * from "./impact.js";

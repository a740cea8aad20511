export { createRedactor, type Redactor } from "./redactor.js";
export { findSecretRanges } from "./find-secret-ranges.js";
export { redact, placeholder, redactTokenShapes, PLACEHOLDER_PATTERN } from "./redact.js";
export { maskSecret } from "./mask-secret.js";
export { isEnvFile, envValueRanges } from "./env-file.js";
export { scanWithSecretlint, type DetectedSecret, type SecretlintScanOptions } from "./secretlint-scan.js";
export { mergeRanges, rangesByPath, type SecretRange } from "./secret-range.js";
export { tokenPatternRanges } from "./token-patterns.js";

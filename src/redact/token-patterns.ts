import type { SecretRange } from "./secret-range.js";

/**
 * Well-known credential shapes, as a fallback for what secretlint does not
 * report (it skips documented example keys, short PEM bodies and AWS key ids
 * by default). Used for redaction, where a false positive only hides a
 * string from the model.
 */
interface TokenPattern {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Capture group holding the secret; 0 for the whole match. */
  readonly group: number;
}

const PEM_LABEL = "[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?";

const PATTERNS: readonly TokenPattern[] = [
  // A complete block, or one cut off by the end of the text (a truncated hunk).
  { kind: "private-key", pattern: new RegExp(`-----BEGIN ${PEM_LABEL}-----[\\s\\S]*?(?:-----END ${PEM_LABEL}-----|$(?![\\s\\S]))`, "g"), group: 0 },
  { kind: "github-token", pattern: /\bgh[pousr]_[A-Za-z0-9]{30,255}\b/g, group: 0 },
  { kind: "github-token", pattern: /\bgithub_pat_[A-Za-z0-9_]{30,255}\b/g, group: 0 },
  { kind: "aws-access-key", pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g, group: 0 },
  {
    kind: "aws-secret-access-key",
    pattern: /(?:aws)?_?secret_?access_?key["']?\s*(?::|=>|=)\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    group: 1,
  },
  { kind: "slack-token", pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/g, group: 0 },
  // Legacy `sk-` + 48 characters and project/service keys (`sk-proj-…`); at least one digit keeps kebab-case words out.
  { kind: "openai-api-key", pattern: /\bsk-(?:proj-|svcacct-|admin-)?(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{32,}/g, group: 0 },
];

export function tokenPatternRanges(text: string): SecretRange[] {
  const ranges: SecretRange[] = [];
  for (const { kind, pattern, group } of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const value = match[group];
      if (value === undefined || value === "") continue;
      const start = match.index + (group === 0 ? 0 : match[0].indexOf(value));
      ranges.push({ start, end: start + value.length, kind });
    }
  }
  return ranges;
}

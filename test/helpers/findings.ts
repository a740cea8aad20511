import type { Finding } from "../../src/domain/finding.js";

/** A finding with sensible defaults; tests override what they care about. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    path: "src/app.ts",
    line: 2,
    startLine: null,
    side: "RIGHT",
    severity: "P1",
    category: "bug",
    title: "Wrong constant",
    body: "The constant changed meaning.",
    suggestion: null,
    confidence: 0.9,
    source: "agent",
    ruleId: null,
    corroboratedBy: [],
    ...overrides,
  };
}

import { describe, expect, test } from "@jest/globals";
import { ZERO_USAGE } from "../../../src/model/usage.js";
import type { PlacedFinding } from "../../../src/domain/finding.js";
import { MAX_REVIEW_BODY, SUPPRESS_HINT, formatCoverage, formatReviewBody } from "../../../src/review/format-review-body.js";
import type { ReviewResult } from "../../../src/review/run-review.js";
import { finding } from "../../helpers/findings.js";

function result(findings: readonly PlacedFinding[]): ReviewResult {
  return {
    findings,
    coverage: {
      changedLines: findings.length,
      reviewedLines: findings.length,
      foldedLines: 0,
      summarizedLines: 0,
      triagedLines: 0,
      skippedLines: 0,
      skipped: [],
      files: findings.length,
      reviewedFiles: findings.length,
    },
    plan: { diffTokens: 0, tokensSent: 0, compaction: {}, ms: 0, windows: 1, waves: 1 },
    model: null,
    usage: ZERO_USAGE,
    modelCalls: 0,
    durationMs: 1_000,
    notices: [],
  };
}

describe("review body", () => {
  test("thousands of findings in the body: cut at GitHub's limit without formatting every one", () => {
    // Before, every finding was formatted and then all but the first ~100 thrown away: 5,000 long ones took ~2 s on the event loop.
    const long = "A long explanation. ".repeat(2_500);
    // Each finding counts how often its text is read: the behaviour, not a timing, tells whether all were formatted.
    let read = 0;
    const findings = Array.from({ length: 5_000 }, (_, i): PlacedFinding => {
      const f: PlacedFinding = {
        ...finding({ path: `src/m${i}.ts`, title: `Problem ${i}` }),
        placement: "body",
        placementNote: "over the limit of 50 inline comments (review.maxInlineComments)",
      };
      const counted = () => {
        read++;
        return long;
      };
      return Object.defineProperty(f, "body", { get: counted, enumerable: true });
    });
    const body = formatReviewBody(result(findings), { configProblems: [] });
    expect(read).toBeLessThan(200);
    expect(body.length).toBeLessThanOrEqual(MAX_REVIEW_BODY);
    expect(body).toContain("#### Findings not posted as line comments (5000)");
    expect(body).toContain("`src/m0.ts:2`");
    expect(body.endsWith("… (truncated to fit GitHub's limit)")).toBe(true);
  });
});

describe("coverage in the review body and the check run", () => {
  const coverage = {
    changedLines: 4_566,
    reviewedLines: 3_277,
    foldedLines: 45,
    summarizedLines: 1_219,
    triagedLines: 0,
    skippedLines: 25,
    skipped: [{ path: "package-lock.json", reason: "lockfile" as const, lines: 25 }],
    files: 12,
    reviewedFiles: 11,
  };

  test("says how many lines were folded and summarized apart from those reviewed, and what that means", () => {
    const text = formatCoverage(coverage);
    expect(text).toContain("**Coverage:** reviewed 3277 of 4566 changed lines (71.7%) in 11 of 12 files.");
    expect(text).toContain("Changed lines: reviewed 3,277 · folded 45 · summarized 1,219 · skipped 25.");
    expect(text).toContain("folded: the same change in the same enclosing code elsewhere");
    expect(text).not.toContain("triaged");
  });

  test("a review with nothing compacted keeps one sentence", () => {
    const plain = { ...coverage, reviewedLines: 4_541, foldedLines: 0, summarizedLines: 0 };
    expect(formatCoverage(plain)).not.toContain("Changed lines:");
  });

  test("suppressed and dismissed findings are counted, with one line on how to suppress", () => {
    const body = formatReviewBody(result([]), { configProblems: [], suppressed: 2, dismissed: 1 });
    expect(body).toContain("Not reported: 2 findings suppressed by `review.suppress`; 1 finding dismissed on this pull request.");
    expect(body.split(SUPPRESS_HINT)).toHaveLength(2);
    // A clean review with nothing left out says neither.
    const clean = formatReviewBody(result([]), { configProblems: [] });
    expect(clean).not.toContain("Not reported");
    expect(clean).not.toContain("review.suppress");
    // Findings reported: the hint is there to act on them.
    expect(formatReviewBody(result([{ ...finding({}), placement: "inline", placementNote: null }]), { configProblems: [] })).toContain(SUPPRESS_HINT);
  });
});

import { describe, expect, test } from "@jest/globals";
import type { RepoConfig } from "../../../src/config/repo-config.js";
import type { Finding } from "../../../src/domain/finding.js";
import type { Reviewer, WindowReview } from "../../../src/reviewer/index.js";
import { finding } from "../../helpers/findings.js";
import { ANALYZERS_OFF, modulesChangeSet, reviewModules } from "../../helpers/modules-review.js";

/**
 * Self-consistency through the real pipeline: a window whose review reports a
 * P0/P1 finding is reviewed again, independently, and the finding stays only
 * when a majority of the reviews report it. Verification is off here (the
 * reviewer has no verification pass), so what stays is posted as reported.
 */

const changeSet = modulesChangeSet(["src/a.ts"], 40);
const USAGE = { inputTokens: 1_000, outputTokens: 100, reasoningTokens: 0 };
const quoteOf = (line: number) => `export const value${line - 1} = compute(${line - 1}, "src/a.ts");`;
const at = (line: number, over: Partial<Finding>): Finding => finding({ path: "src/a.ts", line, quote: quoteOf(line), confidence: 0.9, ...over });

const STEADY = at(10, { severity: "P0", title: "Steady crash" });
const FLUKE = at(20, { severity: "P1", title: "One-off suspicion" });
const MINOR = at(30, { severity: "P3", title: "Minor" });

/** The first review reports all three; later ones report only the steady crash (a line apart, in other words), or fail. */
function sampledReviewer(later: "steady" | "fail"): Reviewer & { calls: number } {
  const reviewer = {
    model: "gpt-test",
    calls: 0,
    review(): Promise<WindowReview> {
      const n = reviewer.calls++;
      if (n > 0 && later === "fail") return Promise.reject(new Error("sample failed"));
      const findings = n === 0 ? [STEADY, FLUKE, MINOR] : [at(11, { severity: "P0", title: "Process exits on bad input" })];
      return Promise.resolve({ findings, notes: [], usage: USAGE, calls: 1 });
    },
  };
  return reviewer;
}

const withConsistency = (enabled: boolean): RepoConfig => ({
  ...ANALYZERS_OFF,
  review: { ...ANALYZERS_OFF.review, survey: false, synthesis: false },
  verification: { ...ANALYZERS_OFF.verification, selfConsistency: { enabled, samples: 3 } },
});

describe("self-consistency for P0/P1 findings (verification.selfConsistency)", () => {
  test("on: the window is reviewed twice more; a P0/P1 only one review reported is dropped and counted; P2/P3 are untouched", async () => {
    const reviewer = sampledReviewer("steady");
    const result = await reviewModules(changeSet, reviewer, 2, { config: withConsistency(true) });
    expect(result.findings.map((f) => f.title).sort()).toEqual(["Minor", "Steady crash"]);
    expect(reviewer.calls).toBe(3);
    expect(result.modelCalls).toBe(3);
    expect(result.passes?.consistency).toEqual({ usage: { inputTokens: 2_000, outputTokens: 200, reasoningTokens: 0 }, calls: 2 });
    expect(result.funnel).toMatchObject({ candidates: 3, droppedConsistency: 1 });
  });

  test("off (the default): one review per window, everything it reported stays", async () => {
    const reviewer = sampledReviewer("steady");
    const result = await reviewModules(changeSet, reviewer, 2, { config: withConsistency(false) });
    expect(result.findings).toHaveLength(3);
    expect(reviewer.calls).toBe(1);
  });

  test("extra reviews that fail do not vote: the first review stands", async () => {
    const reviewer = sampledReviewer("fail");
    const result = await reviewModules(changeSet, reviewer, 2, { config: withConsistency(true) });
    expect(result.findings).toHaveLength(3);
    expect(result.funnel?.droppedConsistency).toBe(0);
  });
});

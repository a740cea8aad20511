import { describe, expect, test } from "@jest/globals";
import { pino } from "pino";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import type { Finding } from "../../../src/domain/finding.js";
import { ModelApiError } from "../../../src/model/index.js";
import type { BatchVerdicts, CandidateVerdict, VerificationBatch, VerificationPass } from "../../../src/reviewer/index.js";
import { decide, needsVerification, verificationBatches, verifyFindings, type VerificationPolicy } from "../../../src/review/verification.js";
import { ZERO_USAGE } from "../../../src/model/index.js";
import { finding } from "../../helpers/findings.js";
import { windowFile } from "../reviewer/window-fixture.js";

const log = pino({ level: "silent" });
const policy: VerificationPolicy = DEFAULT_REPO_CONFIG.verification;
const verdict = (v: CandidateVerdict["verdict"], score: number): CandidateVerdict => ({ verdict: v, score, reason: `${v} at ${score}` });

describe("decide: a candidate's fate", () => {
  const f = finding({ confidence: 0.6 });
  test.each([
    ["confirmed at minScore is posted, with its score and reason", verdict("confirmed", 0.5), "post"],
    ["confirmed below minScore is dropped", verdict("confirmed", 0.49), "drop"],
    ["rejected is dropped whatever the score", verdict("rejected", 0.95), "drop"],
    ["uncertain is dropped", verdict("uncertain", 0.7), "drop"],
  ] as const)("%s", (_name, v, kind) => {
    const decision = decide(f, { kind: "verdict", verdict: v }, policy);
    expect(decision.kind).toBe(kind);
    if (decision.kind === "post") expect(decision.verification).toEqual({ status: "confirmed", score: v.score, reason: v.reason });
  });

  test("verification off: the reviewer's confidence is the score, held to minScore", () => {
    expect(decide(f, { kind: "off" }, policy)).toEqual({ kind: "post", verification: { status: "unverified", score: 0.6, reason: "verification is off" } });
    expect(decide(finding({ confidence: 0.2 }), { kind: "off" }, policy)).toEqual({ kind: "drop", why: "below-score" });
  });

  test("a failed verification follows onFailure: post marks it failed, withhold and incomplete hold it back", () => {
    expect(decide(f, { kind: "failed", reason: "429" }, { ...policy, onFailure: "post" })).toEqual({
      kind: "post",
      verification: { status: "failed", score: 0.6, reason: "429" },
    });
    expect(decide(f, { kind: "failed", reason: "429" }, { ...policy, onFailure: "withhold" }).kind).toBe("withhold");
    expect(decide(f, { kind: "failed", reason: "429" }, { ...policy, onFailure: "incomplete" }).kind).toBe("withhold");
  });
});

describe("what needs verification", () => {
  test("model findings do; analyzer rules and model findings an analyzer corroborated do not", () => {
    expect(needsVerification(finding({ source: "agent" }))).toBe(true);
    expect(needsVerification(finding({ source: "synthesis" }))).toBe(true);
    expect(needsVerification(finding({ source: "agent", corroboratedBy: ["synthesis"] }))).toBe(true);
    expect(needsVerification(finding({ source: "eslint", ruleId: "no-eval" }))).toBe(false);
    expect(needsVerification(finding({ source: "agent", ruleId: "no-eval", corroboratedBy: ["eslint"] }))).toBe(false);
    expect(needsVerification(finding({ source: "agent", corroboratedBy: ["longview-rules"] }))).toBe(false);
  });
});

describe("batches", () => {
  test("per file, at most the batch size, ids unique within a batch, each with its file's code", () => {
    const fs = [...Array.from({ length: 7 }, (_, i) => finding({ path: "a.ts", line: i + 1 })), finding({ path: "b.ts" })];
    const batches = verificationBatches(fs, [windowFile("a.ts"), windowFile("b.ts"), windowFile("a.ts")], 3);
    expect(batches.map((b) => [b.path, b.candidates.map((c) => c.id).join(","), b.files.length])).toEqual([
      ["a.ts", "F1,F2,F3", 2],
      ["a.ts", "F1,F2,F3", 2],
      ["a.ts", "F1", 2],
      ["b.ts", "F1", 1],
    ]);
  });
});

/** A verifier that answers from a table keyed by title, or throws. */
function fakePass(answer: (f: Finding) => CandidateVerdict | null | "throw"): VerificationPass & { batches: VerificationBatch[] } {
  const batches: VerificationBatch[] = [];
  return {
    model: "fake",
    batches,
    verify(batch: VerificationBatch): Promise<BatchVerdicts> {
      batches.push(batch);
      if (batch.candidates.some((c) => answer(c.finding) === "throw"))
        return Promise.reject(new ModelApiError("Rate limited (429) after 3 retries", 429, "verify", { usage: ZERO_USAGE, calls: 3 }));
      const verdicts = new Map<string, CandidateVerdict>();
      for (const c of batch.candidates) {
        const a = answer(c.finding);
        if (a !== null && a !== "throw") verdicts.set(c.id, a);
      }
      return Promise.resolve({
        verdicts,
        unanswered: batch.candidates.filter((c) => !verdicts.has(c.id)).map((c) => c.id),
        usage: { ...ZERO_USAGE, input: 900, output: 100 },
        calls: 1,
        inputTokens: 900,
      });
    },
  };
}

const real = finding({ title: "real", path: "a.ts", line: 11 });
const falsePositive = finding({ title: "false positive", path: "a.ts", line: 12, severity: "P0" });
const weak = finding({ title: "weak", path: "b.ts", line: 11 });
const rule = finding({ title: "rule", path: "a.ts", source: "eslint", ruleId: "no-eval", confidence: 1 });

describe("verifyFindings", () => {
  const table = (f: Finding): CandidateVerdict | null | "throw" =>
    f.title === "real"
      ? verdict("confirmed", 0.9)
      : f.title === "false positive"
        ? verdict("rejected", 0.1)
        : f.title === "weak"
          ? verdict("confirmed", 0.3)
          : null;

  test("confirmed findings are kept with their verification; rejected and low-scored ones dropped; rules untouched and never sent", async () => {
    const pass = fakePass(table);
    const run = await verifyFindings({
      findings: [real, falsePositive, weak, rule],
      files: [windowFile("a.ts"), windowFile("b.ts")],
      pass,
      policy,
      concurrency: 2,
      log,
    });
    expect(run.findings.map((f) => [f.title, f.verification?.status ?? null])).toEqual([
      ["rule", null],
      ["real", "confirmed"],
    ]);
    expect(pass.batches.flatMap((b) => b.candidates.map((c) => c.finding.title)).sort()).toEqual(["false positive", "real", "weak"]);
    expect(run.dropped).toBe(2);
    expect(run.summary).toMatchObject({ checked: 3, confirmed: 1, rejected: 1, uncertain: 0, belowScore: 1, failed: 0, calls: 2 });
    expect(run.summary.candidates.map((f) => f.title)).toEqual(["real", "false positive", "weak"]);
    expect(run.notices).toEqual([]);
  });

  test("a candidate the verifier did not answer is a failed verification, said in a notice", async () => {
    const run = await verifyFindings({
      findings: [real, weak],
      files: [],
      pass: fakePass((f) => (f.title === "real" ? verdict("confirmed", 0.9) : null)),
      policy: { ...policy, onFailure: "post" },
      concurrency: 1,
      log,
    });
    expect(run.findings.map((f) => [f.title, f.verification?.status])).toEqual([
      ["real", "confirmed"],
      ["weak", "failed"],
    ]);
    expect(run.notices.join("\n")).toMatch(/Verification failed for 1 model finding .*no verdict.*`b\.ts`.*posted marked as not verified/);
  });

  test.each([
    ["post", ["real", "false positive"], 0, 0],
    ["withhold", [], 2, 0],
    ["incomplete", [], 2, 2],
  ] as const)("a verifier that fails, onFailure %s: never silently no findings", async (onFailure, posted, withheld, incomplete) => {
    const run = await verifyFindings({
      findings: [real, falsePositive, rule],
      files: [],
      pass: fakePass(() => "throw"),
      policy: { ...policy, onFailure },
      concurrency: 1,
      log,
    });
    expect(run.findings.filter((f) => f.source === "agent").map((f) => f.title)).toEqual(posted);
    expect(run.findings.some((f) => f.title === "rule")).toBe(true);
    expect(run.withheld).toBe(withheld);
    expect(run.summary).toMatchObject({ failed: 2, incomplete, calls: 3 });
    expect(run.notices).toHaveLength(1);
    expect(run.notices[0]).toContain("Rate limited (429)");
    expect(run.notices[0]).toContain(`verification.onFailure: ${onFailure}`);
    for (const f of run.findings.filter((x) => x.source === "agent")) expect(f.verification).toMatchObject({ status: "failed" });
  });

  test("verification off (no pass): no calls; the reviewer's confidence decides against minScore", async () => {
    const run = await verifyFindings({
      findings: [real, finding({ title: "unsure", confidence: 0.3 }), rule],
      files: [],
      pass: null,
      policy,
      concurrency: 1,
      log,
    });
    expect(run.findings.map((f) => [f.title, f.verification?.status ?? null])).toEqual([
      ["rule", null],
      ["real", "unverified"],
    ]);
    expect(run.summary).toMatchObject({ checked: 0, calls: 0, belowScore: 1 });
  });
});

test("the default failure policy withholds and makes the review incomplete: no model finding is posted without a verdict", () => {
  expect(DEFAULT_REPO_CONFIG.verification.onFailure).toBe("incomplete");
  expect(decide(finding(), { kind: "failed", reason: "500" }, DEFAULT_REPO_CONFIG.verification)).toEqual({ kind: "withhold" });
});

import { describe, expect, test } from "@jest/globals";
import type { Category, Severity } from "../../../src/domain/finding.js";
import { evaluateGate, isGating, gateConclusion, parseFailOn, type GatePolicy, type GateConclusion, type OnIncomplete } from "../../../src/review/gate.js";
import { finding } from "../../helpers/findings.js";

const defaultPolicy: GatePolicy = { severity: "P1", categories: ["bug", "security"], gateScore: 0.8 };

describe("evaluateGate", () => {
  const cases: [string, Severity, Category, GatePolicy, boolean][] = [
    ["P0 security fails by default", "P0", "security", defaultPolicy, false],
    ["P1 bug fails by default", "P1", "bug", defaultPolicy, false],
    ["P2 bug passes by default", "P2", "bug", defaultPolicy, true],
    ["P0 performance passes by default", "P0", "performance", defaultPolicy, true],
    ["P0 other passes by default", "P0", "other", defaultPolicy, true],
    ["P3 bug fails at threshold P3", "P3", "bug", { severity: "P3", categories: ["bug"], gateScore: 0.8 }, false],
    ["P1 performance fails when performance gates", "P1", "performance", { severity: "P1", categories: ["performance"], gateScore: 0.8 }, false],
    ["P1 security passes when only P0 gates", "P1", "security", { severity: "P0", categories: ["security"], gateScore: 0.8 }, true],
  ];
  test.each(cases)("%s", (_name, severity, category, policy, passed) => {
    const verdict = evaluateGate([finding({ severity, category })], policy);
    expect(verdict.passed).toBe(passed);
    expect(verdict.gating).toHaveLength(passed ? 0 : 1);
  });

  test("no findings pass", () => {
    expect(evaluateGate([], defaultPolicy).passed).toBe(true);
  });
});

describe("verification and the gate", () => {
  const p1 = { severity: "P1", category: "bug" } as const;
  test.each([
    ["a deterministic finding (no verification)", undefined, true],
    ["confirmed at the gate score", { status: "confirmed", score: 0.8, reason: "r" }, true],
    ["confirmed below the gate score", { status: "confirmed", score: 0.79, reason: "r" }, false],
    ["unverified (verification off) with the reviewer's confidence above it", { status: "unverified", score: 0.9, reason: "off" }, true],
    ["unverified with the reviewer's confidence below it", { status: "unverified", score: 0.5, reason: "off" }, false],
    ["failed verification, whatever its score", { status: "failed", score: 1, reason: "429" }, false],
  ] as const)("%s", (_name, verification, gating) => {
    expect(isGating({ ...p1, ...(verification ? { verification } : {}) }, defaultPolicy)).toBe(gating);
  });
});

describe("parseFailOn", () => {
  test.each([
    ["P1", { severity: "P1", categories: ["bug", "security"], gateScore: 0.8 }],
    ["P2:bug,performance", { severity: "P2", categories: ["bug", "performance"], gateScore: 0.8 }],
    ["none", null],
  ])("%s", (value, expected) => {
    expect(parseFailOn(value, defaultPolicy)).toEqual(expected);
  });
  test.each(["P5", "high", "P1:style"])("%s is rejected with a reason", (value) => {
    const result = parseFailOn(value, defaultPolicy);
    expect(result).toBeInstanceOf(Error);
    expect((result as Error).message).toMatch(/--fail-on/);
  });
});

describe("gateConclusion: one decision for the check run and the CLI", () => {
  const table: [blocking: number, incomplete: boolean, onIncomplete: OnIncomplete, expected: GateConclusion][] = [
    [0, false, "failure", "success"],
    [0, false, "neutral", "success"],
    [0, false, "success", "success"],
    // A review that did not cover the change concludes as the repository chose; by default it fails.
    [0, true, "failure", "failure"],
    [0, true, "neutral", "neutral"],
    [0, true, "success", "success"],
    // Blocking findings fail whatever the completeness setting.
    [2, false, "failure", "failure"],
    [2, true, "failure", "failure"],
    [2, true, "neutral", "failure"],
    [2, true, "success", "failure"],
  ];
  test.each(table)("%i blocking, incomplete %s, onIncomplete %s → %s", (blocking, incomplete, onIncomplete, expected) => {
    expect(gateConclusion({ blocking, incomplete, onIncomplete })).toBe(expected);
  });
});

import { describe, expect, test } from "@jest/globals";
import { retryOutputTokens, takesReasoning } from "../../../src/model/capabilities.js";

describe("takesReasoning", () => {
  test("auto: OpenAI's reasoning families take reasoning parameters, other models do not", () => {
    for (const model of ["gpt-5", "gpt-5.1-codex-max", "gpt-5-mini", "o1", "o3-mini", "o4-mini-2025-04-16", "openai/gpt-5.1", "O3"]) {
      expect(takesReasoning(model, "auto")).toBe(true);
    }
    for (const model of ["gpt-4o", "gpt-4.1-mini", "qwen3-coder", "llama-3.3-70b", "o2-like", "gpt-50-fake", "deepseek/deepseek-coder"]) {
      expect(takesReasoning(model, "auto")).toBe(false);
    }
  });

  test("on and off override the family check", () => {
    expect(takesReasoning("qwen3-coder", "on")).toBe(true);
    expect(takesReasoning("gpt-5.1-codex-max", "off")).toBe(false);
  });
});

describe("retryOutputTokens", () => {
  test("doubles, capped; null when the cap leaves no more room", () => {
    expect(retryOutputTokens(4000, 64_000)).toBe(8000);
    expect(retryOutputTokens(40_000, 64_000)).toBe(64_000);
    expect(retryOutputTokens(64_000, 64_000)).toBeNull();
    expect(retryOutputTokens(8000, 4000)).toBeNull();
  });
});

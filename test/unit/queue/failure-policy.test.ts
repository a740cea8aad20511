import { describe, expect, test } from "@jest/globals";
import { ModelApiError, ModelOutputError, ModelTimeoutError, NO_SPEND } from "../../../src/model/errors.js";
import { JobHandedBackError, JobShutdownError, JobSupersededError } from "../../../src/queue/errors.js";
import { decideFailure, retryDelayMs, willRetry } from "../../../src/queue/failure-policy.js";
import { classifyError } from "../../../src/review/failure-class.js";

const httpError = (status: number, message = `HTTP ${status}`, headers: Record<string, string> = {}) =>
  Object.assign(new Error(message), { status, response: { headers } });
const live = () => new AbortController().signal;
const aborted = (reason: unknown) => {
  const c = new AbortController();
  c.abort(reason);
  return c.signal;
};

describe("classifyError", () => {
  test.each<[string, unknown, boolean]>([
    ["GitHub 502", httpError(502), true],
    ["GitHub 500 (Octokit's network failure)", httpError(500), true],
    ["GitHub 429", httpError(429), true],
    ["GitHub secondary rate limit (403)", httpError(403, "You have exceeded a secondary rate limit"), true],
    ["GitHub primary rate limit (403, remaining 0)", httpError(403, "API rate limit exceeded", { "x-ratelimit-remaining": "0" }), true],
    ["GitHub 403 forbidden", httpError(403, "Resource not accessible by integration"), false],
    ["GitHub 404", httpError(404), false],
    ["GitHub 422", httpError(422), false],
    ["model 429", new ModelApiError("rate limited", 429, "w1", NO_SPEND), true],
    ["model 503", new ModelApiError("unavailable", 503, "w1", NO_SPEND), true],
    ["model unreachable", new ModelApiError("connection error", null, "w1", NO_SPEND), true],
    ["model 400", new ModelApiError("bad request", 400, "w1", NO_SPEND), false],
    ["model timeout", new ModelTimeoutError("timeout", "w1", NO_SPEND), true],
    ["model invalid output", new ModelOutputError("invalid", "w1", NO_SPEND), false],
    ["connection reset in a cause", new Error("fetch failed", { cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }) }), true],
    ["a plain bug", new TypeError("x is undefined"), false],
  ])("%s → transient %s", (_name, error, transient) => {
    expect(classifyError(error).transient).toBe(transient);
  });

  test("reads how long GitHub asks us to wait", () => {
    expect(classifyError(httpError(403, "secondary rate limit", { "retry-after": "60" })).retryAfterMs).toBe(60_000);
    const now = 1_700_000_000_000;
    const reset = String(now / 1000 + 120);
    expect(classifyError(httpError(403, "rate limit", { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), now).retryAfterMs).toBe(120_000);
  });
});

describe("decideFailure", () => {
  test("transient errors are retried while attempts remain, then fail", () => {
    expect(decideFailure(httpError(502), { attempt: 1, maxAttempts: 3, signal: live() })).toMatchObject({ kind: "retry" });
    expect(decideFailure(httpError(502), { attempt: 3, maxAttempts: 3, signal: live() })).toEqual({
      kind: "fail",
      reason: "GitHub answered 502 after 3 attempts",
    });
    expect(decideFailure(httpError(404), { attempt: 1, maxAttempts: 3, signal: live() })).toMatchObject({ kind: "fail" });
  });

  test("an aborted job is judged by the abort reason, not by what the body threw", () => {
    const ctx = (reason: unknown) => ({ attempt: 1, maxAttempts: 3, signal: aborted(reason) });
    const thrown = new DOMException("aborted", "AbortError");
    expect(decideFailure(thrown, ctx(new JobSupersededError("b".repeat(40), "j2")))).toEqual({ kind: "superseded", newSha: "b".repeat(40) });
    expect(decideFailure(thrown, ctx(new JobHandedBackError()))).toEqual({ kind: "hand_back" });
    expect(decideFailure(httpError(502), ctx(new JobShutdownError()))).toMatchObject({ kind: "fail" });
    expect(willRetry(thrown, ctx(new JobHandedBackError()))).toBe(true);
    expect(willRetry(thrown, ctx(new JobShutdownError()))).toBe(false);
  });
});

describe("retryDelayMs", () => {
  test("doubles per failed attempt, with ±20 % jitter", () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, 1_000, null, () => 0.5))).toEqual([1_000, 2_000, 4_000]);
    expect(retryDelayMs(1, 1_000, null, () => 0)).toBe(800);
    expect(retryDelayMs(1, 1_000, null, () => 1)).toBe(1_200);
  });

  test("never shorter than what the server asked for", () => {
    expect(retryDelayMs(1, 1_000, 60_000, () => 0.5)).toBe(60_000);
  });
});

import { describe, expect, test } from "@jest/globals";
import type { Reviewer, WindowReview } from "../../../src/agent/reviewer.js";
import { ModelApiError } from "../../../src/agent/errors.js";
import type { Window } from "../../../src/domain/window.js";
import { meterReviewer } from "../../../src/ops/meter-reviewer.js";
import { limitReviewer } from "../../../src/queue/limit-reviewer.js";
import { RecentKeys } from "../../../src/queue/recent-keys.js";
import { Semaphore } from "../../../src/queue/semaphore.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("Semaphore", () => {
  test("admits up to its limit, then hands slots over in FIFO order", async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    const releases = await Promise.all([s.acquire(), s.acquire()]);
    const third = s.acquire().then((r) => (order.push(3), r));
    const fourth = s.acquire().then((r) => (order.push(4), r));
    await tick();
    expect([s.active, s.waiting, order]).toEqual([2, 2, []]);
    releases[0]!();
    releases[0]!(); // a second release of the same slot is ignored
    await tick();
    expect(order).toEqual([3]);
    releases[1]!();
    (await third)();
    (await fourth)();
    expect([s.active, s.waiting]).toEqual([0, 0]);
  });

  test("a waiter whose signal fires leaves the line", async () => {
    const s = new Semaphore(1);
    const release = await s.acquire();
    const controller = new AbortController();
    const waiting = s.acquire(controller.signal);
    controller.abort(new Error("superseded"));
    await expect(waiting).rejects.toThrow("superseded");
    expect(s.waiting).toBe(0);
    release();
    expect(s.active).toBe(0);
  });
});

describe("RecentKeys", () => {
  test("forgets the oldest key beyond its capacity", () => {
    const keys = new RecentKeys(2);
    expect([keys.add("a"), keys.add("b"), keys.add("a"), keys.add("c"), keys.add("a")]).toEqual([true, true, false, true, true]);
    expect(keys.size).toBe(2);
  });
});

const review: WindowReview = { findings: [], notes: [], usage: { inputTokens: 100, outputTokens: 20, reasoningTokens: 5 }, calls: 1 };
const window = { id: "w1" } as unknown as Window;

describe("reviewer decorators", () => {
  test("limitReviewer keeps model calls in flight at the limit across all callers", async () => {
    let inFlight = 0;
    let peak = 0;
    const slow: Reviewer = {
      model: "m",
      review: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
        return review;
      },
    };
    const limited = limitReviewer(slow, new Semaphore(3));
    await Promise.all(Array.from({ length: 10 }, () => limited.review(window, [])));
    expect(peak).toBe(3);
    expect(limited.model).toBe("m");
  });

  test("meterReviewer reports what successful and failed windows spent", async () => {
    const spent: [string, number, number][] = [];
    let fail = false;
    const inner: Reviewer = {
      model: "m",
      review: async () => {
        if (fail) throw new ModelApiError("boom", 500, "w1", { calls: 2, usage: { inputTokens: 7, outputTokens: 0, reasoningTokens: 0 } });
        return review;
      },
    };
    const metered = meterReviewer(inner, (model, usage, calls) => spent.push([model, usage.inputTokens, calls]));
    await metered.review(window, []);
    fail = true;
    await expect(metered.review(window, [])).rejects.toThrow("boom");
    expect(spent).toEqual([
      ["m", 100, 1],
      ["m", 7, 2],
    ]);
  });
});

import { describe, expect, test } from "@jest/globals";
import { Semaphore } from "../../../src/util/semaphore.js";

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

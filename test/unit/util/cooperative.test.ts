import { describe, expect, test } from "@jest/globals";
import { cooperative } from "../../../src/util/cooperative.js";

describe("cooperative", () => {
  test("a busy loop that calls it lets timers run; one that only awaits resolved promises does not", async () => {
    const spin = async (step: () => Promise<void>) => {
      let fired = false;
      const timer = setTimeout(() => (fired = true), 0);
      const until = performance.now() + 60;
      while (performance.now() < until) await step();
      clearTimeout(timer);
      return fired;
    };
    expect(await spin(() => Promise.resolve())).toBe(false);
    expect(await spin(cooperative(5))).toBe(true);
  });

  test("it yields only once a slice has passed", async () => {
    let clock = 0;
    const breathe = cooperative(10, () => clock);
    let turned = false;
    setImmediate(() => (turned = true));
    clock = 9;
    await breathe();
    expect(turned).toBe(false);
    clock = 20;
    await breathe();
    expect(turned).toBe(true);
  });
});

import { describe, expect, test } from "@jest/globals";
import type { Reviewer, WindowReview } from "../../../src/reviewer/reviewer.js";
import type { Window } from "../../../src/domain/window.js";
import { modulesChangeSet, reviewModules } from "../../helpers/modules-review.js";

/**
 * The pipeline starts each window as a slot frees up and gives it the notes
 * of the windows finished by then: a scripted reviewer records what every
 * window received.
 */

describe("review memory across windows", () => {
  test("later waves receive earlier windows' notes; every window is reviewed once", async () => {
    const changeSet = modulesChangeSet(["src/a/alpha.ts", "src/b/beta.ts", "src/c/gamma.ts"]);
    const seen: Window[] = [];
    const reviewer: Reviewer = {
      model: "scripted",
      async review(window): Promise<WindowReview> {
        seen.push(window);
        const path = window.local.files[0]!.path;
        return {
          findings: [],
          notes: [{ kind: "api-change", path, text: `note from ${window.id}`, windowId: window.id }],
          usage: { inputTokens: 10, outputTokens: 5, reasoningTokens: 0 },
          calls: 1,
        };
      },
    };
    const result = await reviewModules(changeSet, reviewer, 1);

    expect(result.plan.windows).toBeGreaterThanOrEqual(3);
    expect(result.plan.waves).toBe(result.plan.windows);
    expect(seen.map((w) => w.id)).toEqual([...new Set(seen.map((w) => w.id))]);
    expect(seen[0]!.memory).toEqual([]);
    const last = seen.at(-1)!;
    expect(last.memory.map((n) => n.text)).toEqual(seen.slice(0, -1).map((w) => `note from ${w.id}`));
    expect(last.tokens.total).toBeLessThanOrEqual(6_000);
    expect(result.coverage.reviewedLines).toBe(660);
    expect(result.modelCalls).toBe(seen.length);
  });

  test("a window started when a slot frees up gets the notes finished by then, not those of windows still running", async () => {
    const changeSet = modulesChangeSet(["src/a/alpha.ts", "src/b/beta.ts", "src/c/gamma.ts"]);
    const seen = new Map<string, Window>();
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
    const reviewer: Reviewer = {
      model: "scripted",
      async review(window): Promise<WindowReview> {
        seen.set(window.id, window);
        // w2 runs until w3 has started: w3 takes w1's slot and must see w1's note only.
        if (window.id === "w2") await slow;
        if (window.id === "w3") releaseSlow();
        return {
          findings: [],
          notes: [{ kind: "invariant", path: null, text: `note from ${window.id}`, windowId: window.id }],
          usage: { inputTokens: 10, outputTokens: 5, reasoningTokens: 0 },
          calls: 1,
        };
      },
    };
    const result = await reviewModules(changeSet, reviewer, 2);
    expect(result.plan.windows).toBeGreaterThanOrEqual(3);
    expect(seen.get("w1")!.memory).toEqual([]);
    expect(seen.get("w2")!.memory).toEqual([]);
    expect(seen.get("w3")!.memory.map((n) => n.text)).toEqual(["note from w1"]);
  });
});

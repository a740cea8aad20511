import { describe, expect, test } from "@jest/globals";
import type { Reviewer, WindowReview } from "../../../src/reviewer/reviewer.js";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { buildChangeSet } from "../../../src/diff/build-change-set.js";
import { parseFilePatch } from "../../../src/diff/parse-unified-diff.js";
import type { Window } from "../../../src/domain/window.js";
import { runReview } from "../../../src/review/run-review.js";
import { silentLog } from "../../helpers/github.js";

/**
 * The pipeline starts each window as a slot frees up and gives it the notes
 * of the windows finished by then: a scripted reviewer records what every
 * window received.
 */

function bigFile(path: string, lines: number) {
  const body = Array.from({ length: lines }, (_, i) => `export const value${i} = compute(${i}, "${path}");`);
  return {
    file: parseFilePatch({ path, previousPath: null, status: "added", patch: [`@@ -0,0 +1,${lines} @@`, ...body.map((l) => `+${l}`)].join("\n") }),
    content: `${body.join("\n")}\n`,
  };
}

describe("review memory across windows", () => {
  test("later waves receive earlier windows' notes; every window is reviewed once", async () => {
    const files = ["src/a/alpha.ts", "src/b/beta.ts", "src/c/gamma.ts"].map((p) => bigFile(p, 220));
    const changeSet = buildChangeSet({ files: files.map((f) => f.file), headContents: new Map(files.map((f) => [f.file.path, f.content])) });
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
    const result = await runReview({
      changeSet,
      pr: { title: "Three modules", description: "" },
      guidelines: "",
      config: { ...DEFAULT_REPO_CONFIG, analyzers: { ...DEFAULT_REPO_CONFIG.analyzers, enabled: false } },
      budget: { windowTokens: 6_000, outputTokens: 1_000, contextTokens: 128_000 },
      reviewer,
      analyzers: [],
      windowConcurrency: 1,
      log: silentLog,
    });

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
    const files = ["src/a/alpha.ts", "src/b/beta.ts", "src/c/gamma.ts"].map((p) => bigFile(p, 220));
    const changeSet = buildChangeSet({ files: files.map((f) => f.file), headContents: new Map(files.map((f) => [f.file.path, f.content])) });
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
    const result = await runReview({
      changeSet,
      pr: { title: "Three modules", description: "" },
      guidelines: "",
      config: { ...DEFAULT_REPO_CONFIG, analyzers: { ...DEFAULT_REPO_CONFIG.analyzers, enabled: false } },
      budget: { windowTokens: 6_000, outputTokens: 1_000, contextTokens: 128_000 },
      reviewer,
      analyzers: [],
      windowConcurrency: 2,
      log: silentLog,
    });
    expect(result.plan.windows).toBeGreaterThanOrEqual(3);
    expect(seen.get("w1")!.memory).toEqual([]);
    expect(seen.get("w2")!.memory).toEqual([]);
    expect(seen.get("w3")!.memory.map((n) => n.text)).toEqual(["note from w1"]);
  });
});

import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { createDefaultAnalyzers, runAnalyzers } from "../../../src/analyzers/index.js";
import { createReviewPool, pooledAnalyzers, pooledPlanWindows, type ReviewPool } from "../../../src/compute/review-pool.js";
import { WindowBudgetError } from "../../../src/context/errors.js";
import { buildChangeSet } from "../../../src/diff/build-change-set.js";
import { computeFileDiff } from "../../../src/diff/compute-file-diff.js";
import type { ChangeSet } from "../../../src/domain/change-set.js";
import { planWindows, type WindowPlanRequest } from "../../../src/review/plan-windows.js";
import { silentLog } from "../../helpers/github.js";

/**
 * The review stages on worker threads give exactly what they give inline:
 * the same analyzer findings and the same window plan (redacted), for the
 * bundled sample pull request plus a file full of secrets. Errors that
 * callers tell apart keep their class across the thread boundary.
 */

const SAMPLE = new URL("../../../tools/demo/sample/", import.meta.url);
const FILES = ["src/db.js", "src/orders.js", "src/pricing.js", "src/server.js", "README.md"];
let changeSet: ChangeSet;
let pool: ReviewPool;

beforeAll(async () => {
  const files = [];
  const headContents = new Map<string, string>();
  for (const path of FILES) {
    const [oldText, newText] = await Promise.all([readFile(new URL(`base/${path}`, SAMPLE), "utf8"), readFile(new URL(`head/${path}`, SAMPLE), "utf8")]);
    files.push(computeFileDiff({ path, previousPath: null, status: "modified", oldText, newText }));
    headContents.set(path, newText);
  }
  const leaky = await readFile(new URL("../../fixtures/redact/leaky-config.js", import.meta.url), "utf8");
  files.push(computeFileDiff({ path: "deploy/config.js", previousPath: null, status: "added", oldText: "", newText: leaky }));
  headContents.set("deploy/config.js", leaky);
  // Enough code for several windows.
  for (let i = 0; i < 12; i++) {
    const text = Array.from({ length: 60 }, (_, j) => `export function step${i}_${j}(input) {\n  return input.map((x) => x * ${j} + ${i});\n}`).join("\n");
    files.push(computeFileDiff({ path: `src/steps/step${i}.js`, previousPath: null, status: "added", oldText: "", newText: text }));
    headContents.set(`src/steps/step${i}.js`, text);
  }
  changeSet = buildChangeSet({ files, headContents });
  pool = createReviewPool({ threads: 2, taskTimeoutMs: 120_000, log: silentLog });
});

afterAll(async () => {
  await pool?.close();
});

function request(overrides: Partial<WindowPlanRequest> = {}): WindowPlanRequest {
  return {
    changeSet,
    pr: { title: "Add search (key AKIAAF4FJTRS6Y6X4TTI)", description: "Token ghp_U73TbiGuc1X8d5FM0CLPGNIFowY0qz8Y56lO for CI" },
    guidelines: "Prefer parameterised queries.",
    budget: { windowTokens: 3_000, outputTokens: 2_000, contextTokens: 272_000 },
    options: { waveSize: 2, memoryTokenCap: 500 },
    flaggedSecrets: [],
    redact: true,
    ...overrides,
  };
}

describe("review stages on worker threads", () => {
  test("the default analyzers find the same as inline, filtered by the caller's line map", async () => {
    const input = { files: changeSet.files, headContents: changeSet.headContents, lineMap: changeSet.lineMap, filter: "added" as const };
    const inline = await runAnalyzers(createDefaultAnalyzers(), input, silentLog);
    const pooled = await runAnalyzers(pooledAnalyzers(pool), input, silentLog);
    expect(inline.errors).toEqual([]);
    expect(inline.findings.length).toBeGreaterThan(3);
    expect(pooled).toEqual(inline);
  }, 120_000);

  test("the window plan is the same as inline, secrets redacted", async () => {
    const inline = await planWindows(request());
    const pooled = await pooledPlanWindows(pool)(request());
    expect({ ...pooled, stats: { ...pooled.stats, ms: 0 } }).toEqual({ ...inline, stats: { ...inline.stats, ms: 0 } });
    expect(pooled.windows.length).toBeGreaterThan(1);
    const text = JSON.stringify(pooled.windows);
    expect(text).not.toContain("AKIAAF4FJTRS6Y6X4TTI");
    expect(text).not.toContain("ghp_U73TbiGuc1X8d5FM0CLPGNIFowY0qz8Y56lO");
    expect(text).toContain("[REDACTED:");
  }, 120_000);

  test("an impact crosses to the worker and back: the same plan as inline, with the impact section", async () => {
    const sig = { line: 1, parameters: null, returnType: null };
    const impact = {
      notices: [],
      changes: [
        {
          path: "src/orders.js",
          symbol: "query",
          renamedTo: null,
          kind: "signature-changed" as const,
          aspects: ["parameters-added" as const],
          before: { ...sig, text: "function query(sql) {" },
          after: { ...sig, text: "function query(sql, params) {" },
          usages: [{ path: "src/other.js", line: 7, text: "query(`SELECT 1`)", kind: "call" as const, argumentCount: 1 }],
          usagesTruncated: false,
        },
      ],
    };
    const withImpact = request({
      budget: { windowTokens: 8_000, outputTokens: 2_000, contextTokens: 272_000 },
      options: { waveSize: 2, memoryTokenCap: 500, impact },
    });
    const inline = await planWindows(withImpact);
    const pooled = await pooledPlanWindows(pool)(withImpact);
    expect({ ...pooled, stats: { ...pooled.stats, ms: 0 } }).toEqual({ ...inline, stats: { ...inline.stats, ms: 0 } });
    expect(pooled.windows.some((w) => w.local.impact?.includes("src/other.js:7"))).toBe(true);
  }, 120_000);

  test("a budget with no room fails with WindowBudgetError, as inline", async () => {
    const bad = request({ budget: { windowTokens: 2_000, outputTokens: 2_000, contextTokens: 3_000 } });
    await expect(planWindows(bad)).rejects.toBeInstanceOf(WindowBudgetError);
    await expect(pooledPlanWindows(pool)(bad)).rejects.toBeInstanceOf(WindowBudgetError);
  }, 120_000);

  test("the review's abort stops the planning at once", async () => {
    const controller = new AbortController();
    const planning = pooledPlanWindows(pool)(request(), controller.signal);
    const reason = new Error("superseded by a newer push");
    controller.abort(reason);
    await expect(planning).rejects.toBe(reason);
  });
});

import { describe, expect, jest, test } from "@jest/globals";
import type { Analyzer, AnalyzerInput, AnalyzerReport } from "../../../src/analyzers/analyzer.js";
import { INLINE_STAGES, fitsInline, runsInline, stagedAnalyzers, type ReviewPool } from "../../../src/compute/review-pool.js";
import { buildChangeSet } from "../../../src/diff/build-change-set.js";
import { computeFileDiff } from "../../../src/diff/compute-file-diff.js";
import type { ChangedFile } from "../../../src/domain/change-set.js";

/**
 * Which changes stay on the event loop: a few small JavaScript (or other non-TypeScript) files; anything
 * larger, or TypeScript (whose parser lives only on the threads), goes to the pool.
 */

function added(path: string, lines: number): { file: ChangedFile; content: string } {
  const content = Array.from({ length: lines }, (_, i) => `export const v${i} = ${i};`).join("\n");
  return { file: computeFileDiff({ path, previousPath: null, status: "added", oldText: "", newText: content }), content };
}

function change(...files: { file: ChangedFile; content: string }[]) {
  return { files: files.map((f) => f.file), headContents: new Map(files.map((f) => [f.file.path, f.content])) };
}

describe("runsInline", () => {
  test("a two-file JavaScript change runs inline", () => {
    const { files, headContents } = change(added("lib/a.js", 10), added("test/a.test.js", 20));
    expect(runsInline(files, headContents)).toBe(true);
  });

  test("TypeScript, too many files, too many changed lines or too much head content go to the pool", () => {
    const ts = change(added("src/a.ts", 5));
    expect(runsInline(ts.files, ts.headContents)).toBe(false);
    const many = change(...Array.from({ length: INLINE_STAGES.files + 1 }, (_, i) => added(`lib/f${i}.js`, 2)));
    expect(runsInline(many.files, many.headContents)).toBe(false);
    const long = change(added("lib/long.js", INLINE_STAGES.changedLines + 1));
    expect(runsInline(long.files, long.headContents)).toBe(false);
    const small = added("lib/small.js", 3);
    const big = { files: [small.file], headContents: new Map([[small.file.path, "x".repeat(INLINE_STAGES.headBytes + 1)]]) };
    expect(runsInline(big.files, big.headContents)).toBe(false);
  });

  test("a pull request's size decides whether its threads are warmed", () => {
    expect(fitsInline({ files: 2, changedLines: 26 })).toBe(true);
    expect(fitsInline({ files: 65, changedLines: 4_514 })).toBe(false);
  });
});

describe("stagedAnalyzers", () => {
  const report: AnalyzerReport = { findings: [], secrets: [] };

  function setup() {
    const run = jest.fn(async () => report);
    const pool = { run } as unknown as ReviewPool;
    const analyze = jest.fn(async (_input: AnalyzerInput) => report);
    const inline: Analyzer[] = [{ name: "eslint", analyze }];
    const eslint = stagedAnalyzers(pool, inline).find((a) => a.name === "eslint")!;
    return { run, analyze, eslint };
  }

  function input(...files: { file: ChangedFile; content: string }[]): AnalyzerInput {
    const changeSet = buildChangeSet(change(...files));
    return { files: changeSet.files, headContents: changeSet.headContents, lineMap: changeSet.lineMap, filter: "added" };
  }

  test("a small change is analyzed by the event loop's analyzer, no task reaches the pool", async () => {
    const { run, analyze, eslint } = setup();
    await eslint.analyze(input(added("lib/a.js", 4)));
    expect(analyze).toHaveBeenCalledTimes(1);
    expect(run).not.toHaveBeenCalled();
  });

  test("a TypeScript change goes to the pool", async () => {
    const { run, analyze, eslint } = setup();
    await eslint.analyze(input(added("src/a.ts", 4)));
    expect(run).toHaveBeenCalledTimes(1);
    expect(analyze).not.toHaveBeenCalled();
  });
});

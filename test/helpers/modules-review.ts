import { DEFAULT_REPO_CONFIG } from "../../src/config/repo-config.js";
import { buildChangeSet } from "../../src/diff/build-change-set.js";
import { parseFilePatch } from "../../src/diff/parse-unified-diff.js";
import type { ChangeSet } from "../../src/domain/change-set.js";
import { runReview, type ReviewInput, type ReviewResult } from "../../src/review/run-review.js";
import type { Reviewer } from "../../src/reviewer/reviewer.js";
import { silentLog } from "./github.js";

/**
 * Added modules large enough that each fills a window of 6,000 tokens, and the
 * one review call the memory, survey and synthesis tests make over them
 * (analyzers off, so only the reviewer speaks).
 */

/** `line(i)` replaces the i-th line (from 0) when it returns text, e.g. to plant a secret. */
export function bigFile(path: string, lines: number, line: (i: number) => string | undefined = () => undefined) {
  const body = Array.from({ length: lines }, (_, i) => line(i) ?? `export const value${i} = compute(${i}, "${path}");`);
  return {
    file: parseFilePatch({ path, previousPath: null, status: "added", patch: [`@@ -0,0 +1,${lines} @@`, ...body.map((l) => `+${l}`)].join("\n") }),
    content: `${body.join("\n")}\n`,
  };
}

export function modulesChangeSet(paths: readonly string[], lines = 220, line?: (i: number) => string | undefined): ChangeSet {
  const files = paths.map((p) => bigFile(p, lines, line));
  return buildChangeSet({ files: files.map((f) => f.file), headContents: new Map(files.map((f) => [f.file.path, f.content])) });
}

export const ANALYZERS_OFF = { ...DEFAULT_REPO_CONFIG, analyzers: { ...DEFAULT_REPO_CONFIG.analyzers, enabled: false } };

export function reviewModules(
  changeSet: ChangeSet,
  reviewer: Reviewer | null,
  windowConcurrency: number,
  extra: Partial<Pick<ReviewInput, "config" | "deterministicNotes" | "pr">> = {},
): Promise<ReviewResult> {
  return runReview({
    changeSet,
    pr: { title: "Three modules", description: "" },
    guidelines: "",
    config: ANALYZERS_OFF,
    budget: { windowTokens: 6_000, outputTokens: 1_000, contextTokens: 128_000 },
    reviewer,
    analyzers: [],
    windowConcurrency,
    log: silentLog,
    ...extra,
  });
}

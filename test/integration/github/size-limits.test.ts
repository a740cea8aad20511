import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { buildWindowPlan, initSyntax } from "../../../src/context/index.js";
import { fetchChangeSet, type FetchOptions } from "../../../src/github/fetch-change-set.js";
import { PullRequestSchema } from "../../../src/github/schemas.js";
import { formatCoverage } from "../../../src/review/format-review-body.js";
import { GITHUB_API, silentLog, testOctokit } from "../../helpers/github.js";

/**
 * A 3,000-file pull request (GitHub's listing cap) against the size limits:
 * what is reviewed stays within LONGVIEW_MAX_CHANGED_LINES and
 * LONGVIEW_MAX_TOTAL_BYTES, memory stays bounded by them, and everything left
 * out is listed with the limit that left it out.
 */

const FILES = 3_000;
const LINES_PER_FILE = 20;
const CONTENT_BYTES = 40_000;
const ref = { owner: "o", repo: "r", pullNumber: 3 };
const pr = PullRequestSchema.parse({
  number: 3,
  title: "Huge refactoring",
  body: null,
  state: "open",
  user: { login: "u" },
  changed_files: 3_400,
  additions: 3_400 * LINES_PER_FILE,
  deletions: 0,
  head: { sha: "HEAD", ref: "feature", repo: { full_name: "o/r" } },
  base: { sha: "BASE", ref: "main", repo: { full_name: "o/r" } },
});

/** `global.gc`, without starting jest with --expose-gc. */
let gc: () => void;
beforeAll(async () => {
  setFlagsFromString("--expose-gc");
  gc = runInNewContext("gc") as () => void;
  await initSyntax();
});
afterEach(() => nock.cleanAll());

function fileEntry(i: number) {
  const lines = Array.from({ length: LINES_PER_FILE }, (_, j) => `+export const v${j} = compute(${i}, ${j});`);
  return {
    sha: `blob${i}`,
    filename: `src/module${String(i).padStart(4, "0")}.ts`,
    status: "added",
    additions: LINES_PER_FILE,
    deletions: 0,
    changes: LINES_PER_FILE,
    patch: [`@@ -0,0 +1,${LINES_PER_FILE} @@`, ...lines].join("\n"),
  };
}

function mockHugePullRequest(): { blobsServed: () => number } {
  let served = 0;
  const scope = nock(GITHUB_API);
  for (let page = 1; page <= FILES / 100; page++) {
    const entries = Array.from({ length: 100 }, (_, k) => fileEntry((page - 1) * 100 + k));
    const link: Record<string, string> =
      page < FILES / 100 ? { link: `<${GITHUB_API}/repos/o/r/pulls/3/files?per_page=100&page=${page + 1}>; rel="next"` } : {};
    scope
      .get("/repos/o/r/pulls/3/files")
      .query(page === 1 ? { per_page: "100" } : { per_page: "100", page: String(page) })
      .reply(200, entries, link);
  }
  scope
    .get(/\/repos\/o\/r\/git\/blobs\/blob\d+/)
    .times(FILES)
    .reply(200, (request) => {
      served++;
      const i = Number(/blob(\d+)/.exec(request.url)?.[1]);
      const text = `// module ${i}\n${"export const filler = 'abcdefghijklmnopqrstuvwxyz0123456789';\n".repeat(CONTENT_BYTES / 60)}`;
      return { content: Buffer.from(text).toString("base64"), encoding: "base64", size: text.length };
    });
  return { blobsServed: () => served };
}

async function measured<T>(run: () => Promise<T>): Promise<{ value: T; peakMb: number; retainedMb: number }> {
  gc();
  const before = process.memoryUsage();
  const base = before.heapUsed + before.arrayBuffers;
  let peak = 0;
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peak = Math.max(peak, now.heapUsed + now.arrayBuffers - base);
  }, 2);
  let value: T;
  try {
    value = await run();
  } finally {
    clearInterval(timer);
  }
  gc();
  const after = process.memoryUsage();
  const mb = (n: number) => Math.round(n / 1e5) / 10;
  return { value, peakMb: mb(peak), retainedMb: mb(after.heapUsed + after.arrayBuffers - base) };
}

describe("a 3,000-file pull request under the size limits", () => {
  test("reviews within the changed-line and byte limits, memory bounded, every file left out listed with its limit", async () => {
    const github = mockHugePullRequest();
    const options: FetchOptions = {
      filter: { include: ["**"], exclude: [], skipGenerated: true },
      maxFileBytes: 1_000_000,
      maxFiles: 3_000,
      maxChangedLines: 20_000,
      maxTotalBytes: 8_000_000,
      concurrency: 8,
      log: silentLog,
    };
    const { value: changeSet, peakMb, retainedMb } = await measured(() => fetchChangeSet(testOctokit(), ref, pr, options));

    // 20,000 changed lines at 20 per file: the first 1,000 files in GitHub's order.
    expect(changeSet.files).toHaveLength(1_000);
    expect(changeSet.files[0]!.path).toBe("src/module0000.ts");
    expect(changeSet.files.reduce((n, f) => n + f.additions + f.deletions, 0)).toBe(20_000);
    const overLines = changeSet.skipped.filter((s) => s.detail === "over the limit of 20,000 changed lines per review (LONGVIEW_MAX_CHANGED_LINES)");
    expect(overLines).toHaveLength(2_000);
    // Files past the limits are never downloaded.
    expect(github.blobsServed()).toBe(1_000);
    expect(changeSet.skipped.find((s) => s.reason === "github-file-cap")).toMatchObject({ path: "(400 more files)", lines: 400 * LINES_PER_FILE });

    // Head contents share the byte budget with the diffs: context for some files, the rest reviewed from the diff alone.
    const contentBytes = [...changeSet.headContents.values()].reduce((n, t) => n + t.length, 0);
    const diffBytes = changeSet.files.reduce((n, f) => n + f.hunks.reduce((m, h) => m + h.lines.reduce((k, l) => k + l.text.length + 1, 0), 0), 0);
    expect(contentBytes + diffBytes).toBeLessThanOrEqual(options.maxTotalBytes!);
    expect(changeSet.headContents.size).toBeGreaterThan(100);
    expect(changeSet.headContents.size).toBeLessThan(changeSet.files.length);

    // Measured here without the limits: peak 240 MB, retained 143 MB (all 3,000 files with their head versions).
    process.stdout.write(`3,000-file PR: peak heap growth ${peakMb} MB, retained ${retainedMb} MB\n`);
    // Alone: retained ~28 MB, peak ~59 MB. Beside other suites in the same jest worker the figures wander (55 MB retained,
    // 235 MB peak seen on a loaded machine), so the test only tells "limited" from "everything held"; the figures are printed.
    expect(retainedMb).toBeLessThan(90);

    // The report says so, in the review body and the check run (both use formatCoverage).
    const plan = buildWindowPlan(
      changeSet,
      { title: pr.title, description: "", guidelines: "" },
      { windowTokens: 24_000, outputTokens: 8_000, contextTokens: 272_000 },
    );
    const text = formatCoverage(plan.coverage);
    expect(text).toContain("**Coverage:** reviewed 20000 of 68000 changed lines (29.4%) in 1000 of 3400 files.");
    expect(text).toContain(
      "**Too large:** reviewed 1,000 of 3,400 files. Left out by size limits: 2,000 files (40,000 changed lines): over the limit of 20,000 changed lines per review (LONGVIEW_MAX_CHANGED_LINES); 400 files (8,000 changed lines): GitHub lists at most 3,000 files of a pull request; this one changes 3,400.",
    );
  }, 60_000);
});

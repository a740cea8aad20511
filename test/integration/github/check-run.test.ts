import { afterEach, describe, expect, jest, test } from "@jest/globals";
import nock from "nock";
import { CheckRun } from "../../../src/github/check-run.js";
import { MAX_CHECK_TEXT, fitCheckText, reviewedOutcome, toAnnotation, type CheckOutcome } from "../../../src/review/check-output.js";
import type { ReviewResult } from "../../../src/review/run-review.js";
import { finding } from "../../helpers/findings.js";
import { GITHUB_API, silentLog, testOctokit } from "../../helpers/github.js";

const repo = { owner: "o", repo: "r" };
/** The default completeness settings of `.github/longview.yml`. */
const COMPLETE = { onIncomplete: "failure", maxUnreviewedLines: 0 } as const;
afterEach(() => nock.cleanAll());

/** A run created for this review (no earlier one on the head), progress at most once a minute. */
const openNewRun = () =>
  CheckRun.open(testOctokit(), repo, { name: "Longview", headSha: "abc", externalId: "7", log: silentLog, minProgressIntervalMs: 60_000, existing: [] });

function result(count: number): ReviewResult {
  return {
    findings: Array.from({ length: count }, (_, i) => ({
      ...finding({ line: i + 1, severity: i === 0 ? "P1" : "P3", category: i === 0 ? "security" : "bug", title: `Problem ${i + 1}` }),
      placement: "inline" as const,
      placementNote: null,
    })),
    coverage: {
      changedLines: 10,
      reviewedLines: 10,
      foldedLines: 0,
      summarizedLines: 0,
      triagedLines: 0,
      skippedLines: 0,
      skipped: [],
      files: 1,
      reviewedFiles: 1,
    },
    plan: { diffTokens: 100, tokensSent: 120, compaction: {}, ms: 3, windows: 1, waves: 1 },
    model: "gpt-5.1-codex-max",
    usage: { inputTokens: 1000, outputTokens: 200, reasoningTokens: 50 },
    modelCalls: 1,
    durationMs: 2_000,
    notices: [],
  };
}

describe("CheckRun", () => {
  test("open: one in_progress run on the head commit", async () => {
    let body: unknown;
    nock(GITHUB_API)
      .post("/repos/o/r/check-runs", (b: unknown) => ((body = b), true))
      .reply(201, { id: 9 });
    const run = await CheckRun.open(testOctokit(), repo, { name: "Longview", headSha: "abc", externalId: "7", log: silentLog, existing: [] });
    expect(run.id).toBe(9);
    expect(body).toEqual({
      name: "Longview",
      head_sha: "abc",
      external_id: "7",
      status: "in_progress",
      started_at: expect.any(String),
      output: { title: "Reviewing…", summary: "Longview is reviewing this commit." },
    });
  });

  test("open: an unfinished run of the same review on the head is continued, not duplicated", async () => {
    const listed = {
      total_count: 3,
      check_runs: [
        { id: 5, status: "completed", conclusion: "success", external_id: "7" },
        { id: 6, status: "in_progress", conclusion: null, external_id: "8" },
        { id: 7, status: "in_progress", conclusion: null, external_id: "7" },
      ],
    };
    nock(GITHUB_API).get("/repos/o/r/commits/abc/check-runs").query({ check_name: "Longview", filter: "all", per_page: "100" }).reply(200, listed);
    const run = await CheckRun.open(testOctokit(), repo, { name: "Longview", headSha: "abc", externalId: "7", log: silentLog });
    expect(run.id).toBe(7);
    expect(nock.isDone()).toBe(true);
  });

  test("open: a 502 after GitHub created the run is resolved by looking; the run is not created twice", async () => {
    let creates = 0;
    const created = { total_count: 1, check_runs: [{ id: 11, status: "in_progress", conclusion: null, external_id: "7" }] };
    nock(GITHUB_API)
      .post("/repos/o/r/check-runs")
      .reply(() => {
        creates++;
        return [502, { message: "Server Error" }];
      })
      .get("/repos/o/r/commits/abc/check-runs")
      .query(true)
      .reply(200, created);
    const run = await CheckRun.open(testOctokit(), repo, { name: "Longview", headSha: "abc", externalId: "7", log: silentLog, existing: [] });
    expect(run.id).toBe(11);
    expect(creates).toBe(1);
  });

  test("complete: 120 annotations go in batches of 50, 50 and 20; only the last update completes the run", async () => {
    const updates: Array<{ status?: string; conclusion?: string; output: { annotations: unknown[]; title: string } }> = [];
    nock(GITHUB_API)
      .patch("/repos/o/r/check-runs/9", (b: (typeof updates)[number]) => (updates.push(b), true))
      .times(3)
      .reply(200, { id: 9 });
    const outcome = reviewedOutcome(result(120), { ...COMPLETE, severity: "P1", categories: ["bug", "security"], gateScore: 0.8 }, []);
    await CheckRun.attach(testOctokit(), repo, 9, "Longview", silentLog).complete(outcome);

    expect(updates.map((u) => [u.status, u.conclusion, u.output.annotations.length])).toEqual([
      [undefined, undefined, 50],
      [undefined, undefined, 50],
      ["completed", "failure", 20],
    ]);
    expect(updates[2]!.output.title).toBe("1 blocking finding (P1 or worse in bug/security)");
    expect(updates[0]!.output.annotations[0]).toEqual({
      path: "src/app.ts",
      start_line: 1,
      end_line: 1,
      annotation_level: "failure",
      title: "P1 security: Problem 1",
      message: expect.stringContaining("The constant changed meaning."),
    });
  });

  test("progress updates are throttled from the run's creation; once a count is shown the final one always goes through", async () => {
    const titles: string[] = [];
    nock(GITHUB_API)
      .post("/repos/o/r/check-runs")
      .reply(201, { id: 9 })
      .patch("/repos/o/r/check-runs/9", (b: { output: { title: string } }) => (titles.push(b.output.title), true))
      .times(2)
      .reply(200, { id: 9 });
    let now = 1_000_000;
    const clock = jest.spyOn(Date, "now").mockImplementation(() => now);
    try {
      const run = await openNewRun();
      await run.progress(1, 10);
      now += 60_000;
      for (let done = 2; done <= 10; done++) await run.progress(done, 10);
    } finally {
      clock.mockRestore();
    }
    expect(titles).toEqual(["Reviewing… 2/10 windows", "Reviewing… 10/10 windows"]);
  });

  test("a review that completes within the interval writes no count: the completion follows at once", async () => {
    const patched = jest.fn();
    nock(GITHUB_API)
      .post("/repos/o/r/check-runs")
      .reply(201, { id: 9 })
      .patch("/repos/o/r/check-runs/9", () => (patched(), true))
      .reply(200, { id: 9 });
    const run = await openNewRun();
    for (let done = 1; done <= 3; done++) await run.progress(done, 3);
    expect(patched).not.toHaveBeenCalled();
  });

  test("a run a re-run request names shows its count at once", async () => {
    const titles: string[] = [];
    nock(GITHUB_API)
      .patch("/repos/o/r/check-runs/12", (b: { output: { title: string } }) => (titles.push(b.output.title), true))
      .times(2)
      .reply(200, { id: 12 });
    const run = CheckRun.attach(testOctokit(), repo, 12, "Longview", silentLog);
    await run.progress(0, 1);
    await run.progress(1, 1);
    expect(titles).toEqual(["Reviewing… 0/1 windows", "Reviewing… 1/1 windows"]);
  });

  test("a clean review succeeds; a below-gate finding passes with a title saying so", () => {
    const gate = { ...COMPLETE, severity: "P1", categories: ["bug", "security"], gateScore: 0.8 } as const;
    expect(reviewedOutcome(result(0), gate, []).conclusion).toBe("success");
    const below = reviewedOutcome({ ...result(2), findings: result(2).findings.slice(1) }, gate, []);
    expect(below).toMatchObject({ conclusion: "success", title: "Passed: 1 finding below the gate (P1 or worse in bug/security)" });
  });

  test("a review that did not cover the change never concludes success by default; the title says what was not reviewed", () => {
    const cap = { path: "(2001 more files)", reason: "github-file-cap" as const, lines: 2_001, files: 2_001 };
    const capped: ReviewResult = {
      ...result(0),
      coverage: {
        changedLines: 5_001,
        reviewedLines: 3_000,
        foldedLines: 0,
        summarizedLines: 0,
        triagedLines: 0,
        skippedLines: 2_001,
        skipped: [cap],
        files: 3_001,
        reviewedFiles: 3_000,
      },
    };
    const gate = { ...COMPLETE, severity: "P1", categories: ["bug", "security"], gateScore: 0.8 } as const;

    const outcome = reviewedOutcome(capped, gate, []);
    expect(outcome.conclusion).toBe("failure");
    expect(outcome.title).toBe("Incomplete: 2,001 of 5,001 files not listed by GitHub");
    expect(outcome.summary).toMatch(/^\*\*Incomplete review\.\*\*/);
    expect(outcome.summary).toContain("set `gate.onIncomplete: neutral` (or `success`) in `.github/longview.yml`");

    // Accepting incomplete reviews is the repository's choice.
    expect(reviewedOutcome(capped, { ...gate, onIncomplete: "neutral" }, []).conclusion).toBe("neutral");
    expect(reviewedOutcome(capped, { ...gate, onIncomplete: "success" }, []).conclusion).toBe("success");

    // Failed model windows: incomplete too, with the re-run instructions.
    const modelFailed = reviewedOutcome({ ...result(0), windowsFailed: 1 }, gate, []);
    expect(modelFailed).toMatchObject({ conclusion: "failure", title: "Incomplete: the model could not review 1 of 1 windows" });
    expect(modelFailed.summary).toContain("use **Re-run** on this check or comment `/agent review`");

    // Blocking findings and gaps: failure, and the title says both.
    const both = reviewedOutcome({ ...capped, findings: result(1).findings }, { ...gate, onIncomplete: "neutral" }, []);
    expect(both).toMatchObject({
      conclusion: "failure",
      title: "1 blocking finding (P1 or worse in bug/security). Incomplete: 2,001 of 5,001 files not listed by GitHub",
    });
  });

  test("size skips within gate.maxUnreviewedLines do not make a review incomplete", () => {
    const tooLarge = { path: "data.json", reason: "too-large" as const, lines: 40, detail: "a line of 9,000 characters" };
    const skippedLarge: ReviewResult = {
      ...result(0),
      coverage: {
        changedLines: 50,
        reviewedLines: 10,
        foldedLines: 0,
        summarizedLines: 0,
        triagedLines: 0,
        skippedLines: 40,
        skipped: [tooLarge],
        files: 2,
        reviewedFiles: 1,
      },
    };
    const gate = { ...COMPLETE, severity: "P1", categories: ["bug"], gateScore: 0.8 } as const;
    expect(reviewedOutcome(skippedLarge, gate, [])).toMatchObject({ conclusion: "failure", title: "Incomplete: 1 file (40 changed lines) over size limits" });
    expect(reviewedOutcome(skippedLarge, { ...gate, maxUnreviewedLines: 40 }, [])).toMatchObject({ conclusion: "success", title: "No problems found" });
  });

  test("earlier open gating findings keep the gate closed", () => {
    const outcome = reviewedOutcome(result(0), { ...COMPLETE, severity: "P1", categories: ["bug"], gateScore: 0.8 }, [], [{ severity: "P0", category: "bug" }]);
    expect(outcome.conclusion).toBe("failure");
    expect(outcome.summary).toContain("1 blocking finding from earlier reviews is still open");
  });
});

describe("GitHub's output limits", () => {
  test("summary and text stay within 65,535 bytes (not characters), cut at a line and saying so", () => {
    const bytes = (text: string) => Buffer.byteLength(text, "utf8");
    const long = Array.from({ length: 5_000 }, (_, i) => `- finding number ${i} with some words`).join("\n");
    const fitted = fitCheckText(long);
    expect(bytes(fitted)).toBeLessThanOrEqual(MAX_CHECK_TEXT);
    expect(fitted).toMatch(/truncated to fit GitHub's 65,535-byte limit/);
    expect(
      fitted
        .split("\n")
        .slice(0, -2)
        .every((l) => l === "" || /^- finding number \d+ with some words$/.test(l)),
    ).toBe(true);
    // Multi-byte text under the character count but over the byte count: GitHub answered 422 to it.
    const wide = Array.from({ length: 1_600 }, (_, i) => `- **P1 · bug** — 漢字 finding ${i} 😀`).join("\n");
    expect(wide.length).toBeLessThan(MAX_CHECK_TEXT);
    expect(bytes(wide)).toBeGreaterThan(MAX_CHECK_TEXT);
    expect(bytes(fitCheckText(wide))).toBeLessThanOrEqual(MAX_CHECK_TEXT);
    expect(fitCheckText(wide)).not.toMatch(/\uFFFD/);
    const many: CheckOutcome = reviewedOutcome(result(3_000), { ...COMPLETE, severity: "P1", categories: ["bug"], gateScore: 0.8 }, []);
    expect(bytes(many.text)).toBeLessThanOrEqual(MAX_CHECK_TEXT);
    expect(bytes(many.summary)).toBeLessThanOrEqual(MAX_CHECK_TEXT);
  });

  test("findings on deleted lines annotate the file and say which old line", () => {
    const a = toAnnotation({ ...finding({ side: "LEFT", line: 40 }), placement: "inline", placementNote: null });
    expect(a).toMatchObject({ start_line: 1, end_line: 1 });
    expect(a.message).toMatch(/^\(deleted line 40\)/);
  });
});

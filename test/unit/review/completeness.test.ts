import { describe, expect, test } from "@jest/globals";
import type { SkippedFile, SkipReason } from "../../../src/domain/change-set.js";
import type { Coverage } from "../../../src/domain/window.js";
import { findGaps, gapsSummary, gapsTitle } from "../../../src/review/completeness.js";

function coverage(skipped: SkippedFile[], reviewed = { files: 10, lines: 100 }): Coverage {
  const skippedLines = skipped.reduce((n, s) => n + s.lines, 0);
  return {
    changedLines: reviewed.lines + skippedLines,
    reviewedLines: reviewed.lines,
    foldedLines: 0,
    summarizedLines: 0,
    triagedLines: 0,
    skippedLines,
    skipped,
    files: reviewed.files + skipped.length,
    reviewedFiles: reviewed.files,
  };
}
const skip = (reason: SkipReason, lines: number, path = `${reason}.ts`): SkippedFile => ({ path, reason, lines });
const remedies = { rerun: "use **Re-run** on this check or comment `/agent review`", configFile: "`.github/longview.yml`" };

describe("findGaps", () => {
  test("a fully reviewed change, offline or not, has no gaps", () => {
    expect(findGaps({ coverage: coverage([]), windows: 3 }, 0)).toBeNull();
    expect(findGaps({ coverage: coverage([]), windows: 3, windowsFailed: 0 }, 0)).toBeNull();
  });

  test.each<SkipReason>(["binary", "lockfile", "generated", "vendored", "minified", "excluded-by-config", "mode-only", "removed", "whitespace-only"])(
    "a %s skip is the review's scope, not a gap",
    (reason) => {
      expect(findGaps({ coverage: coverage([skip(reason, 5_000)]), windows: 1 }, 0)).toBeNull();
    },
  );

  test("files GitHub did not list: counted as the files they stand for", () => {
    const cap: SkippedFile = { path: "(2001 more files)", reason: "github-file-cap", lines: 2_001, files: 2_001 };
    const gaps = findGaps({ coverage: coverage([cap], { files: 3_000, lines: 3_000 }), windows: 30 }, 0);
    expect(gaps).toEqual({ unlisted: { files: 2_001, of: 5_001 }, failedWindows: null, unverified: null, leftOut: null });
    expect(gapsTitle(gaps!)).toBe("Incomplete: 2,001 of 5,001 files not listed by GitHub");
  });

  test("failed model windows", () => {
    const gaps = findGaps({ coverage: coverage([]), windows: 10, windowsFailed: 7 }, 0);
    expect(gaps).toEqual({ unlisted: null, failedWindows: { failed: 7, of: 10 }, unverified: null, leftOut: null });
    expect(gapsTitle(gaps!)).toBe("Incomplete: the model could not review 7 of 10 windows");
  });

  test("size skips and unreadable diffs count against gate.maxUnreviewedLines", () => {
    const skipped = [skip("too-large", 300, "a.ts"), skip("too-large", 200, "b.ts"), skip("patch-unavailable", 20, "c.ts")];
    expect(findGaps({ coverage: coverage(skipped), windows: 1 }, 520)).toBeNull();
    const gaps = findGaps({ coverage: coverage(skipped), windows: 1 }, 519);
    expect(gaps?.leftOut).toEqual({ tooLarge: { files: 2, lines: 500 }, unreadable: { files: 1, lines: 20 }, allowedLines: 519 });
    expect(gapsTitle(gaps!)).toBe("Incomplete: 2 files (500 changed lines) over size limits, 1 file (20 changed lines) with an unreadable diff");
  });

  test("every gap in one title, in a fixed order", () => {
    const cap: SkippedFile = { path: "(5 more files)", reason: "github-file-cap", lines: 50, files: 5 };
    const gaps = findGaps({ coverage: coverage([cap, skip("too-large", 1)]), windows: 4, windowsFailed: 1 }, 0);
    expect(gapsTitle(gaps!)).toBe(
      "Incomplete: 5 of 16 files not listed by GitHub; the model could not review 1 of 4 windows; 1 file (1 changed line) over size limits",
    );
  });
});

describe("gapsSummary", () => {
  const gaps = findGaps(
    {
      coverage: coverage([{ path: "(2001 more files)", reason: "github-file-cap", lines: 2_001, files: 2_001 }, skip("too-large", 40)], {
        files: 3_000,
        lines: 3_000,
      }),
      windows: 10,
      windowsFailed: 3,
    },
    0,
  )!;

  test("says what was not reviewed, how to re-run, and how to accept", () => {
    const text = gapsSummary(gaps, { onIncomplete: "failure" }, 0, remedies);
    expect(text).toContain("So the check concludes `failure` (`gate.onIncomplete: failure`).");
    expect(text).toContain("**2,001 of 5,002 files were not reviewed**: GitHub lists only the first 3,001 files");
    expect(text).toContain("split the pull request");
    expect(text).toContain("**The model could not review 3 of 10 context windows**");
    expect(text).toContain("To try again, use **Re-run** on this check or comment `/agent review`.");
    expect(text).toContain("**Not reviewed: 1 file (40 changed lines) over size limits**");
    expect(text).toContain("`gate.maxUnreviewedLines`");
    expect(text).toContain("set `gate.onIncomplete: neutral` (or `success`) in `.github/longview.yml`");
  });

  test("with blocking findings, says that they fail the check anyway", () => {
    expect(gapsSummary(gaps, { onIncomplete: "neutral" }, 2, remedies)).toContain("blocking findings, which fail the check whatever `gate.onIncomplete` says");
  });

  test("an accepted incomplete review says it passes", () => {
    expect(gapsSummary(gaps, { onIncomplete: "success" }, 0, remedies)).toContain(
      "accepts incomplete reviews (`gate.onIncomplete: success`), so the check passes",
    );
  });
});

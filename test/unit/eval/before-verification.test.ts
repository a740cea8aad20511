import { describe, expect, test } from "@jest/globals";
import { buildLineMap } from "../../../src/diff/line-map.js";
import { parseFilePatch } from "../../../src/diff/parse-unified-diff.js";
import type { Finding } from "../../../src/domain/finding.js";
import { droppedByVerification, findingKey, findingsBeforeVerification } from "../../../src/eval/before-verification.js";
import { placeFindings } from "../../../src/review/placement.js";
import { finding } from "../../helpers/findings.js";

// New lines 10-14 (12 added).
const lineMap = buildLineMap([
  parseFilePatch({ path: "src/app.ts", previousPath: null, status: "modified", patch: ["@@ -10,4 +10,5 @@", " a", " b", "+c", " d", " e"].join("\n") }),
]);

const confirmed = finding({ line: 12, title: "confirmed" });
const rejected = finding({ line: 13, title: "rejected", category: "performance" });
// Off the hunk by two lines: placement moves it to line 14, in both sets alike.
const moved = finding({ line: 16, title: "moved", severity: "P2" });
const analyzer = finding({ line: 11, title: "rule", source: "eslint", ruleId: "no-eval", confidence: 1, severity: "P0" });
const corroborated = finding({ line: 10, title: "corroborated", corroboratedBy: ["eslint"] });

function posted(kept: readonly Finding[]) {
  return placeFindings(kept, lineMap, 50);
}

describe("findingsBeforeVerification", () => {
  test("the posted findings that skip verification plus every candidate, placed like posted findings", () => {
    const candidates = [confirmed, rejected, moved];
    const after = posted([analyzer, corroborated, { ...confirmed, verification: { status: "confirmed", score: 0.9, reason: "yes" } }]);
    const before = findingsBeforeVerification(after, candidates, lineMap);
    expect(before.map((f) => f.title)).toEqual(["rule", "corroborated", "confirmed", "rejected", "moved"]);
    expect(before.find((f) => f.title === "moved")).toMatchObject({ line: 14, placement: "inline" });
    // A confirmed candidate is posted on the same lines: it is the same finding in both sets.
    expect(before.map(findingKey)).toEqual(expect.arrayContaining(after.map(findingKey)));
  });

  test("with nothing verified, before is the posted set", () => {
    const after = posted([analyzer]);
    expect(findingsBeforeVerification(after, [], lineMap)).toEqual(after);
  });
});

describe("droppedByVerification", () => {
  test("indices of the findings without a posted counterpart", () => {
    const before = posted([analyzer, confirmed, rejected, moved]);
    const after = posted([analyzer, confirmed]);
    expect(droppedByVerification(before, after).map((i) => before[i]?.title)).toEqual(["rejected", "moved"]);
  });

  test("two identical findings, one posted: one of them was dropped", () => {
    const before = posted([confirmed, confirmed]);
    expect(droppedByVerification(before, posted([confirmed]))).toHaveLength(1);
    expect(droppedByVerification(before, before)).toEqual([]);
  });

  test("the verification a posted copy carries does not change its identity", () => {
    expect(findingKey({ ...confirmed, verification: { status: "confirmed", score: 0.7, reason: "r" } } as Finding)).toBe(findingKey(confirmed));
  });
});

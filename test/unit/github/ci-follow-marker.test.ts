import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { ciFollowMarker, parseCiFollowMarker, type CiFollow } from "../../../src/github/ci-follow-marker.js";
import { answerText } from "../../../src/github/command-replies.js";

const follow: CiFollow = {
  sha: "a".repeat(40),
  base: "b".repeat(40),
  round: 2,
  deadline: 1_796_450_000_000,
  paths: ["src/x -->.js", "src/<b>.ts"],
  source: { kind: "review-comment", commentId: 7, threadRootId: 5 },
  sender: "alice",
  url: "https://github.com/acme/app/pull/1#discussion_r7",
};

describe("the CI follow-up marker", () => {
  test("round-trips through an answer (before the answer marker), paths that could end an HTML comment included", () => {
    const body = answerText(`@alice Committed.\n${ciFollowMarker(follow)}`, "0123456789abcdef");
    expect(parseCiFollowMarker(body)).toEqual(follow);
    expect(ciFollowMarker(follow)).not.toContain("-->.js");
  });

  test("counts only at the end of the body: a marker quoted mid-body, or one with bad data, is nothing", () => {
    expect(parseCiFollowMarker(`${ciFollowMarker(follow)}\n\nsome text after\n\nmore`)).toBeNull();
    expect(parseCiFollowMarker("<!-- longview:ci data=bm90IGpzb24 -->")).toBeNull();
    expect(parseCiFollowMarker(`<!-- longview:ci data=${Buffer.from(JSON.stringify({ ...follow, round: 99 })).toString("base64url")} -->`)).toBeNull();
    expect(parseCiFollowMarker(null)).toBeNull();
  });

  test("any text parses to a follow-up or to null, never a throw", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (tail) => {
        const parsed = parseCiFollowMarker(`x\n<!-- longview:ci data=${tail} -->`);
        expect(parsed === null || typeof parsed.sha === "string").toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

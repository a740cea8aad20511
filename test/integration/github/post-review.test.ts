import { formatFindingComment } from "../../../src/github/finding-comment.js";
import { afterEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import type { PlacedFinding } from "../../../src/domain/finding.js";
import { postReview } from "../../../src/github/post-review.js";
import { finding } from "../../helpers/findings.js";
import { GITHUB_API, silentLog, testOctokit } from "../../helpers/github.js";

const ref = { owner: "o", repo: "r", pullNumber: 7 };
const placed = (overrides: Partial<PlacedFinding>): PlacedFinding => ({ ...finding(overrides), placement: "inline", placementNote: null, ...overrides });

interface ReviewBody {
  event?: string;
  body?: string;
  commit_id: string;
  comments: { path: string; line: number; side: string; body: string; start_line?: number }[];
}

afterEach(() => nock.cleanAll());

describe("postReview", () => {
  test("posts one COMMENT review with every inline finding and file comments separately", async () => {
    const requests: ReviewBody[] = [];
    const fileComments: unknown[] = [];
    nock(GITHUB_API)
      .post("/repos/o/r/pulls/7/comments", (b: unknown) => (fileComments.push(b), true))
      .reply(201, { id: 1 })
      .post("/repos/o/r/pulls/7/reviews", (b: ReviewBody) => (requests.push(b), true))
      .reply(200, { id: 99 });

    const result = await postReview(testOctokit(), {
      ref,
      commitId: "abc",
      comment: formatFindingComment,
      findings: [
        placed({ line: 3, title: "A", suggestion: "fixed();" }),
        placed({ line: 9, startLine: 7, title: "B" }),
        placed({ line: 50, title: "C", placement: "file" }),
      ],
      body: () => "BODY",
      log: silentLog,
    });

    expect(result).toMatchObject({ reviewId: 99, inline: 2, fileLevel: 1, rerouted: [] });
    expect(requests).toHaveLength(1);
    const review = requests[0]!;
    expect(review).toMatchObject({ event: "COMMENT", body: "BODY", commit_id: "abc" });
    expect(review.comments.map((c) => ({ path: c.path, line: c.line, side: c.side, start_line: c.start_line }))).toEqual([
      { path: "src/app.ts", line: 3, side: "RIGHT", start_line: undefined },
      { path: "src/app.ts", line: 9, side: "RIGHT", start_line: 7 },
    ]);
    expect(review.comments[0]!.body).toContain("```suggestion\nfixed();\n```");
    expect(fileComments).toEqual([expect.objectContaining({ subject_type: "file", path: "src/app.ts", commit_id: "abc" })]);
  });

  test("a 422 loses no other comment: the refused one is isolated by bisection and re-routed", async () => {
    const posted: ReviewBody[] = [];
    const probes: number[] = [];
    let deleted = 0;
    const bad = (c: { line: number }) => c.line === 4;
    const holdsBad = (b: ReviewBody) => (b.comments ?? []).some(bad);
    nock(GITHUB_API)
      // The real review: rejected while it holds the bad comment.
      .post("/repos/o/r/pulls/7/reviews", (b: ReviewBody) => b.event === "COMMENT" && holdsBad(b))
      .reply(422, { message: "Unprocessable Entity", errors: ["Pull request review thread line must be part of the diff"] })
      // Pending probes (no event): accepted unless they hold the bad comment.
      .post("/repos/o/r/pulls/7/reviews", (b: ReviewBody) =>
        b.event === undefined && Array.isArray(b.comments) && holdsBad(b) ? (probes.push((b.comments ?? []).length), true) : false,
      )
      .times(3)
      .reply(422, { message: "Unprocessable Entity" })
      .post("/repos/o/r/pulls/7/reviews", (b: ReviewBody) =>
        b.event === undefined && Array.isArray(b.comments) && !holdsBad(b) ? (probes.push((b.comments ?? []).length), true) : false,
      )
      .times(2)
      .reply(200, { id: 5 })
      .delete("/repos/o/r/pulls/7/reviews/5")
      .times(2)
      .reply(200, () => (deleted++, { id: 5 }))
      // The refused finding becomes a file comment.
      .post("/repos/o/r/pulls/7/comments", (b: { subject_type?: string; path: string }) => b.subject_type === "file" && b.path === "src/app.ts")
      .reply(201, { id: 2 })
      .post("/repos/o/r/pulls/7/reviews", (b: ReviewBody) => (b.event === "COMMENT" && !holdsBad(b) ? (posted.push(b), true) : false))
      .reply(200, { id: 100 });

    const result = await postReview(testOctokit(), {
      ref,
      commitId: "abc",
      comment: formatFindingComment,
      findings: [placed({ line: 1 }), placed({ line: 2 }), placed({ line: 3 }), placed({ line: 4 })],
      body: (rerouted) => `BODY ${rerouted.length}`,
      log: silentLog,
    });

    expect(result).toMatchObject({ reviewId: 100, inline: 3, fileLevel: 1, rerouted: [] });
    expect(posted).toHaveLength(1);
    expect(posted[0]!.comments.map((c) => c.line)).toEqual([1, 2, 3]);
    // Probes: [1-4] refused, [1,2] accepted, [3,4] refused, [3] accepted, [4] refused; accepted probes are deleted.
    expect(probes).toEqual([4, 2, 2, 1, 1]);
    expect(deleted).toBe(2);
    expect(nock.isDone()).toBe(true);
  });

  test("a comment GitHub refuses both inline and as a file comment ends in the review body", async () => {
    const posted: ReviewBody[] = [];
    nock(GITHUB_API)
      .post("/repos/o/r/pulls/7/reviews", (b: ReviewBody) => b.event === "COMMENT" && (b.comments ?? []).length === 1)
      .reply(422, { message: "Unprocessable Entity" })
      .post("/repos/o/r/pulls/7/reviews", (b: ReviewBody) => b.event === undefined)
      .reply(422, { message: "Unprocessable Entity" })
      .post("/repos/o/r/pulls/7/comments")
      .reply(422, { message: "Unprocessable Entity" })
      .post("/repos/o/r/pulls/7/reviews", (b: ReviewBody) => (b.event === "COMMENT" && (b.comments ?? []).length === 0 ? (posted.push(b), true) : false))
      .reply(200, { id: 101 });

    const result = await postReview(testOctokit(), {
      ref,
      commitId: "abc",
      comment: formatFindingComment,
      findings: [placed({ line: 4, title: "Lost?" })],
      body: (rerouted) => `in body: ${rerouted.map((f) => f.title).join(",")}`,
      log: silentLog,
    });
    expect(result.rerouted.map((f) => f.title)).toEqual(["Lost?"]);
    expect(posted[0]!.body).toBe("in body: Lost?");
  });

  test("errors other than 422 are not swallowed", async () => {
    nock(GITHUB_API).post("/repos/o/r/pulls/7/reviews").reply(500, { message: "boom" });
    await expect(
      postReview(testOctokit(), { ref, commitId: "abc", comment: formatFindingComment, findings: [placed({})], body: () => "B", log: silentLog }),
    ).rejects.toMatchObject({ status: 500 });
  });
});

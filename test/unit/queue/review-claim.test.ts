import { describe, expect, test } from "@jest/globals";
import { resolveClaim, type PendingReview } from "../../../src/queue/kinds/review-claim.js";
import type { ReviewJob } from "../../../src/queue/kinds/review.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const Z = "0".repeat(39) + "1";

const job = (overrides: Partial<ReviewJob> = {}): ReviewJob => ({
  kind: "review",
  installationId: 1,
  owner: "o",
  repo: "r",
  pullNumber: 1,
  headSha: B,
  deliveryId: "d",
  trigger: "pull_request.synchronize",
  ...overrides,
});
const pending = (overrides: Partial<PendingReview> = {}): PendingReview => ({ jobId: "old", headSha: A, state: "queued", ...overrides });

describe("resolveClaim", () => {
  test("no pending job: the newcomer is claimed as is", () => {
    expect(resolveClaim(null, job())).toEqual({ kind: "claim", job: job(), supersedes: null });
  });

  test("a new head supersedes and inherits the old head as previousSha, but not its check run", () => {
    const decision = resolveClaim(pending({ checkRunId: 9 }), job());
    expect(decision).toEqual({ kind: "claim", job: job({ previousSha: A }), supersedes: pending({ checkRunId: 9 }) });
  });

  test("the newcomer's own previousSha wins", () => {
    expect(resolveClaim(pending(), job({ previousSha: Z }))).toMatchObject({ kind: "claim", job: { previousSha: Z } });
  });

  test.each<[string, Partial<PendingReview>, Partial<ReviewJob>, "duplicate" | "claim"]>([
    ["same head, onlyIfUnreviewed, queued", { headSha: B }, { onlyIfUnreviewed: true }, "duplicate"],
    ["same head, onlyIfUnreviewed, running", { headSha: B, state: "running" }, { onlyIfUnreviewed: true }, "duplicate"],
    ["same head, running, automatic event", { headSha: B, state: "running" }, {}, "duplicate"],
    ["same head, running, explicit re-run", { headSha: B, state: "running" }, { checkRunId: 5 }, "claim"],
    ["same head, queued, automatic event", { headSha: B }, {}, "claim"],
    ["new head, running, onlyIfUnreviewed", { state: "running" }, { onlyIfUnreviewed: true }, "claim"],
  ])("%s → %s", (_name, current, incoming, kind) => {
    expect(resolveClaim(pending(current), job(incoming)).kind).toBe(kind);
  });

  test("replacing a queued job of the same head keeps its check run and previous head", () => {
    const decision = resolveClaim(pending({ headSha: B, previousSha: A, checkRunId: 9 }), job({ trigger: "pull_request.reopened" }));
    expect(decision).toMatchObject({ kind: "claim", job: { previousSha: A, checkRunId: 9 } });
  });
});

import { describe, expect, test } from "@jest/globals";
import type { Fingerprinted } from "../../../src/domain/finding.js";
import { fixAllActions } from "../../../src/fix/fix-all-action.js";
import { selectTargets } from "../../../src/fix/targets.js";
import { relocate } from "../../../src/fix/run-fix.js";
import { formatFindingComment } from "../../../src/github/finding-comment.js";
import { dismissedFingerprints, findingStatus, isFixedAt, longviewState, openThreads } from "../../../src/github/longview-state.js";
import { fixedMarker, reviewMarker } from "../../../src/github/markers.js";
import { anchorHash, anchorsOf } from "../../../src/review/fingerprint.js";
import { finding } from "../../helpers/findings.js";

/**
 * The one definition of Longview's state on a pull request: pure, over what
 * GitHub's REST and GraphQL answers hold. The gate, "Fix all" and
 * `/agent fix` read it the same way.
 */

const BOT = "longview[bot]";
const HEAD = "a".repeat(40);
const gate = { severity: "P1" as const, categories: ["bug", "security"] as const, gateScore: 0.8 };

function posted(id: number, line: string, overrides: Partial<Fingerprinted> = {}) {
  const f: Fingerprinted = {
    ...finding({ path: "src/calc.js", line: 3, severity: "P1", category: "bug", title: `Finding ${id}`, source: "eslint", ruleId: "use-isnan" }),
    placement: "inline",
    placementNote: null,
    fingerprint: `${id}`.padStart(16, "0"),
    anchor: anchorHash(line),
    ...overrides,
  };
  return { id, body: formatFindingComment(f), user: { login: BOT }, path: f.path, line: f.line, side: "RIGHT" as const, subject_type: "line" };
}

const nan = "  if (r === NaN) return 0;";
const headNow = `// moved down\n\nexport function ratio(a, b) {\n  const r = a / b;\n${nan}\n  return r;\n}\n`;

describe("longviewState", () => {
  const current = posted(1, nan);
  // Outdated (its line left the diff) but its code only moved: still open.
  const outdatedMoved = { ...posted(2, nan, { title: "Moved, not fixed" }), line: null };
  // Outdated and its code is gone: fixed at head.
  const outdatedGone = { ...posted(3, "  return a / 0;", { title: "Gone" }), line: null };
  const resolved = posted(4, nan, { title: "Resolved by someone" });
  const repliedFixed = posted(5, nan, { title: "Already said fixed" });
  const forged = { ...posted(6, nan, { title: "Typed by the author" }), user: { login: "mallory" } };
  const state = longviewState({
    botLogin: "Longview[bot]",
    reviews: [{ user: { login: BOT }, body: `### Longview review\n\n${reviewMarker({ head: HEAD, from: null })}`, commit_id: HEAD }],
    comments: [
      current,
      outdatedMoved,
      outdatedGone,
      resolved,
      repliedFixed,
      forged,
      { id: 50, body: `Fixed in x. ${fixedMarker("5".padStart(16, "0"))}`, user: { login: BOT }, path: "src/calc.js", in_reply_to_id: 5 },
    ],
    threads: new Map([
      [1, { id: "T1", resolved: false, outdated: false }],
      [2, { id: "T2", resolved: false, outdated: true }],
      [3, { id: "T3", resolved: false, outdated: true }],
      [4, { id: "T4", resolved: true, outdated: false }],
    ]),
  });

  test("only Longview's own comments, matched case-insensitively; the last reviewed head; every fingerprint", () => {
    expect(state.lastReviewedHead).toBe(HEAD);
    expect(state.threads.map((t) => t.commentId)).toEqual([1, 2, 3, 4, 5]);
    expect(state.fingerprints.size).toBe(5);
  });

  test("open = not resolved and not said fixed; outdated threads are open", () => {
    expect(openThreads(state).map((t) => t.commentId)).toEqual([1, 2, 3]);
  });

  test('regression: an outdated but unfixed finding — the gate, "Fix all" and /agent fix agree', () => {
    const anchorsAt = (path: string) => (path === "src/calc.js" ? anchorsOf(headNow) : null);
    const open = openThreads(state).filter((t) => !isFixedAt(t, anchorsAt));
    expect(open.map((t) => t.commentId)).toEqual([1, 2]);
    // The gate counts it and offers "Fix all" …
    expect(
      fixAllActions(
        open.map((t) => t.finding),
        gate,
      ),
    ).toHaveLength(1);
    // … and /agent fix targets it and finds its code where it is now.
    const targets = selectTargets(open, "", gate).targets;
    expect(targets.map((t) => t.commentId).sort()).toEqual([1, 2]);
    expect(
      relocate(
        targets.find((t) => t.commentId === 2)!,
        headNow,
      ),
    ).toMatchObject({ line: 5 });
    // The one whose code is gone is fixed for the review, and not fixable for /agent fix.
    const gone = openThreads(state).find((t) => t.commentId === 3)!;
    expect(isFixedAt(gone, anchorsAt)).toBe(true);
    expect(relocate(gone, headNow)).toBeNull();
  });
});

describe("dismissed findings", () => {
  const changed = "  if (Number.isNaN(r)) return 0;";
  const headFixed = headNow.replace(nan, changed);
  const calc = (content: string) => (path: string) => (path === "src/calc.js" ? anchorsOf(content) : null);
  const comments = [1, 2, 3, 4, 5, 6].map((id) => posted(id, nan, { title: `Finding ${id}` }));
  const state = longviewState({
    botLogin: BOT,
    reviews: [],
    comments,
    threads: new Map([
      [1, { id: "T1", resolved: true, outdated: false, resolvedBy: "octocat" }],
      // GraphQL names the app by its slug, without [bot].
      [2, { id: "T2", resolved: true, outdated: false, resolvedBy: "longview" }],
      [3, { id: "T3", resolved: false, outdated: false, resolvedBy: null }],
      [4, { id: "T4", resolved: false, outdated: false, resolvedBy: null }],
      [5, { id: "T5", resolved: false, outdated: false, resolvedBy: null }],
      [6, { id: "T6", resolved: true, outdated: false }],
    ]),
    thumbsDown: new Map([
      [3, [{ login: "octocat", type: "User" }]],
      [4, [{ login: "Longview[bot]", type: "Bot" }]],
      [5, [{ login: "dependabot[bot]" }]],
    ]),
  });
  const byId = (id: number) => state.threads.find((t) => t.commentId === id)!;

  test("resolved by a person while the code is unchanged at head: dismissed", () => {
    expect(findingStatus(byId(1), calc(headNow))).toBe("dismissed");
  });

  test("resolved by a person after the code changed: fixed, not dismissed", () => {
    expect(findingStatus(byId(1), calc(headFixed))).toBe("fixed");
    expect(dismissedFingerprints(state, calc(headFixed)).has(byId(1).fingerprint)).toBe(false);
  });

  test("resolved by Longview itself (or by nobody named): resolved, not dismissed", () => {
    expect(byId(2).resolvedByPerson).toBe(false);
    expect(findingStatus(byId(2), calc(headNow))).toBe("resolved");
    expect(findingStatus(byId(6), calc(headNow))).toBe("resolved");
  });

  test("👎 by a person: dismissed whatever the code, and no longer open for the gate, Fix all or /agent fix", () => {
    expect(byId(3).thumbsDownBy).toEqual(["octocat"]);
    expect(findingStatus(byId(3), calc(headNow))).toBe("dismissed");
    expect(findingStatus(byId(3), calc(headFixed))).toBe("dismissed");
    expect(openThreads(state).map((t) => t.commentId)).toEqual([4, 5]);
    expect(selectTargets(openThreads(state), "", gate).targets.map((t) => t.commentId)).not.toContain(3);
  });

  test("👎 by Longview's bot or another bot: still open", () => {
    expect(byId(4).thumbsDownBy).toEqual([]);
    expect(byId(5).thumbsDownBy).toEqual([]);
    expect(findingStatus(byId(4), calc(headNow))).toBe("open");
    expect(findingStatus(byId(5), calc(headNow))).toBe("open");
  });

  test("the dismissed fingerprints at head", () => {
    expect([...dismissedFingerprints(state, calc(headNow))].sort()).toEqual([byId(1).fingerprint, byId(3).fingerprint].sort());
  });
});

describe("longviewState as github-actions[bot] (the GitHub Action): the marker decides, not the login", () => {
  // Every workflow of the repository posts as github-actions[bot]: a coverage report, a linter's review, a release note.
  const ACTIONS = "github-actions[bot]";
  const ours = { ...posted(1, nan), user: { login: ACTIONS } };
  const otherActionComment = { ...posted(2, nan), body: "Coverage: 81% (-0.4%)\n\n| file | % |\n| --- | --- |", user: { login: ACTIONS } };
  // A marker quoted mid-body by another workflow is not where Longview writes it.
  const quotingAction = { ...posted(3, nan), body: `${posted(3, nan).body}\n\n_quoted by the triage workflow_`, user: { login: ACTIONS } };
  const state = longviewState({
    botLogin: ACTIONS,
    reviews: [
      { user: { login: ACTIONS }, body: `### Longview review\n\n${reviewMarker({ head: HEAD, from: null })}`, commit_id: HEAD },
      // Another action's review, newer, without a marker: not Longview's, so not the last reviewed head.
      { user: { login: ACTIONS }, body: "ESLint found 3 problems.", commit_id: "b".repeat(40) },
    ],
    comments: [ours, otherActionComment, quotingAction],
    threads: new Map(),
  });

  test("only the comments and reviews that end with Longview's marker are its state", () => {
    expect(state.lastReviewedHead).toBe(HEAD);
    expect(state.threads.map((t) => t.commentId)).toEqual([1]);
    expect([...state.fingerprints]).toEqual(["1".padStart(16, "0")]);
  });

  test("a marker by anyone else still counts for nothing", () => {
    const forged = longviewState({
      botLogin: ACTIONS,
      reviews: [{ user: { login: "mallory" }, body: reviewMarker({ head: HEAD, from: null }), commit_id: HEAD }],
      comments: [{ ...posted(4, nan), user: { login: "mallory" } }],
      threads: new Map(),
    });
    expect(forged.lastReviewedHead).toBeNull();
    expect(forged.threads).toEqual([]);
  });
});

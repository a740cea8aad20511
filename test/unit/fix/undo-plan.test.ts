import { describe, expect, test } from "@jest/globals";
import { fixCommitMessage, trailerValues, undoCommitMessage } from "../../../src/fix/commit-message.js";
import { classifyCommit, isBotIdentity, planRestore, recordedCommits, selectUndo, type UndoInput } from "../../../src/fix/undo-plan.js";
import type { PullCommit } from "../../../src/github/pull-commits.js";

const BOT = "longview[bot]";
const bot = { name: BOT, email: `41898282+${BOT}@users.noreply.github.com` };
const github = { name: "GitHub", email: "noreply@github.com" };
const alice = { name: "Alice", email: "alice@example.com" };
const sha = (c: string) => c.repeat(40).slice(0, 40);

const FIX_MESSAGE = fixCommitMessage([], { requestedBy: "alice", requestUrl: "https://github.com/o/r/pull/1#issuecomment-1", summary: null });
/** A fix commit from before the trailer: recognised by its author alone. */
const OLD_FIX_MESSAGE = "Fix P1 bug: NaN\n\n- P1 bug: NaN (src/a.js:3)\n\nRequested by @alice (Longview /agent fix).";

function commit(id: string, parent: string | null, by: "bot" | "alice", options: { message?: string; committer?: PullCommit["committer"] } = {}): PullCommit {
  const author = by === "bot" ? bot : alice;
  return {
    sha: sha(id),
    parents: parent === null ? [] : [sha(parent)],
    message: options.message ?? (by === "bot" ? FIX_MESSAGE : `work ${id}`),
    author,
    committer: options.committer ?? (by === "bot" ? github : alice),
  };
}

function input(commits: PullCommit[], overrides: Partial<UndoInput> = {}): UndoInput {
  return { botLogin: BOT, headSha: commits.at(-1)!.sha, branch: "feature", commits, listingFull: false, recorded: [], ...overrides };
}

function selected(commits: PullCommit[], overrides: Partial<UndoInput> = {}) {
  const selection = selectUndo(input(commits, overrides));
  if (selection.kind !== "selected") throw new Error(`expected a selection, got ${selection.kind}: ${selection.reason}`);
  return selection;
}

describe("which commits are Longview's", () => {
  test("the bot's no-reply address, on GitHub or GitHub Enterprise; not its name alone", () => {
    expect(isBotIdentity(bot, BOT)).toBe(true);
    expect(isBotIdentity({ name: "x", email: `7+${BOT}@users.noreply.ghe.example` }, BOT)).toBe(true);
    expect(isBotIdentity({ name: BOT, email: "someone@example.com" }, BOT)).toBe(false);
    expect(isBotIdentity({ name: "x", email: `7+other[bot]@users.noreply.github.com` }, BOT)).toBe(false);
    expect(isBotIdentity(null, BOT)).toBe(false);
  });

  test("fix commits with the trailer, old ones by their author; undos by their trailers; rewritten when someone else committed them", () => {
    expect(trailerValues(FIX_MESSAGE, "Longview-Fix")).toEqual(["https://github.com/o/r/pull/1#issuecomment-1"]);
    expect(classifyCommit(commit("a", null, "bot"), BOT)).toEqual({ kind: "fix" });
    expect(classifyCommit(commit("a", null, "bot", { message: OLD_FIX_MESSAGE }), BOT)).toEqual({ kind: "fix" });
    // The simulator commits as the bot itself; GitHub as `noreply@github.com`.
    expect(classifyCommit(commit("a", null, "bot", { committer: bot }), BOT)).toEqual({ kind: "fix" });
    const undo = undoCommitMessage([{ sha: sha("a"), message: FIX_MESSAGE }], ["src/a.js"], { requestedBy: "alice", requestUrl: null });
    expect(classifyCommit(commit("b", "a", "bot", { message: undo }), BOT)).toEqual({ kind: "undo", reverted: [sha("a")] });
    expect(classifyCommit(commit("a", null, "bot", { committer: alice }), BOT)).toEqual({ kind: "rewritten", committer: "Alice" });
    expect(classifyCommit(commit("a", null, "alice", { message: FIX_MESSAGE }), BOT)).toEqual({ kind: "other" });
  });

  test("a trailer quoted above the last paragraph is not a trailer", () => {
    expect(trailerValues(`Subject\n\nLongview-Undo: ${sha("a")}\n\nRequested by @alice.`, "Longview-Undo")).toEqual([]);
    expect(trailerValues(`Longview-Undo: ${sha("a")}`, "Longview-Undo")).toEqual([]);
  });

  test("the undo message lists the reverted commits and ends in one trailer each", () => {
    const message = undoCommitMessage(
      [
        { sha: sha("a"), message: "Fix P1 bug: NaN\n\nbody" },
        { sha: sha("b"), message: "Fix 2 review findings" },
      ],
      ["src/a.js", "src/b.js"],
      { requestedBy: "alice", requestUrl: "https://github.com/o/r/pull/1#issuecomment-9" },
    );
    expect(message).toBe(
      [
        "Undo 2 Longview fix commits",
        "Reverts:\n- aaaaaaa Fix P1 bug: NaN\n- bbbbbbb Fix 2 review findings",
        "Restores src/a.js, src/b.js to their content before Longview's changes.",
        "Requested by @alice in https://github.com/o/r/pull/1#issuecomment-9 (Longview /agent undo).",
        `Longview-Undo: ${sha("a")}\nLongview-Undo: ${sha("b")}`,
      ].join("\n\n"),
    );
  });

  test("Longview's answers name the commits it made, in order", () => {
    expect(
      recordedCommits([
        `@alice Committed [\`aaaaaaa\`](https://github.com/o/r/commit/${sha("a")}), fixing 1 finding:\n…`,
        "@alice There are no open Longview findings on this pull request to fix.",
        "@bob Committed `bbbbbbb`.",
        `@alice Longview prepared the fix as commit \`ccccccc\`, but the branch moved …`,
        `Fixed in ${sha("d")}.`,
      ]),
    ).toEqual([sha("a"), "bbbbbbb"]);
  });
});

describe("selectUndo", () => {
  test("Longview's fix commits on the branch, oldest first, and the commits from the first of them to the head", () => {
    const history = [commit("1", null, "alice"), commit("a", "1", "bot"), commit("2", "a", "alice"), commit("b", "2", "bot")];
    const selection = selected(history, { recorded: [sha("a"), sha("b")] });
    expect(selection.revert.map((c) => c.sha)).toEqual([sha("a"), sha("b")]);
    expect(selection.span.map((c) => c.sha)).toEqual([sha("a"), sha("2"), sha("b")]);
  });

  test("the branch's own line: a merged-in side branch's commits are not walked", () => {
    const side = commit("s", "1", "bot");
    const merge: PullCommit = { ...commit("m", "a", "alice"), parents: [sha("a"), side.sha] };
    const selection = selected([commit("1", null, "alice"), side, commit("a", "1", "bot"), merge]);
    expect(selection.revert.map((c) => c.sha)).toEqual([sha("a")]);
    expect(selection.span.map((c) => c.sha)).toEqual([sha("a"), sha("m")]);
  });

  test("nothing to undo: no Longview commit, or all of them undone already", () => {
    expect(selectUndo(input([commit("1", null, "alice")]))).toEqual({
      kind: "nothing",
      reason: "There is nothing to undo: no fix commit of Longview's is on the branch `feature`.",
    });
    const undo = undoCommitMessage([{ sha: sha("a"), message: FIX_MESSAGE }], ["src/a.js"], { requestedBy: "alice", requestUrl: null });
    const history = [commit("1", null, "alice"), commit("a", "1", "bot"), commit("u", "a", "bot", { message: undo })];
    expect(selectUndo(input(history, { recorded: [sha("a"), sha("u")] }))).toMatchObject({
      kind: "nothing",
      reason: expect.stringContaining("already undone"),
    });
  });

  test("a fix after an undo is undone on its own", () => {
    const undo = undoCommitMessage([{ sha: sha("a"), message: FIX_MESSAGE }], ["src/a.js"], { requestedBy: "alice", requestUrl: null });
    const history = [commit("1", null, "alice"), commit("a", "1", "bot"), commit("u", "a", "bot", { message: undo }), commit("b", "u", "bot")];
    expect(selected(history).revert.map((c) => c.sha)).toEqual([sha("b")]);
  });

  test("refused: a Longview commit rewritten by someone (rebase, amend)", () => {
    const history = [commit("1", null, "alice"), commit("a", "1", "bot", { committer: alice })];
    const selection = selectUndo(input(history));
    expect(selection.kind).toBe("refused");
    expect(selection.kind === "refused" && selection.reason).toMatch(
      /^Longview's commit `aaaaaaa` \(“Apply requested fix”\) \(now committed by Alice\) was rewritten/,
    );
  });

  test("refused: a commit Longview answered for is gone from the branch (force-push); older gone ones do not block a later fix", () => {
    const forced = [commit("1", null, "alice"), commit("2", "1", "alice")];
    const gone = selectUndo(input(forced, { recorded: [sha("a")] }));
    expect(gone).toEqual({
      kind: "refused",
      reason:
        "Longview's commit `aaaaaaa` is no longer in the history of the branch `feature` (a force-push rewrote or removed it), so there is no commit of Longview's left to revert. Nothing was changed.",
    });
    // A short SHA (an answer without a link) counts as well.
    expect(selectUndo(input(forced, { recorded: ["aaaaaaa"] })).kind).toBe("refused");
    const later = [...forced, commit("b", "2", "bot")];
    expect(selected(later, { recorded: [sha("a"), sha("b")] }).revert.map((c) => c.sha)).toEqual([sha("b")]);
  });

  test("refused: the head is not among the listed commits", () => {
    const history = [commit("1", null, "alice")];
    expect(selectUndo(input(history, { headSha: sha("9"), listingFull: true }))).toMatchObject({ kind: "refused", reason: expect.stringContaining("250") });
    expect(selectUndo(input(history, { headSha: sha("9") }))).toMatchObject({ kind: "refused", reason: expect.stringContaining("moved") });
  });
});

describe("planRestore", () => {
  const paths = (entries: Record<string, string[] | null>) =>
    new Map(Object.entries(entries).map(([id, list]) => [sha(id), list === null ? null : new Set(list)] as const));

  test("each file goes back to its content before the first Longview commit that changed it; others' commits on other files are fine", () => {
    const history = [commit("1", null, "alice"), commit("a", "1", "bot"), commit("2", "a", "alice"), commit("b", "2", "bot")];
    const plan = planRestore(selected(history), paths({ a: ["src/x.js", "src/y.js"], "2": ["README.md"], b: ["src/y.js", "src/z.js"] }));
    expect(plan).toEqual({
      kind: "restore",
      files: [
        { path: "src/x.js", from: sha("1") },
        { path: "src/y.js", from: sha("1") },
        { path: "src/z.js", from: sha("2") },
      ],
    });
  });

  test("refused: someone changed a file of Longview's fix after it (a rename counts under its old name)", () => {
    const history = [commit("1", null, "alice"), commit("a", "1", "bot"), commit("2", "a", "alice")];
    const plan = planRestore(selected(history), paths({ a: ["src/x.js"], "2": ["src/x.js", "docs.md"] }));
    expect(plan).toEqual({
      kind: "refused",
      reason:
        "Other commits changed the files of Longview's fix after it: `2222222` (“work 2”) by Alice changed `src/x.js`. Undoing the fix would throw those changes away. Nothing was changed; revert by hand instead.",
    });
    // A commit too large to list might have touched them.
    expect(planRestore(selected(history), paths({ a: ["src/x.js"], "2": null }))).toMatchObject({
      kind: "refused",
      reason: expect.stringContaining("changed more files than GitHub lists"),
    });
  });

  test("a commit before Longview's may change the same file", () => {
    const history = [commit("1", null, "alice"), commit("2", "1", "alice"), commit("a", "2", "bot")];
    expect(planRestore(selected(history), paths({ a: ["src/x.js"] }))).toEqual({ kind: "restore", files: [{ path: "src/x.js", from: sha("2") }] });
  });

  test("refused: a 'Longview' commit that changed workflows or actions", () => {
    const history = [commit("1", null, "alice"), commit("a", "1", "bot")];
    for (const path of [".github/workflows/ci.yml", ".github/actions/setup/action.yml"]) {
      expect(planRestore(selected(history), paths({ a: ["src/x.js", path] }))).toMatchObject({
        kind: "refused",
        reason: expect.stringContaining("Longview never changes `.github/workflows/` or `.github/actions/`"),
      });
    }
  });
});

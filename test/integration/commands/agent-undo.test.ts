import { describe, expect, test } from "@jest/globals";
import type { AccessLevel } from "../../../src/github/permission.js";
import { DEVELOPER, GITHUB_COMMITTER, type FakeGitHubHost, type FakePullRequestInput } from "../../helpers/fake-github-host.js";
import { BRANCH, HEAD, OWNER, PR_NUMBER, REPO, addComments, appWith, conversationEvent, longviewComment, reviewReplyEvent, shop } from "./github-mock.js";

/**
 * `/agent undo` with GitHub in memory (FakeGitHubHost): a real offline
 * `/agent fix` makes Longview's commit, then the undo reverts it — or
 * refuses, and says why, when it cannot revert only Longview's changes.
 */

const calc = ["export function ratio(a, b) {", "  const r = a / b;", "  if (r === NaN) return 0;", "  return r;", "}", ""].join("\n");
const fixedCalc = calc.replace("r === NaN", "Number.isNaN(r)");
const FINDING_ID = 501;
const repo = { owner: OWNER, repo: REPO };
const bob = { login: "bob", id: 6002, type: "User" };

function world(options: { access?: Record<string, AccessLevel>; pull?: Partial<FakePullRequestInput> } = {}) {
  const { fake } = shop({ files: { "src/calc.js": calc, "README.md": "# shop\n" }, access: options.access ?? { alice: "write" }, pull: options.pull ?? {} });
  addComments(fake, [
    longviewComment(FINDING_ID, {
      path: "src/calc.js",
      line: 3,
      severity: "P1",
      category: "bug",
      title: "Comparison with NaN is always false",
      source: "eslint",
      ruleId: "use-isnan",
    }),
  ]);
  return fake;
}

let comments = 800;

/** `/agent fix` in the finding's thread: Longview's commit, and its answer. Returns the commit. */
async function fixed(fake: FakeGitHubHost): Promise<string> {
  const app = await appWith({ github: fake });
  const event = reviewReplyEvent("/agent fix", FINDING_ID);
  await app.receive({ id: "delivery-fix", ...event, payload: event.payload as never });
  expect(fake.fileAt(repo, BRANCH, "src/calc.js")).toBe(fixedCalc);
  return fake.branchHead(repo, BRANCH)!;
}

/** `/agent undo` on the conversation, as a new comment each time. */
async function undo(fake: FakeGitHubHost, sender = { login: "alice", id: 5001, type: "User" }) {
  const app = await appWith({ github: fake });
  const event = conversationEvent("/agent undo", sender);
  const id = ++comments;
  const payload = {
    ...event.payload,
    comment: { ...event.payload.comment, id, html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#issuecomment-${id}` },
  };
  await app.receive({ id: `delivery-undo-${id}`, name: event.name, payload: payload as never });
  return app.queue;
}

const lastAnswer = (fake: FakeGitHubHost) => fake.answers.at(-1)!;

describe("/agent undo", () => {
  test("reverts Longview's fix in one commit authored like a fix: the file is back as before, the answer lists the commit, its review is queued", async () => {
    const fake = world();
    const fix = await fixed(fake);
    const queue = await undo(fake);

    expect(fake.commits).toHaveLength(2);
    const revert = fake.commits[1]!;
    expect(revert.parent).toBe(fix);
    expect(revert.files).toEqual(new Map([["src/calc.js", calc]]));
    expect(fake.branchHead(repo, BRANCH)).toBe(revert.sha);
    expect(fake.fileAt(repo, BRANCH, "src/calc.js")).toBe(calc);
    expect(fake.fileAt(repo, BRANCH, "README.md")).toBe("# shop\n");
    expect(revert.message).toBe(
      [
        "Undo Longview fix: Fix P1 bug: Comparison with NaN is always false",
        `Reverts:\n- ${fix.slice(0, 7)} Fix P1 bug: Comparison with NaN is always false`,
        "Restores src/calc.js to its content before Longview's changes.",
        `Requested by @alice in https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#issuecomment-${comments} (Longview /agent undo).`,
        `Longview-Undo: ${fix}`,
      ].join("\n\n"),
    );
    const [history] = [await fake.pullCommits({ ...repo, pullNumber: PR_NUMBER })];
    expect(history.at(-1)).toMatchObject({ sha: revert.sha, author: fake.botIdentity, committer: GITHUB_COMMITTER });

    const answer = lastAnswer(fake);
    expect(answer.where).toBe("conversation");
    expect(answer.body).toBe(
      [
        `@alice Committed [\`${revert.sha.slice(0, 7)}\`](https://github.com/${OWNER}/${REPO}/commit/${revert.sha}), undoing Longview's fix commit:`,
        `- \`${fix.slice(0, 7)}\` Fix P1 bug: Comparison with NaN is always false`,
        "",
        "Restored `src/calc.js` (+1 −1) to its content before Longview's changes.",
        "",
        "<sub>Only Longview's own commits were reverted; nobody else changed these files after them. A review of the new commit follows.</sub>",
      ].join("\n"),
    );
    expect(queue.jobs).toMatchObject([{ kind: "review", headSha: revert.sha, previousSha: fix, trigger: "agent.undo" }]);

    // Undone already: a second undo says so and commits nothing.
    await undo(fake);
    expect(fake.commits).toHaveLength(2);
    expect(lastAnswer(fake).body).toBe("@alice There is nothing to undo: Longview's fix commit on the branch `feature` was already undone.");
  });

  test("a later commit by someone else on other files is kept; one on the fix's file refuses the undo", async () => {
    const fake = world();
    await fixed(fake);
    const readme = fake.push(repo, BRANCH, { "README.md": "# shop\n\nMore.\n" }, "docs");
    await undo(fake);
    expect(fake.commits).toHaveLength(2);
    expect(fake.commits[1]!.parent).toBe(readme);
    expect(fake.fileAt(repo, BRANCH, "src/calc.js")).toBe(calc);
    expect(fake.fileAt(repo, BRANCH, "README.md")).toBe("# shop\n\nMore.\n");

    const other = world();
    await fixed(other);
    const touched = other.push(repo, BRANCH, { "src/calc.js": `// Ratios.\n${fixedCalc}` }, "a header");
    await undo(other);
    expect(other.commits).toHaveLength(1);
    expect(other.branchHead(repo, BRANCH)).toBe(touched);
    expect(lastAnswer(other).body).toBe(
      `@alice Other commits changed the files of Longview's fix after it: \`${touched.slice(0, 7)}\` (“a header”) by ${DEVELOPER.name} changed \`src/calc.js\`. Undoing the fix would throw those changes away. Nothing was changed; revert by hand instead.`,
    );
  });

  test("refused when a force-push removed Longview's commit, or rewrote it (a rebase keeps the author)", async () => {
    const fake = world();
    const fix = await fixed(fake);
    const forced = fake.createCommit(repo, HEAD, { "src/calc.js": fixedCalc.replace("return 0", "return -1") }, "my own fix");
    fake.setBranch(repo, BRANCH, forced);
    await undo(fake);
    expect(fake.commits).toHaveLength(1);
    expect(fake.branchHead(repo, BRANCH)).toBe(forced);
    expect(lastAnswer(fake).body).toBe(
      `@alice Longview's commit \`${fix.slice(0, 7)}\` is no longer in the history of the branch \`feature\` (a force-push rewrote or removed it), so there is no commit of Longview's left to revert. Nothing was changed.`,
    );

    const rebased = world();
    const original = await fixed(rebased);
    const message = rebased.commits[0]!.message;
    const copy = rebased.createCommit(repo, HEAD, { "src/calc.js": fixedCalc }, message, undefined, { author: rebased.botIdentity, committer: DEVELOPER });
    rebased.setBranch(repo, BRANCH, copy);
    await undo(rebased);
    expect(rebased.branchHead(repo, BRANCH)).toBe(copy);
    expect(lastAnswer(rebased).body).toMatch(
      new RegExp(`^@alice Longview's commit \`${copy.slice(0, 7)}\` .* \\(now committed by ${DEVELOPER.name}\\) was rewritten`),
    );
    expect(original).not.toBe(copy);
  });

  test("nothing to undo on a branch without Longview's commits", async () => {
    const fake = world();
    await undo(fake);
    expect(fake.commits).toEqual([]);
    expect(lastAnswer(fake).body).toBe("@alice There is nothing to undo: no fix commit of Longview's is on the branch `feature`.");
  });

  test("refused for a user without write access, and on a fork that does not allow edits by maintainers", async () => {
    const fake = world({ access: { alice: "write", bob: "read" } });
    await fixed(fake);
    await undo(fake, bob);
    expect(fake.commits).toHaveLength(1);
    expect(lastAnswer(fake).body).toBe("@bob Only people with write access to this repository can run `/agent undo`.");
    expect(fake.calls).not.toContain("pullCommits");

    const fork = { owner: "mallory", repo: REPO };
    const forked = world({ pull: { headRepo: fork } });
    forked.addRepo(fork, { files: { "src/calc.js": calc } });
    forked.push(fork, BRANCH, { "src/calc.js": fixedCalc }, "x");
    await undo(forked);
    expect(lastAnswer(forked).body).toMatch(/^@alice This pull request comes from a fork that does not allow edits by maintainers/);
  });

  test("a branch that moves while undoing: decided again on the new head, once", async () => {
    const fake = world();
    await fixed(fake);
    let pushed = "";
    fake.onceBeforeBranchMove((branch) => {
      pushed = fake.push(repo, branch, { "README.md": "moved\n" }, "meanwhile");
    });
    await undo(fake);
    expect(fake.commits).toHaveLength(2);
    expect(fake.commits[1]!.parent).toBe(pushed);
    expect(fake.fileAt(repo, BRANCH, "src/calc.js")).toBe(calc);
    expect(fake.fileAt(repo, BRANCH, "README.md")).toBe("moved\n");
  });

  test("the ref update's answer is lost (a 502 after GitHub moved the branch): the retry answers once and reverts nothing twice", async () => {
    const fake = world();
    await fixed(fake);
    fake.fail("commitFiles", { kind: "transient", afterWrite: true });
    await undo(fake);
    expect(fake.commits).toHaveLength(2);
    expect(fake.fileAt(repo, BRANCH, "src/calc.js")).toBe(calc);
    const undoAnswers = fake.answers.filter((a) => a.body.includes("undoing"));
    expect(undoAnswers).toHaveLength(1);
  });
});

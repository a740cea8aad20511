import { describe, expect, test } from "@jest/globals";
import type { AccessLevel } from "../../../src/github/permission.js";
import type { FakeGitHubHost, FakePullRequestInput, FilesInput } from "../../helpers/fake-github-host.js";
import { BOT, BRANCH, HEAD, OWNER, PR_NUMBER, REPO, addComments, appWith, longviewComment, reviewReplyEvent, shop } from "./github-mock.js";

/**
 * `/agent fix` in a Longview finding's thread, offline (no model): real
 * Probot, real analyzers and ESLint autofix; GitHub in memory
 * (FakeGitHubHost), asserted on what it holds afterwards.
 */

const calc = ["export function ratio(a, b) {", "  const r = a / b;", "  if (r === NaN) return 0;", "  return r;", "}", ""].join("\n");
const fixedCalc = calc.replace("r === NaN", "Number.isNaN(r)");
const FINDING_ID = 501;
const nanFinding = longviewComment(FINDING_ID, {
  path: "src/calc.js",
  line: 3,
  severity: "P1",
  category: "bug",
  title: "Comparison with NaN is always false",
  body: "Use the isNaN function to compare with NaN.",
  source: "eslint",
  ruleId: "use-isnan",
});
const shopRepo = { owner: OWNER, repo: REPO };

/** octo/shop with `src/calc.js` (and a README the fix leaves alone) at the head, the thread's root comment, and who may write. */
function world(options: { root?: object; files?: FilesInput; access?: Record<string, AccessLevel>; pull?: Partial<FakePullRequestInput> } = {}) {
  const { fake } = shop({
    files: options.files ?? { "src/calc.js": calc, "README.md": "# shop\n" },
    access: options.access ?? { alice: "write" },
    pull: options.pull ?? {},
  });
  addComments(fake, [options.root ?? nanFinding]);
  return fake;
}

async function fixInThread(fake: FakeGitHubHost, id: string, body = "/agent fix", sender?: { login: string; type: string }) {
  const app = await appWith({ github: fake });
  const event = reviewReplyEvent(body, FINDING_ID, sender);
  await app.receive({ id, ...event, payload: event.payload as never });
  return app.queue;
}

const replies = (fake: FakeGitHubHost) => fake.answers.map((a) => a.body);

describe("/agent fix in a finding's thread, offline", () => {
  test('an outdated finding whose code only moved is found again where its line is now, and fixed (the gate and "Fix all" count it open too)', async () => {
    const moved = `// a comment pushed on top\n// and another\n${calc}`;
    const anchored = longviewComment(FINDING_ID, {
      path: "src/calc.js",
      line: 3,
      severity: "P1",
      category: "bug",
      title: "Comparison with NaN is always false",
      source: "eslint",
      ruleId: "use-isnan",
      anchoredTo: "  if (r === NaN) return 0;",
    });
    const fake = world({ root: { ...anchored, line: null }, files: { "src/calc.js": moved } });
    await fixInThread(fake, "delivery-fix-moved");

    expect(fake.commits.map((c) => c.files)).toEqual([new Map([["src/calc.js", moved.replace("r === NaN", "Number.isNaN(r)")]])]);
    expect(replies(fake)[0]).toContain("- **P1 · bug** `src/calc.js:5` — Comparison with NaN is always false");
  });

  test("commits the ESLint fix on top of the head (its other files kept) and moves the branch; replies in the thread; queues the review of the commit", async () => {
    const fake = world();
    const queue = await fixInThread(fake, "delivery-fix-1");

    expect(fake.reactions).toEqual([{ on: "review-comment", commentId: 900, content: "eyes", user: BOT }]);
    expect(fake.commits).toHaveLength(1);
    const commit = fake.commits[0]!;
    expect(commit.files).toEqual(new Map([["src/calc.js", fixedCalc]]));
    expect(commit.parent).toBe(HEAD);
    expect(commit.message).toBe(
      [
        "Fix P1 bug: Comparison with NaN is always false",
        "- P1 bug: Comparison with NaN is always false (src/calc.js:3)",
        `Requested by @alice in https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#discussion_r900 (Longview /agent fix).`,
        `Longview-Fix: https://github.com/${OWNER}/${REPO}/pull/${PR_NUMBER}#discussion_r900`,
      ].join("\n\n"),
    );
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(commit.sha);
    expect(fake.fileAt(shopRepo, commit.sha, "src/calc.js")).toBe(fixedCalc);
    expect(fake.fileAt(shopRepo, commit.sha, "README.md")).toBe("# shop\n");
    expect((await (await fake.commit(shopRepo, commit.sha)).entry("src/calc.js"))?.mode).toBe("100644");

    expect(fake.answers.map((a) => a.where)).toEqual([{ thread: FINDING_ID }]);
    const reply = replies(fake)[0]!;
    expect(reply).toContain(`@alice Committed [\`${commit.sha.slice(0, 7)}\`](https://github.com/${OWNER}/${REPO}/commit/${commit.sha}), fixing 1 finding:`);
    expect(reply).toContain("- **P1 · bug** `src/calc.js:3` — Comparison with NaN is always false");
    expect(reply).toContain("Changed `src/calc.js` (+1 −1).");
    expect(reply).toContain("Fixed with the analyzers' own automatic fixes (no model).");
    expect(reply).toContain("Checked: `src/calc.js` parses (TypeScript); the analyzers no longer report the finding; no new P0/P1 findings.");

    expect(queue.jobs).toEqual([
      {
        kind: "review",
        installationId: 42,
        owner: OWNER,
        repo: REPO,
        pullNumber: PR_NUMBER,
        headSha: commit.sha,
        previousSha: HEAD,
        deliveryId: "delivery-fix-1",
        replayKey: "review-comment:900",
        trigger: "agent.fix",
      },
    ]);
  });

  test("the branch moved before the ref update: the edits are re-applied on the new head and committed there", async () => {
    // Someone added a header line meanwhile: the finding moved down a line; the text-anchored edit still applies.
    const movedCalc = `// Ratios.\n${calc}`;
    const fake = world({ access: { alice: "admin" } });
    let movedHead = "";
    fake.onceBeforeBranchMove((branch) => {
      movedHead = fake.push(shopRepo, branch, { "src/calc.js": movedCalc }, "a header");
    });
    const queue = await fixInThread(fake, "delivery-fix-2");

    // The first commit never reached the branch; the second is on the moved head.
    expect(fake.commits).toHaveLength(1);
    const [commit] = fake.commits;
    expect(commit).toMatchObject({ parent: movedHead, files: new Map([["src/calc.js", `// Ratios.\n${fixedCalc}`]]) });
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(commit!.sha);
    expect(fake.fileAt(shopRepo, commit!.sha, "README.md")).toBe("# shop\n");
    expect(replies(fake)[0]).toContain("The branch moved meanwhile; the edits were re-applied and re-checked on its new head.");
    expect(queue.jobs).toMatchObject([{ headSha: commit!.sha, previousSha: movedHead, trigger: "agent.fix" }]);
  });

  test("an executable file keeps its mode", async () => {
    const fake = world({ files: { "src/calc.js": { content: calc, mode: "100755" } } });
    await fixInThread(fake, "delivery-fix-3");
    const [commit] = fake.commits;
    expect(commit?.files).toEqual(new Map([["src/calc.js", fixedCalc]]));
    expect((await (await fake.commit(shopRepo, commit!.sha)).entry("src/calc.js"))?.mode).toBe("100755");
  });
});

describe("/agent fix refusals: a clear reply and nothing written", () => {
  async function refusedWith(fake: FakeGitHubHost, sender = { login: "alice", type: "User" }): Promise<string> {
    const before = fake.branchHead(shopRepo, BRANCH);
    const queue = await fixInThread(fake, "delivery-refusal", "/agent fix", sender);
    expect(fake.reactions).toHaveLength(1);
    expect(fake.commits).toEqual([]);
    expect(fake.branchHead(shopRepo, BRANCH)).toBe(before);
    expect(queue.jobs).toEqual([]);
    expect(fake.answers.map((a) => a.where)).toEqual([{ thread: FINDING_ID }]);
    return replies(fake)[0]!;
  }

  test("a user with read access", async () => {
    const reply = await refusedWith(world({ access: { bob: "read" } }), { login: "bob", type: "User" });
    expect(reply).toBe("@bob Only people with write access to this repository can run `/agent fix`.");
  });

  test("a triager (role below write, whatever their author_association)", async () => {
    const reply = await refusedWith(world({ access: { bob: "triage" } }), { login: "bob", type: "User" });
    expect(reply).toMatch(/^@bob Only people with write access/);
  });

  test("a closed pull request", async () => {
    const reply = await refusedWith(world({ pull: { state: "closed" } }));
    expect(reply).toBe("@alice This pull request is closed; Longview only fixes open pull requests.");
  });

  test("a merged pull request", async () => {
    const reply = await refusedWith(world({ pull: { state: "closed", merged: true } }));
    expect(reply).toBe("@alice This pull request is already merged; Longview only fixes open pull requests.");
  });

  test("a fork that does not allow edits by maintainers", async () => {
    const fork = { owner: "mallory", repo: "shop" };
    const fake = world({ pull: { headRepo: fork, maintainerCanModify: false } });
    fake.addRepo(fork, { files: { "src/calc.js": calc } });
    fake.addBranch(fork, BRANCH);
    const reply = await refusedWith(fake);
    expect(reply).toMatch(/^@alice This pull request comes from a fork that does not allow edits by maintainers/);
    expect(fake.commits).toEqual([]);
  });

  test("a finding in a workflow file", async () => {
    const workflowFinding = longviewComment(FINDING_ID, {
      path: ".github/workflows/ci.yml",
      line: 4,
      severity: "P1",
      category: "security",
      title: "Script injection",
    });
    const reply = await refusedWith(world({ root: workflowFinding }));
    expect(reply).toContain("@alice Longview does not edit GitHub Actions workflows or actions (`.github/workflows/`, `.github/actions/`).");
    expect(reply).toContain("- **P1 · security** `.github/workflows/ci.yml:4` — Script injection: Longview does not edit GitHub Actions workflows");
  });

  test("instructions that ask for a workflow edit", async () => {
    const fake = world();
    await fixInThread(fake, "delivery-refusal-wf", "/agent fix and bump node in .github/workflows/ci.yml");
    expect(fake.commits).toEqual([]);
    expect(replies(fake)).toEqual(["@alice Longview does not edit GitHub Actions workflows or actions (`.github/workflows/`, `.github/actions/`)."]);
  });

  test("a finding with no automatic fix, offline", async () => {
    const agentFinding = longviewComment(FINDING_ID, {
      path: "src/calc.js",
      line: 2,
      severity: "P1",
      category: "bug",
      title: "Division by zero returns Infinity",
    });
    const reply = await refusedWith(world({ root: agentFinding }));
    expect(reply).toContain("@alice Longview runs without a model here (no `OPENAI_API_KEY`)");
    expect(reply).toContain("- **P1 · bug** `src/calc.js:2` — Division by zero returns Infinity: no analyzer rule reported it");
  });

  test("a thread that does not start with Longview's finding (someone imitating its format)", async () => {
    const forged = { ...nanFinding, user: { login: "mallory", type: "User" } };
    const reply = await refusedWith(world({ root: forged }));
    expect(reply).toMatch(/^@alice Acting on a reviewer's comment needs a model/);
  });

  test("an outdated finding whose code is gone from the head: said, nothing written", async () => {
    const gone = longviewComment(501, {
      path: "src/calc.js",
      line: 3,
      severity: "P1",
      category: "bug",
      title: "Comparison with NaN is always false",
      source: "eslint",
      ruleId: "use-isnan",
      anchoredTo: "  if (x === NaN) return 1;",
    });
    const reply = await refusedWith(world({ root: { ...gone, line: null } }));
    expect(reply).toMatch(/^@alice Nothing is left to fix: the findings asked about are no longer in the code/);
    expect(reply).toContain("no longer at the pull request's head");
  });
});

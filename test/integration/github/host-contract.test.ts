import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Fingerprinted } from "../../../src/domain/finding.js";
import type { PullRef } from "../../../src/domain/pull-request.js";
import type { CheckOutcome } from "../../../src/github/check-run.js";
import { BranchMovedError } from "../../../src/github/git-commit.js";
import { bodyMarkerFor, formatFindingComment } from "../../../src/github/finding-comment.js";
import { createGitHubHost, type GitHubHost } from "../../../src/github/host.js";
import { dismissedFingerprints, openThreads } from "../../../src/github/longview-state.js";
import { fixedMarker, reviewMarker } from "../../../src/github/markers.js";
import { classifyCommit, isBotIdentity } from "../../../src/fix/undo-plan.js";
import type { GitHub } from "../../../src/github/client.js";
import { anchorHash, anchorsOf } from "../../../src/review/fingerprint.js";
import { startSimulator, type Simulator } from "../../../tools/github-simulator/index.js";
import { FakeGitHubHost } from "../../helpers/fake-github-host.js";
import { finding } from "../../helpers/findings.js";
import { TestOctokit, silentLog } from "../../helpers/github.js";
import { installationToken, releaseFetchFromNock } from "../../simulator/helpers.js";

/**
 * The in-memory GitHub of the behaviour tests (FakeGitHubHost) and the real
 * front door (`createGitHubHost` over the simulator, which speaks GitHub's
 * REST and GraphQL) go through the same scenarios and must end in the same
 * state: what Longview reads back of the findings it posted, check runs
 * opened and taken over, and fix commits that move the branch. When one of
 * them changes, this is where they part.
 */

releaseFetchFromNock();

const BASE_APP = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
const HEAD_APP = BASE_APP.replace("line 3\n", "line three\n").replace("line 15\n", "line 15\ninserted\n");
const BASE_FILES = { "src/app.ts": BASE_APP, "README.md": "# widgets\n" };
const HEAD_FILES = { "src/app.ts": HEAD_APP, "src/util.ts": "a\nb\nc\n" };

interface World {
  readonly host: GitHubHost;
  readonly ref: PullRef;
  readonly headSha: string;
  readonly baseSha: string;
  /** Someone pushes a commit of `files` on the head branch. */
  push(files: Record<string, string>): Promise<string>;
  /** Someone force-pushes the head branch to a commit of `files` on the base. */
  forcePush(files: Record<string, string>): Promise<string>;
  /** A person (or a bot, `name[bot]`) reacts to a review comment in the web page. */
  react(commentId: number, user: string, content: "-1" | "+1"): void;
  /** A person resolves the thread that starts with `commentId` in the web page. */
  resolve(commentId: number, user: string): void;
}

let sim: Simulator;

async function simulatorWorld(name: string): Promise<World> {
  const repo = { owner: "acme", repo: name };
  await sim.createRepo({
    owner: repo.owner,
    name,
    commits: [{ message: "base", files: BASE_FILES }],
    branches: { feature: { commits: [{ message: "feature", files: HEAD_FILES }] } },
  });
  const pr = await sim.createPullRequest({ repo: `acme/${name}`, head: "feature", base: "main", title: "Feature", user: "dev" });
  const token = await installationToken(sim, sim.installationId("acme")!);
  const octokit = new TestOctokit({ auth: { token }, baseUrl: sim.url }) as GitHub;
  const host = createGitHubHost(octokit, { botLogin: () => Promise.resolve(sim.app.botLogin) });
  const baseSha = (await host.pullRequest({ ...repo, pullNumber: pr.number })).base.sha;
  return {
    host,
    ref: { ...repo, pullNumber: pr.number },
    headSha: pr.headSha,
    baseSha,
    push: async (files) => (await sim.pushCommit(`acme/${name}`, "feature", { message: "push", files })).sha,
    forcePush: async (files) => (await sim.forcePush(`acme/${name}`, "feature", baseSha, { message: "force", files })).sha,
    react: (commentId, user, content) => sim.reactToReviewComment(`acme/${name}`, commentId, user, content),
    resolve: (commentId, user) => sim.resolveThread(`acme/${name}`, commentId, user),
  };
}

function fakeWorld(name: string): World {
  const fake = new FakeGitHubHost();
  const repo = { owner: "acme", repo: name };
  fake.addRepo(repo, { files: BASE_FILES });
  const baseSha = fake.branchHead(repo, "main")!;
  const headSha = fake.push(repo, "feature", HEAD_FILES, "feature");
  const ref = fake.addPullRequest(repo, { head: "feature", title: "Feature", author: "dev" });
  return {
    host: fake,
    ref,
    headSha,
    baseSha,
    push: (files) => Promise.resolve(fake.push(repo, "feature", files, "push")),
    forcePush: (files) => {
      const sha = fake.createCommit(repo, baseSha, files, "force");
      fake.setBranch(repo, "feature", sha);
      return Promise.resolve(sha);
    },
    react: (commentId, user, content) => fake.reactToReviewComment(commentId, user, content),
    resolve: (commentId, user) => fake.setThread(commentId, { resolved: true, resolvedBy: user }),
  };
}

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(async () => {
  // What was served (review comments with their reactions, reaction listings, thread resolvers) matches GitHub's OpenAPI description.
  expect(sim.violations).toEqual([]);
  await sim.close();
});

let worlds = 0;
const kinds: [string, (name: string) => World | Promise<World>][] = [
  ["the fake", fakeWorld],
  ["the simulator", simulatorWorld],
];

function placed(overrides: Parameters<typeof finding>[0], anchoredTo: string | null): Fingerprinted {
  const f = finding(overrides);
  const fingerprint = createHash("sha256").update(`${f.path}:${f.line}`).digest("hex").slice(0, 16);
  return { ...f, placement: "inline", placementNote: null, fingerprint, anchor: anchoredTo && anchorHash(anchoredTo) };
}

describe.each(kinds)("GitHubHost contract: %s", (_kind, makeWorld) => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld(`widgets${++worlds}`);
  });

  test("the pull request and its change set", async () => {
    const pr = await world.host.pullRequest(world.ref);
    expect(pr).toMatchObject({
      number: world.ref.pullNumber,
      state: "open",
      head: { sha: world.headSha, ref: "feature" },
      base: { sha: world.baseSha, ref: "main" },
    });
    const changeSet = await world.host.changeSet(world.ref, pr, {
      filter: { include: ["**"], exclude: [], skipGenerated: true },
      concurrency: 2,
      log: silentLog,
      maxFiles: 100,
      maxChangedLines: 10_000,
      maxFileBytes: 100_000,
      maxTotalBytes: 1_000_000,
    });
    expect(changeSet.files.map((f) => [f.path, f.status, f.additions, f.deletions])).toEqual([
      ["src/app.ts", "modified", 2, 1],
      ["src/util.ts", "added", 3, 0],
    ]);
    expect(changeSet.headContents.get("src/app.ts")).toBe(HEAD_APP);
    expect(changeSet.lineMap.locate("src/app.ts", 16, "RIGHT")).not.toBeNull();
    expect(await world.host.textFile(world.ref, "src/util.ts", world.headSha)).toBe("a\nb\nc\n");
    expect(await world.host.textFile(world.ref, "src/util.ts", world.baseSha)).toBeNull();
  });

  test("posted findings read back as Longview's state, and a fixed one is replied to and resolved", async () => {
    const onDiff = placed({ path: "src/app.ts", line: 16, title: "Inserted line" }, "inserted");
    const fileLevel = { ...placed({ path: "src/util.ts", line: 1, title: "The whole file" }, null), placement: "file" as const };
    const notInPr = { ...placed({ path: "README.md", line: 1, title: "Not in the pull request" }, null), placement: "file" as const };
    const posted = await world.host.postReview({
      ref: world.ref,
      commitId: world.headSha,
      findings: [onDiff, fileLevel, notInPr],
      comment: formatFindingComment,
      body: (rerouted) => `${rerouted.map((f) => `- ${f.title}${bodyMarkerFor(f)}`).join("\n")}\n\n${reviewMarker({ head: world.headSha, from: null })}`,
      log: silentLog,
    });
    // GitHub refuses a file comment outside the pull request: it goes in the body. (Line comments off the diff are
    // found by bisection with pending reviews, which the simulator does not delete; test/integration/github/post-review.test.ts has them.)
    expect({ inline: posted.inline, fileLevel: posted.fileLevel, rerouted: posted.rerouted.map((f) => [f.title, f.placement, f.placementNote]) }).toEqual({
      inline: 1,
      fileLevel: 1,
      rerouted: [["Not in the pull request", "body", "GitHub refused it as a file comment"]],
    });

    const state = await world.host.state(world.ref, silentLog);
    expect(state.lastReviewedHead).toBe(world.headSha);
    expect(state.lastCompleteHead).toBe(world.headSha);
    expect([...state.fingerprints].sort()).toEqual([onDiff, fileLevel, notInPr].map((f) => f.fingerprint).sort());
    const threads = state.threads.map((t) => ({
      path: t.path,
      fingerprint: t.fingerprint,
      anchor: t.anchor,
      title: t.finding.title,
      line: t.finding.line,
      resolved: t.resolved,
      outdated: t.outdated,
      fixed: t.fixedReplied,
      hasThread: t.threadId !== null,
    }));
    expect(threads.sort((a, b) => a.fingerprint.localeCompare(b.fingerprint))).toEqual(
      [
        {
          path: "src/app.ts",
          fingerprint: onDiff.fingerprint,
          anchor: onDiff.anchor,
          title: "Inserted line",
          line: 16,
          resolved: false,
          outdated: false,
          fixed: false,
          hasThread: true,
        },
        {
          path: "src/util.ts",
          fingerprint: fileLevel.fingerprint,
          anchor: null,
          title: "The whole file",
          line: 1,
          resolved: false,
          outdated: false,
          fixed: false,
          hasThread: true,
        },
      ].sort((a, b) => a.fingerprint.localeCompare(b.fingerprint)),
    );
    const root = await world.host.reviewComment(world.ref, state.threads.find((t) => t.fingerprint === onDiff.fingerprint)!.commentId);
    expect(root).toMatchObject({ path: "src/app.ts", line: 16, user: { login: await world.host.botLogin() } });

    const thread = state.threads.find((t) => t.fingerprint === onDiff.fingerprint)!;
    await world.host.markFixed(world.ref, thread, `Fixed in ${world.headSha}. ${fixedMarker(thread.fingerprint)}`, silentLog);
    const after = await world.host.state(world.ref, silentLog);
    expect(after.threads.find((t) => t.fingerprint === onDiff.fingerprint)).toMatchObject({ resolved: true, fixedReplied: true });
    expect(
      openThreads(after)
        .map((t) => t.fingerprint)
        .sort(),
    ).toEqual([fileLevel.fingerprint]);
  });

  test("a person's 👎 and a person's resolution read back; Longview's own 👎 does not count", async () => {
    const thumbs = placed({ path: "src/app.ts", line: 3, title: "Thumbed down" }, "line three");
    const byBot = placed({ path: "src/app.ts", line: 4, title: "Thumbed down by the bot" }, "line 4");
    const resolvedByPerson = placed({ path: "src/app.ts", line: 2, title: "Resolved by a person" }, "line 2");
    await world.host.postReview({
      ref: world.ref,
      commitId: world.headSha,
      findings: [thumbs, byBot, resolvedByPerson],
      comment: formatFindingComment,
      body: () => reviewMarker({ head: world.headSha, from: null }),
      log: silentLog,
    });
    const before = await world.host.state(world.ref, silentLog);
    const id = (f: Fingerprinted) => before.threads.find((t) => t.fingerprint === f.fingerprint)!.commentId;
    world.react(id(thumbs), "octocat", "-1");
    world.react(id(thumbs), "octocat", "+1");
    world.react(id(byBot), await world.host.botLogin(), "-1");
    world.resolve(id(resolvedByPerson), "octocat");

    const after = await world.host.state(world.ref, silentLog);
    const thread = (f: Fingerprinted) => after.threads.find((t) => t.fingerprint === f.fingerprint)!;
    expect(thread(thumbs)).toMatchObject({ thumbsDownBy: ["octocat"], resolved: false });
    expect(thread(byBot)).toMatchObject({ thumbsDownBy: [], resolved: false });
    expect(thread(resolvedByPerson)).toMatchObject({ thumbsDownBy: [], resolved: true, resolvedByPerson: true });
    const open = openThreads(after).map((t) => t.fingerprint);
    expect(open).toContain(byBot.fingerprint);
    expect(open).not.toContain(thumbs.fingerprint);
    expect(open).not.toContain(resolvedByPerson.fingerprint);
    // The code is unchanged at head: both of the person's decisions dismiss.
    const anchorsAt = () => anchorsOf(HEAD_APP);
    expect([...dismissedFingerprints(after, anchorsAt)].sort()).toEqual([thumbs.fingerprint, resolvedByPerson.fingerprint].sort());
  });

  test("a check run: opened once, an unfinished one taken over, completed with its annotations", async () => {
    const opening = { name: "Longview", headSha: world.headSha, externalId: `${world.ref.pullNumber}`, log: silentLog };
    const first = await world.host.openCheckRun(world.ref, opening);
    const again = await world.host.openCheckRun(world.ref, opening);
    expect(again.id).toBe(first.id);
    expect(await world.host.checkRuns(world.ref, world.headSha, "Longview")).toEqual([
      { id: first.id, status: "in_progress", conclusion: null, external_id: opening.externalId },
    ]);

    const annotations = Array.from({ length: 60 }, (_, i) => ({
      path: "src/app.ts",
      start_line: (i % 20) + 1,
      end_line: (i % 20) + 1,
      annotation_level: "warning" as const,
      title: `finding ${i}`,
      message: "m",
    }));
    const outcome: CheckOutcome = { conclusion: "failure", title: "60 findings", summary: "done", text: "", annotations };
    await first.complete(outcome, [{ label: "Fix all", description: "Fix the findings", identifier: "fix-all" }]);
    expect(await world.host.checkRuns(world.ref, world.headSha, "Longview")).toEqual([
      { id: first.id, status: "completed", conclusion: "failure", external_id: opening.externalId },
    ]);

    const next = await world.host.openCheckRun(world.ref, opening);
    expect(next.id).not.toBe(first.id);
    const completed: number[] = [];
    const cancelled = await world.host.cancelSupersededRuns(world.ref, {
      oldSha: world.headSha,
      newSha: world.baseSha,
      name: "Longview",
      complete: async (run) => {
        completed.push(run.id);
        await run.complete({ conclusion: "cancelled", title: "Superseded", summary: "newer push", text: "", annotations: [] });
      },
      log: silentLog,
    });
    expect({ cancelled, completed }).toEqual({ cancelled: 1, completed: [next.id] });
    expect((await world.host.checkRuns(world.ref, world.headSha, "Longview")).map((r) => [r.id, r.status, r.conclusion]).sort()).toEqual(
      [
        [first.id, "completed", "failure"],
        [next.id, "completed", "cancelled"],
      ].sort(),
    );
  });

  test("a fix commit moves the branch; a moved branch refuses it; settling finds it on the branch", async () => {
    const head = await world.host.commit(world.ref, world.headSha);
    expect(head.commitSha).toBe(world.headSha);
    const read = await head.readText("src/util.ts");
    expect(read).toMatchObject({ ok: true, text: "a\nb\nc\n", entry: { mode: "100644", type: "blob" } });
    expect(await head.readText("src")).toEqual({ ok: false, reason: "it is not a regular file" });
    expect(await head.readText("nope.ts")).toEqual({ ok: false, reason: "it does not exist at the pull request's head" });

    const seen: string[] = [];
    const commit = await world.host.commitFiles(
      {
        repo: world.ref,
        branch: "feature",
        parentSha: world.headSha,
        baseTreeSha: head.treeSha,
        files: new Map([["src/util.ts", "a\nB\nc\n"]]),
        modes: new Map([["src/util.ts", "100644"]]),
        message: "Fix B",
        beforeRefMove: async (c) => {
          seen.push(c.sha);
        },
      },
      silentLog,
    );
    expect(seen).toEqual([commit.sha]);
    expect((await world.host.pullRequest(world.ref)).head.sha).toBe(commit.sha);
    expect(await world.host.textFile(world.ref, "src/util.ts", commit.sha)).toBe("a\nB\nc\n");
    expect(await world.host.textFile(world.ref, "src/app.ts", commit.sha)).toBe(HEAD_APP);
    const increment = await world.host.changesSince(world.ref, world.headSha, commit.sha);
    expect(increment?.files.map((f) => [f.path, f.additions, f.deletions])).toEqual([["src/util.ts", 1, 1]]);
    expect(await world.host.changesSince(world.ref, commit.sha, world.baseSha)).toBeNull();

    const stale = world.host.commitFiles(
      {
        repo: world.ref,
        branch: "feature",
        parentSha: world.headSha,
        baseTreeSha: head.treeSha,
        files: new Map([["src/util.ts", "x\n"]]),
        modes: new Map(),
        message: "Late",
      },
      silentLog,
    );
    await expect(stale).rejects.toBeInstanceOf(BranchMovedError);
    await expect(stale).rejects.toMatchObject({ expectedSha: world.headSha, actualSha: commit.sha });

    expect(await world.host.settleCommit(world.ref, "feature", commit.sha, world.headSha, silentLog)).toEqual({ kind: "on-branch" });
    // Someone pushed on top of the fix: it is still in.
    await world.push({ "README.md": "later\n" });
    expect(await world.host.settleCommit(world.ref, "feature", commit.sha, world.headSha, silentLog)).toEqual({ kind: "on-branch" });
    // A force-push without it: the fix is not on the branch, and is not forced onto it.
    const forced = await world.forcePush({ "src/app.ts": "rewritten\n" });
    expect(await world.host.settleCommit(world.ref, "feature", commit.sha, world.headSha, silentLog)).toEqual({ kind: "not-applied", head: forced });
    expect((await world.host.pullRequest(world.ref)).head.sha).toBe(forced);
  });
});

describe.each(kinds)("GitHubHost contract, what /agent undo reads: %s", (_kind, makeWorld) => {
  test("the pull request's commits with their git identities (Longview's fix commit is the bot's), and Longview's own comments in order", async () => {
    const world = await makeWorld(`widgets${++worlds}`);
    const bot = await world.host.botLogin();
    const listed = await world.host.pullCommits(world.ref);
    expect(listed.map((c) => [c.sha, c.parents, c.message])).toEqual([[world.headSha, [world.baseSha], "feature"]]);
    expect(classifyCommit(listed[0]!, bot)).toEqual({ kind: "other" });

    const head = await world.host.commit(world.ref, world.headSha);
    const fix = await world.host.commitFiles(
      {
        repo: world.ref,
        branch: "feature",
        parentSha: world.headSha,
        baseTreeSha: head.treeSha,
        files: new Map([["src/util.ts", "a\nB\nc\n"]]),
        modes: new Map([["src/util.ts", "100644"]]),
        message: "Fix B\n\nLongview-Fix: fix-all",
      },
      silentLog,
    );
    const later = await world.push({ "README.md": "later\n" });
    const commits = await world.host.pullCommits(world.ref);
    expect(commits.map((c) => [c.sha, c.parents])).toEqual([
      [world.headSha, [world.baseSha]],
      [fix.sha, [world.headSha]],
      [later, [fix.sha]],
    ]);
    expect(commits[1]!.message).toBe("Fix B\n\nLongview-Fix: fix-all");
    expect(isBotIdentity(commits[1]!.author, bot)).toBe(true);
    expect(commits.map((c) => classifyCommit(c, bot).kind)).toEqual(["other", "fix", "other"]);

    const options = { lookFirst: false, log: silentLog };
    await world.host.answer(world.ref, { kind: "issue-comment", commentId: 1 }, "first answer", { ...options, key: "0000000000000001" });
    await world.host.answer(world.ref, { kind: "issue-comment", commentId: 1 }, "second answer", { ...options, key: "0000000000000002" });
    expect(await world.host.longviewComments(world.ref)).toEqual([expect.stringMatching(/^first answer\n/), expect.stringMatching(/^second answer\n/)]);
  });
});

describe("the fake's injected failures", () => {
  test("typed GitHubErrors per operation, as often as asked; after the write when asked", async () => {
    const { host } = fakeWorld("failing");
    const fake = host as FakeGitHubHost;
    const ref = { owner: "acme", repo: "failing", pullNumber: 1 };
    fake.fail("pullRequest", { kind: "rate-limited", retryAfterMs: 2_000 }).fail("access", { kind: "forbidden", times: 2 });
    await expect(fake.pullRequest(ref)).rejects.toMatchObject({ name: "GitHubError", kind: "rate-limited", status: 403, retryAfterMs: 2_000, transient: true });
    await expect(fake.pullRequest(ref)).resolves.toMatchObject({ number: 1 });
    for (let i = 0; i < 2; i++) await expect(fake.access(ref, "alice")).rejects.toMatchObject({ kind: "forbidden", status: 403, transient: false });
    await expect(fake.access(ref, "alice")).resolves.toBe("none");

    for (const [kind, status] of [
      ["transient", 502],
      ["not-found", 404],
      ["validation", 422],
    ] as const) {
      fake.fail("textFile", { kind });
      await expect(fake.textFile(ref, "README.md", "main")).rejects.toMatchObject({ kind, status });
    }

    // GitHub stored the answer, then the gateway failed.
    fake.fail("answer", { kind: "transient", afterWrite: true });
    const options = { key: "0123456789abcdef", lookFirst: false, log: silentLog };
    await expect(fake.answer(ref, { kind: "issue-comment", commentId: 1 }, "Hello", options)).rejects.toMatchObject({ kind: "transient" });
    expect(fake.answers).toEqual([{ pullNumber: 1, where: "conversation", body: "Hello", key: "0123456789abcdef" }]);
    // A later attempt that looks first finds it and does not answer twice.
    await fake.answer(ref, { kind: "issue-comment", commentId: 1 }, "Hello", { ...options, lookFirst: true });
    expect(fake.answers).toHaveLength(1);
  });
});

import { createHash } from "node:crypto";
import { afterEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import type { ChangedFile } from "../../../src/domain/change-set.js";
import type { Fingerprinted } from "../../../src/domain/finding.js";
import { createAppIdentity } from "../../../src/github/app-identity.js";
import { bodyMarkerFor, formatFindingComment } from "../../../src/github/finding-comment.js";
import { createGitHubHost, type GitHubHost } from "../../../src/github/host.js";
import { reviewMarker } from "../../../src/github/markers.js";
import { FakeGitHubHost } from "../../helpers/fake-github-host.js";
import { finding } from "../../helpers/findings.js";
import { silentLog, testOctokit } from "../../helpers/github.js";
import { FakeGitHub } from "../../helpers/nock-github.js";

/**
 * The part of the GitHubHost contract the simulator cannot run: line
 * comments GitHub refuses. Over HTTP, `createGitHubHost` finds them by
 * bisection with pending reviews (which the simulator does not delete); the
 * in-memory fake decides them from the diff directly. Both must post the
 * same comments, re-route the same findings, and read back the same state.
 * Here the HTTP side is nock's stateful GitHub (test/helpers/nock-github.ts),
 * which refuses line comments outside the patch as GitHub does.
 */

afterEach(() => nock.cleanAll());

const OWNER = "acme";
const REPO = "widgets";
const BASE_APP = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
const HEAD_APP = BASE_APP.replace("line 3\n", "line three\n").replace("line 15\n", "line 15\ninserted\n");

/** The same pull request in memory, and over nock with the patches the in-memory diff computed. */
async function worlds(): Promise<{ name: string; host: GitHubHost; ref: { owner: string; repo: string; pullNumber: number }; head: string }[]> {
  const fake = new FakeGitHubHost();
  const repo = { owner: OWNER, repo: REPO };
  fake.addRepo(repo, { files: { "src/app.ts": BASE_APP, "README.md": "# widgets\n" } });
  const head = fake.push(repo, "feature", { "src/app.ts": HEAD_APP, "src/util.ts": "a\nb\nc\n" });
  const ref = fake.addPullRequest(repo, { number: 2, head: "feature" });
  const pr = await fake.pullRequest(ref);
  const changeSet = await fake.changeSet(ref, pr, {
    filter: { include: ["**"], exclude: [], skipGenerated: true },
    concurrency: 1,
    log: silentLog,
    maxFiles: 100,
    maxChangedLines: 10_000,
    maxFileBytes: 100_000,
    maxTotalBytes: 1_000_000,
  });
  const http = new FakeGitHub({
    owner: OWNER,
    repo: REPO,
    number: 2,
    headSha: head,
    files: changeSet.files.map((f) => ({ filename: f.path, status: f.status === "added" ? "added" : "modified", patch: patchOf(f), content: "" })),
  }).install();
  return [
    { name: "the fake", host: fake, ref, head },
    { name: "nock's GitHub", host: createGitHubHost(testOctokit(), createAppIdentity()), ref: { ...ref }, head: http.headSha },
  ];
}

function patchOf(file: ChangedFile): string {
  const sign = { add: "+", del: "-", context: " " } as const;
  return file.hunks.map((h) => [h.header, ...h.lines.map((l) => `${sign[l.kind]}${l.text}`)].join("\n")).join("\n");
}

function placed(overrides: Parameters<typeof finding>[0], anchoredTo: string | null): Fingerprinted {
  const f = finding(overrides);
  const fingerprint = createHash("sha256").update(`${f.path}:${f.line}`).digest("hex").slice(0, 16);
  return {
    ...f,
    placement: "inline",
    placementNote: null,
    fingerprint,
    anchor: anchoredTo === null ? null : createHash("sha256").update(anchoredTo).digest("hex").slice(0, 12),
  };
}

describe("GitHubHost contract: comments GitHub refuses", () => {
  test("a line off the diff becomes a file comment, a file outside the pull request goes in the body; the state reads back the same", async () => {
    const outcomes: unknown[] = [];
    for (const world of await worlds()) {
      const onDiff = placed({ path: "src/app.ts", line: 16, title: "Inserted line" }, "inserted");
      const offDiff = placed({ path: "src/app.ts", line: 10, title: "Far from the diff" }, "line 10");
      const ranged = placed({ path: "src/app.ts", line: 5, startLine: 2, title: "A range in one hunk" }, "line 5");
      const notInPr = { ...placed({ path: "README.md", line: 1, title: "Not in the pull request" }, null) };
      const posted = await world.host.postReview({
        ref: world.ref,
        commitId: world.head,
        findings: [onDiff, offDiff, ranged, notInPr],
        comment: formatFindingComment,
        body: (rerouted) => `${rerouted.map((f) => `- ${f.title}${bodyMarkerFor(f)}`).join("\n")}\n\n${reviewMarker({ head: world.head, from: null })}`,
        log: silentLog,
      });
      const state = await world.host.state(world.ref, silentLog);
      outcomes.push({
        inline: posted.inline,
        fileLevel: posted.fileLevel,
        rerouted: posted.rerouted.map((f) => [f.title, f.placement, f.placementNote]),
        lastReviewedHead: state.lastReviewedHead === world.head,
        fingerprints: [...state.fingerprints].sort(),
        threads: state.threads.map((t) => [t.path, t.fingerprint, t.finding.title, t.anchor]).sort(),
      });
    }
    expect(outcomes[0]).toEqual({
      inline: 2,
      fileLevel: 1,
      rerouted: [["Not in the pull request", "body", "GitHub refused it as a line comment"]],
      lastReviewedHead: true,
      fingerprints: expect.arrayContaining([]),
      threads: expect.arrayContaining([]),
    });
    const first = outcomes[0] as { fingerprints: string[]; threads: string[][] };
    expect(first.fingerprints).toHaveLength(4);
    expect(first.threads.map((t) => t[2])).toEqual(["A range in one hunk", "Far from the diff", "Inserted line"]);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
});

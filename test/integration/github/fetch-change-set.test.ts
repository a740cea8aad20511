import { afterEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { fetchChangeSet } from "../../../src/github/fetch-change-set.js";
import { PullRequestSchema } from "../../../src/github/schemas.js";
import { GITHUB_API, silentLog, testOctokit } from "../../helpers/github.js";

const ref = { owner: "o", repo: "r", pullNumber: 3 };
const pr = PullRequestSchema.parse({
  number: 3,
  title: "t",
  body: null,
  state: "open",
  user: { login: "u" },
  changed_files: 4,
  additions: 10,
  deletions: 2,
  head: { sha: "HEAD", ref: "feature", repo: { full_name: "o/r" } },
  base: { sha: "BASE", ref: "main", repo: { full_name: "o/r" } },
});
const options = {
  filter: { include: ["**"], exclude: [], skipGenerated: true },
  maxFileBytes: 100_000,
  maxFiles: 3_000,
  concurrency: 2,
  log: silentLog,
};
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");

afterEach(() => nock.cleanAll());

describe("fetchChangeSet", () => {
  test("recovers a missing patch from base and head blobs, skips binaries and lockfiles with reasons", async () => {
    const oldBig = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const newBig = oldBig.replace("line 15\n", "line fifteen\n");
    nock(GITHUB_API)
      .get("/repos/o/r/pulls/3/files")
      .query({ per_page: "100" })
      .reply(200, [
        { sha: "s1", filename: "src/a.ts", status: "modified", additions: 1, deletions: 0, changes: 1, patch: "@@ -1,1 +1,2 @@\n a\n+b" },
        { sha: "s2", filename: "src/big.ts", status: "modified", additions: 1, deletions: 1, changes: 2 },
        { sha: "s3", filename: "img/logo.png", status: "modified", additions: 0, deletions: 0, changes: 0 },
        { sha: "s4", filename: "package-lock.json", status: "modified", additions: 8, deletions: 1, changes: 9, patch: "@@ -1 +1 @@\n-a\n+b" },
      ])
      .get("/repos/o/r/contents/src%2Fbig.ts")
      .query({ ref: "BASE" })
      .reply(200, { type: "file", sha: "old2", size: oldBig.length, encoding: "base64", content: b64(oldBig) })
      .get("/repos/o/r/contents/src%2Fbig.ts")
      .query({ ref: "HEAD" })
      .reply(200, { type: "file", sha: "s2", size: newBig.length, encoding: "base64", content: b64(newBig) })
      // The image's blob at base, to tell new content from a mode change.
      .get("/repos/o/r/git/commits/BASE")
      .reply(200, { sha: "BASE", tree: { sha: "TREE" } })
      .get("/repos/o/r/git/trees/TREE")
      .query({ recursive: "true" })
      .reply(200, { sha: "TREE", truncated: false, tree: [{ path: "img/logo.png", mode: "100644", type: "blob", sha: "old3" }] })
      .get("/repos/o/r/git/blobs/s1")
      .reply(200, { content: b64("a\nb\n"), encoding: "base64", size: 4 })
      .get("/repos/o/r/git/blobs/s2")
      .reply(200, { content: b64(newBig), encoding: "base64", size: newBig.length });

    const cs = await fetchChangeSet(testOctokit(), ref, pr, options);

    expect(cs.files.map((f) => f.path)).toEqual(["src/a.ts", "src/big.ts"]);
    const big = cs.files[1]!;
    expect(big.hunks).toHaveLength(1);
    expect(big.hunks[0]!.lines.filter((l) => l.kind !== "context")).toEqual([
      { kind: "del", oldLine: 15, newLine: null, text: "line 15" },
      { kind: "add", oldLine: null, newLine: 15, text: "line fifteen" },
    ]);
    expect(cs.lineMap.locate("src/big.ts", 15, "RIGHT")?.kind).toBe("add");
    expect(cs.headContents.get("src/a.ts")).toBe("a\nb\n");
    expect(cs.skipped).toEqual([
      { path: "img/logo.png", reason: "binary", lines: 0, detail: "binary file (modified); binary content is not reviewed" },
      // Path rules run on GitHub's file list, before any patch is read: the line count is GitHub's.
      { path: "package-lock.json", reason: "lockfile", lines: 9, detail: "package-lock.json" },
    ]);
    expect(nock.isDone()).toBe(true);
  });

  test("a file without patch whose content is binary is skipped as binary", async () => {
    nock(GITHUB_API)
      .get("/repos/o/r/pulls/3/files")
      .query(true)
      .reply(200, [{ sha: "s9", filename: "data.bin", status: "modified", additions: 3, deletions: 3, changes: 6 }])
      .get("/repos/o/r/contents/data.bin")
      .query({ ref: "BASE" })
      .reply(200, { type: "file", sha: "x", size: 3, encoding: "base64", content: b64(Buffer.from([0, 1, 2])) })
      .get("/repos/o/r/contents/data.bin")
      .query({ ref: "HEAD" })
      .reply(200, { type: "file", sha: "s9", size: 3, encoding: "base64", content: b64(Buffer.from([0, 1, 3])) });
    const cs = await fetchChangeSet(testOctokit(), ref, { ...pr, changed_files: 1 }, options);
    expect(cs.files).toEqual([]);
    expect(cs.skipped).toEqual([{ path: "data.bin", reason: "binary", lines: 6, detail: "binary file (modified); binary content is not reviewed" }]);
  });

  test("files without patch or changed lines: binaries (added, modified, removed, renamed) are skipped as binary; only a kept blob is a mode change or a pure rename", async () => {
    const EMPTY = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
    const listing = [
      { sha: "new1", filename: "img/added.png", status: "added" },
      { sha: EMPTY, filename: "img/.keep", status: "added" },
      { sha: "new2", filename: "img/changed.png", status: "modified" },
      { sha: "old4", filename: "img/removed.png", status: "removed" },
      { sha: "new5", filename: "assets/moved.png", status: "renamed", previous_filename: "img/moved.png" },
      { sha: "same6", filename: "assets/same.png", status: "renamed", previous_filename: "img/same.png" },
      { sha: "same7", filename: "run.sh", status: "changed" },
      // Some listings report a mode change as "modified": the blob tells.
      { sha: "same8", filename: "tool.sh", status: "modified" },
    ].map((f) => ({ ...f, additions: 0, deletions: 0, changes: 0 }));
    nock(GITHUB_API)
      .get("/repos/o/r/pulls/3/files")
      .query(true)
      .reply(200, listing)
      // The base commit's tree, read once for all of them.
      .get("/repos/o/r/git/commits/BASE")
      .reply(200, { sha: "BASE", tree: { sha: "TREE" } })
      .get("/repos/o/r/git/trees/TREE")
      .query({ recursive: "true" })
      .reply(200, {
        sha: "TREE",
        truncated: false,
        tree: [
          { path: "img", mode: "040000", type: "tree", sha: "t1" },
          { path: "img/changed.png", mode: "100644", type: "blob", sha: "old2" },
          { path: "img/moved.png", mode: "100644", type: "blob", sha: "old5" },
          { path: "img/same.png", mode: "100644", type: "blob", sha: "same6" },
          { path: "run.sh", mode: "100644", type: "blob", sha: "same7" },
          { path: "tool.sh", mode: "100644", type: "blob", sha: "same8" },
        ],
      })
      // Head versions of the two files kept (context for the analyzers, though they have no lines).
      .get(/\/repos\/o\/r\/git\/blobs\/(e69de29|same6)/)
      .times(2)
      .reply(200, { content: "", encoding: "base64", size: 0 });

    const cs = await fetchChangeSet(testOctokit(), ref, { ...pr, changed_files: listing.length, additions: 0, deletions: 0 }, options);

    const binary = (path: string, how: string) => ({ path, reason: "binary", lines: 0, detail: `binary file (${how}); binary content is not reviewed` });
    expect(cs.skipped).toEqual([
      binary("assets/moved.png", "renamed from img/moved.png"),
      binary("img/added.png", "added"),
      binary("img/changed.png", "modified"),
      binary("img/removed.png", "removed"),
      { path: "run.sh", reason: "mode-only", lines: 0, detail: "file mode change only" },
      { path: "tool.sh", reason: "mode-only", lines: 0, detail: "file mode change only" },
    ]);
    // Nothing to review and nothing hidden: an empty new file and a rename that kept its content.
    expect(cs.files.map((f) => [f.path, f.status, f.hunks.length])).toEqual([
      ["img/.keep", "added", 0],
      ["assets/same.png", "renamed", 0],
    ]);
    expect(nock.isDone()).toBe(true);
  });

  test("reports files GitHub did not list (3,000-file cap) and files over LONGVIEW_MAX_FILES", async () => {
    const files = Array.from({ length: 3 }, (_, i) => ({
      sha: `s${i}`,
      filename: `f${i}.ts`,
      status: "added",
      additions: 1,
      deletions: 0,
      changes: 1,
      patch: "@@ -0,0 +1 @@\n+x",
    }));
    nock(GITHUB_API)
      .get("/repos/o/r/pulls/3/files")
      .query(true)
      .reply(200, files)
      .get(/\/repos\/o\/r\/git\/blobs\/s[01]/)
      .times(2)
      .reply(200, { content: b64("x\n"), encoding: "base64", size: 2 });
    const cs = await fetchChangeSet(testOctokit(), ref, { ...pr, changed_files: 3_500, additions: 4_000, deletions: 0 }, { ...options, maxFiles: 2 });
    expect(cs.files.map((f) => f.path)).toEqual(["f0.ts", "f1.ts"]);
    expect(cs.skipped).toEqual([
      expect.objectContaining({ path: "(3497 more files)", reason: "github-file-cap", lines: 3_997, files: 3_497 }),
      expect.objectContaining({ path: "f2.ts", reason: "too-large", lines: 1 }),
    ]);
  });
});

import { afterEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { ZodError } from "zod";
import { DEFAULT_REPOSITORY_LIMITS } from "../../../src/domain/repository.js";
import { gitHubRepositorySnapshot } from "../../../src/github/repository-snapshot.js";
import { GITHUB_API, testOctokit } from "../../helpers/github.js";

const REPO = { owner: "acme", repo: "depot" } as const;
const SHA = "a".repeat(40);
const BLOB = "b".repeat(40);

afterEach(() => {
  nock.cleanAll();
});

const open = () => gitHubRepositorySnapshot(testOctokit(), REPO, SHA, { limits: DEFAULT_REPOSITORY_LIMITS, strategy: "blobs" });

describe("GitHub repository snapshot: what GitHub answers is checked", () => {
  test("a tree without entries is refused (zod), not read as an empty repository", async () => {
    nock(GITHUB_API).get(`/repos/acme/depot/git/trees/${SHA}`).query({ recursive: "true" }).reply(200, { sha: SHA, truncated: false });
    await expect(open().paths()).rejects.toBeInstanceOf(ZodError);
  });

  test("listed entries with hostile paths are dropped", async () => {
    const entry = (path: string) => ({ path, mode: "100644", type: "blob", sha: BLOB, size: 3 });
    nock(GITHUB_API)
      .get(`/repos/acme/depot/git/trees/${SHA}`)
      .query({ recursive: "true" })
      .reply(200, { sha: SHA, truncated: false, tree: [entry("ok.ts"), entry("../escape.ts"), entry("/abs.ts"), entry("a//b.ts"), entry("nul\0.ts")] });
    expect((await open().paths()).paths).toEqual(["ok.ts"]);
  });

  test("a blob GitHub answers malformed fails the read; a blob larger than its listing said is refused", async () => {
    nock(GITHUB_API)
      .get(`/repos/acme/depot/git/trees/${SHA}`)
      .query({ recursive: "true" })
      .reply(200, {
        sha: SHA,
        tree: [
          { path: "bad.ts", mode: "100644", type: "blob", sha: BLOB, size: 3 },
          { path: "liar.ts", mode: "100644", type: "blob", sha: "c".repeat(40), size: 3 },
        ],
      });
    nock(GITHUB_API).get(`/repos/acme/depot/git/blobs/${BLOB}`).reply(200, { encoding: "base64" });
    nock(GITHUB_API)
      .get(`/repos/acme/depot/git/blobs/${"c".repeat(40)}`)
      .reply(200, { content: Buffer.alloc(DEFAULT_REPOSITORY_LIMITS.maxFileBytes + 1, 0x61).toString("base64"), encoding: "base64" });
    const repo = open();
    await expect(repo.read("bad.ts")).rejects.toBeInstanceOf(ZodError);
    expect(await repo.read("liar.ts")).toBeNull();
    expect(repo.stats().refused).toBe(1);
  });
});

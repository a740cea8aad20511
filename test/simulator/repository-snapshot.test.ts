import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import type { Octokit } from "@octokit/rest";
import { DEFAULT_REPOSITORY_LIMITS, type RepositoryLimits } from "../../src/domain/repository.js";
import type { GitHub } from "../../src/github/client.js";
import { createAppIdentity } from "../../src/github/app-identity.js";
import { GitHubError } from "../../src/github/errors.js";
import { createGitHubHost } from "../../src/github/host.js";
import { gitHubRepositorySnapshot, type RepositoryStrategy } from "../../src/github/repository-snapshot.js";
import { startSimulator, type Simulator } from "../../tools/github-simulator/index.js";
import { installationOctokit, releaseFetchFromNock } from "./helpers.js";

releaseFetchFromNock();

const REPO = { owner: "acme", repo: "depot" } as const;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const LONG_DIR = `${"deep/".repeat(30)}x`;

const files: Record<string, string | Buffer> = {
  "README.md": "# depot\n",
  "src/a.ts": "export const a = 1;\n",
  "src/b.ts": "export const b = 2;\n",
  "src/copy-of-a.ts": "export const a = 1;\n",
  "assets/logo.png": PNG,
  "latin1.txt": Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
  "big.txt": "x".repeat(5_000),
  [`${LONG_DIR}/long-path.ts`]: "export const deep = true;\n",
  link: "src/a.ts",
};

let sim: Simulator;
let gh: Octokit;
let sha: string;

beforeAll(async () => {
  sim = await startSimulator({ limits: { maxTreeEntries: 5 } });
  await sim.createRepo({ owner: "acme", name: "depot", commits: [{ message: "all", files, modes: { link: "120000" } }] });
  gh = await installationOctokit(sim, "acme");
  sha = (await gh.git.getRef({ ...REPO, ref: "heads/main" })).data.object.sha;
});

afterAll(async () => {
  await sim.close();
});

function snapshot(strategy: RepositoryStrategy, limits: Partial<RepositoryLimits> = {}, tarballAfterReads?: number) {
  return gitHubRepositorySnapshot(gh as unknown as GitHub, REPO, sha, { limits: { ...DEFAULT_REPOSITORY_LIMITS, ...limits }, strategy, tarballAfterReads });
}

describe("simulator: the endpoints repository access uses", () => {
  test("a recursive tree past the entry limit is cut short and says truncated; a level alone is whole", async () => {
    const recursive = await gh.git.getTree({ ...REPO, tree_sha: sha, recursive: "true" });
    expect(recursive.data.truncated).toBe(true);
    expect(recursive.data.tree).toHaveLength(5);
    const top = await gh.git.getTree({ ...REPO, tree_sha: sha });
    expect(top.data.truncated).toBe(false);
    expect(top.data.tree.map((e) => e.path)).toEqual(expect.arrayContaining(["README.md", "src", "deep"]));
    expect(sim.violations).toEqual([]);
  });

  test("the tarball redirects to an archive of the commit under owner-repo-sha7/", async () => {
    const response = await gh.repos.downloadTarballArchive({ ...REPO, ref: sha });
    const tar = gunzipSync(Buffer.from(response.data as ArrayBuffer));
    const prefix = `acme-depot-${sha.slice(0, 7)}/`;
    expect(tar.includes(Buffer.from(`${prefix}README.md`))).toBe(true);
    expect(tar.includes(Buffer.from("export const b = 2;"))).toBe(true);
    const redirect = sim.requests.find((r) => r.route === "/repos/{owner}/{repo}/tarball/{ref}");
    expect(redirect?.status).toBe(302);
    expect(sim.violations).toEqual([]);
  });

  test("a tarball of an unknown ref is 404", async () => {
    await expect(gh.repos.downloadTarballArchive({ ...REPO, ref: "no-such-branch" })).rejects.toMatchObject({ status: 404 });
  });
});

describe.each<RepositoryStrategy>(["blobs", "tarball"])("GitHub repository snapshot (%s)", (strategy) => {
  test("lists regular files, sorted, and says when GitHub truncated the listing", async () => {
    const listing = await snapshot(strategy).paths();
    expect(listing.truncated).toBe(true);
    expect([...listing.paths]).toEqual([...listing.paths].sort());
    expect(listing.paths).not.toContain("link");
  });

  test("reads text; binary, non-UTF-8, symlinks, absent and hostile paths read as null", async () => {
    const repo = snapshot(strategy);
    expect(await repo.read("src/b.ts")).toBe("export const b = 2;\n");
    expect(await repo.read(`${LONG_DIR}/long-path.ts`)).toBe("export const deep = true;\n");
    expect(await repo.read("assets/logo.png")).toBeNull();
    expect(await repo.read("latin1.txt")).toBeNull();
    expect(await repo.read("link")).toBeNull();
    expect(await repo.read("src/missing.ts")).toBeNull();
    for (const hostile of ["../etc/passwd", "/etc/passwd", "src/../README.md", "src//a.ts", "", "src/a.ts\0"]) {
      expect(await repo.read(hostile)).toBeNull();
    }
    expect(repo.stats().refused).toBe(0);
  });
});

describe("GitHub repository snapshot: caching and limits", () => {
  test("a second read of a file, or of the same content elsewhere, costs nothing", async () => {
    const repo = snapshot("blobs");
    expect(await repo.read("src/a.ts")).toBe("export const a = 1;\n");
    const after = repo.stats();
    await Promise.all([repo.read("src/a.ts"), repo.read("src/a.ts"), repo.read("src/copy-of-a.ts")]);
    expect(repo.stats().requests).toBe(after.requests);
    expect(repo.stats().bytesFetched).toBe(after.bytesFetched);
  });

  test("a file over the per-file cap is refused without being fetched", async () => {
    const repo = snapshot("blobs", { maxFileBytes: 1_000 });
    await repo.paths();
    const before = repo.stats().requests;
    expect(await repo.read("big.txt")).toBeNull();
    expect(repo.stats()).toMatchObject({ requests: before, refused: 1, filesRead: 0 });
  });

  test("reads past the request budget are refused", async () => {
    const repo = snapshot("blobs", { maxRequests: 2 });
    expect(await repo.read("README.md")).toBe("# depot\n");
    expect(await repo.read("src/b.ts")).toBeNull();
    expect(repo.stats()).toMatchObject({ requests: 2, refused: 1, filesRead: 1 });
  });

  test("reads past the byte budget are refused", async () => {
    const repo = snapshot("blobs", { maxTotalBytes: 5_010 });
    expect(await repo.read("big.txt")).toHaveLength(5_000);
    expect(await repo.read("src/b.ts")).toBeNull();
    expect(repo.stats().refused).toBe(1);
  });

  test("reads in flight together share the byte budget: it is never overrun", async () => {
    const repo = snapshot("blobs", { maxTotalBytes: 30 });
    const texts = await Promise.all([repo.read("README.md"), repo.read("src/a.ts"), repo.read("src/b.ts")]);
    expect(texts.filter((t) => t !== null).length).toBeLessThanOrEqual(2);
    expect(repo.stats().bytesFetched).toBeLessThanOrEqual(30);
    expect(repo.stats().refused).toBeGreaterThanOrEqual(1);
  });

  test("GitHub's failures arrive as GitHubErrors and are not cached: the next read asks again", async () => {
    const repo = snapshot("blobs");
    await repo.paths();
    sim.faults.inject({ route: "/repos/{owner}/{repo}/git/blobs/{file_sha}", status: 503 });
    const failure = await repo.read("src/b.ts").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitHubError);
    expect(failure).toMatchObject({ kind: "transient" });
    expect(await repo.read("src/b.ts")).toBe("export const b = 2;\n");
  });

  test("GitHubHost.repository builds the snapshot for a job", async () => {
    const host = createGitHubHost(gh as unknown as GitHub, createAppIdentity());
    const repo = host.repository(REPO, sha, DEFAULT_REPOSITORY_LIMITS, { strategy: "blobs" });
    expect(repo.commit).toBe(sha);
    expect(await repo.read("README.md")).toBe("# depot\n");
    expect(repo.stats()).toMatchObject({ filesRead: 1, refused: 0 });
  });

  test("a commit GitHub does not have fails as a GitHubError", async () => {
    const repo = gitHubRepositorySnapshot(gh as unknown as GitHub, REPO, "0".repeat(40), { limits: DEFAULT_REPOSITORY_LIMITS });
    const failure = await repo.paths().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GitHubError);
    expect(failure).toMatchObject({ kind: "not-found" });
  });
});

describe("GitHub repository snapshot: the archive", () => {
  let untruncated: Simulator;
  let client: Octokit;
  let head: string;

  beforeAll(async () => {
    untruncated = await startSimulator();
    await untruncated.createRepo({ owner: "acme", name: "depot", commits: [{ message: "all", files, modes: { link: "120000" } }] });
    client = await installationOctokit(untruncated, "acme");
    head = (await client.git.getRef({ ...REPO, ref: "heads/main" })).data.object.sha;
  });

  afterAll(async () => {
    await untruncated.close();
  });

  const open = (strategy: RepositoryStrategy, tarballAfterReads?: number, limits: Partial<RepositoryLimits> = {}) =>
    gitHubRepositorySnapshot(client as unknown as GitHub, REPO, head, { limits: { ...DEFAULT_REPOSITORY_LIMITS, ...limits }, strategy, tarballAfterReads });

  test("the tarball strategy reads every file with one request after the listing", async () => {
    const repo = open("tarball");
    const { paths } = await repo.paths();
    const texts = await Promise.all(paths.map((p) => repo.read(p)));
    expect(texts.filter((t) => t !== null)).toHaveLength(6);
    expect(await repo.read("src/b.ts")).toBe("export const b = 2;\n");
    expect(repo.stats().requests).toBe(2);
    expect(untruncated.violations).toEqual([]);
  });

  test("auto reads blobs first, then moves to the archive", async () => {
    const repo = open("auto", 2);
    expect(await repo.read("README.md")).toBe("# depot\n");
    expect(await repo.read("src/a.ts")).toBe("export const a = 1;\n");
    expect(repo.stats().requests).toBe(3);
    expect(await repo.read("src/b.ts")).toBe("export const b = 2;\n");
    expect(await repo.read("big.txt")).toHaveLength(5_000);
    expect(await repo.read(`${LONG_DIR}/long-path.ts`)).toBe("export const deep = true;\n");
    expect(repo.stats().requests).toBe(4);
  });

  test("an abandoned read fails without costing the job its archive or its cache", async () => {
    const repo = open("tarball");
    await repo.paths();
    const gone = new AbortController();
    gone.abort();
    await expect(repo.read("src/b.ts", gone.signal)).rejects.toThrow();
    expect(await repo.read("src/b.ts")).toBe("export const b = 2;\n");
    expect(await repo.read("src/a.ts")).toBe("export const a = 1;\n");
    // The listing, the abandoned archive request, the archive: no blob was needed.
    expect(repo.stats().requests).toBe(3);
  });

  test("an archive GitHub fails to serve is given up for the job: reads go on file by file", async () => {
    const fault = untruncated.faults.inject({ route: "/repos/{owner}/{repo}/tarball/{ref}", status: 502, times: 1 });
    const repo = open("tarball");
    expect(await repo.read("src/b.ts")).toBe("export const b = 2;\n");
    expect(await repo.read("README.md")).toBe("# depot\n");
    expect(fault).toBeDefined();
    // The listing, the failed archive and two blobs.
    expect(repo.stats()).toMatchObject({ requests: 4, filesRead: 2, refused: 0 });
  });

  describe("readKnown: a pull request's head files, named by blob id", () => {
    const known = async (paths: readonly string[]) => {
      const { data } = await client.git.getTree({ ...REPO, tree_sha: head, recursive: "true" });
      return paths.map((path) => ({ path, sha: data.tree.find((e) => e.path === path)!.sha }));
    };

    test("as many files as the archive threshold come from the archive, and later reads of them cost nothing", async () => {
      const files = await known(["README.md", "src/a.ts", "src/b.ts", "assets/logo.png"]);
      const repo = open("auto", 3);
      const texts = await repo.readKnown(files, 4);
      expect(Object.fromEntries(texts)).toEqual({
        "README.md": "# depot\n",
        "src/a.ts": "export const a = 1;\n",
        "src/b.ts": "export const b = 2;\n",
        "assets/logo.png": null,
      });
      // The listing and the archive, whatever the number of files.
      expect(repo.stats().requests).toBe(2);
      expect(await repo.read("src/b.ts")).toBe("export const b = 2;\n");
      expect(await repo.read("big.txt")).toHaveLength(5_000);
      expect(repo.stats().requests).toBe(2);
      expect(untruncated.violations).toEqual([]);
    });

    test("fewer files than the threshold are read in one GraphQL query, without a listing, and cached", async () => {
      const files = await known(["src/a.ts", "src/b.ts"]);
      const blobReads = () => untruncated.requests.filter((r) => r.route === "/repos/{owner}/{repo}/git/blobs/{file_sha}").length;
      const before = blobReads();
      const repo = open("auto", 3);
      const texts = await repo.readKnown(files, 4);
      expect(texts.get("src/b.ts")).toBe("export const b = 2;\n");
      expect(repo.stats()).toMatchObject({ requests: 1, filesRead: 2 });
      expect(blobReads()).toBe(before);
      expect(await repo.read("src/a.ts")).toBe("export const a = 1;\n");
      expect(repo.stats().requests).toBe(1);
    });

    test("a binary file in the batch is left to its blob; the batch failing leaves every file to its blob", async () => {
      const files = await known(["src/a.ts", "assets/logo.png"]);
      const repo = open("auto", 3);
      const texts = await repo.readKnown(files, 4);
      expect(Object.fromEntries(texts)).toEqual({ "src/a.ts": "export const a = 1;\n", "assets/logo.png": null });
      // The query, then the binary file's blob.
      expect(repo.stats()).toMatchObject({ requests: 2, filesRead: 2 });

      untruncated.faults.inject({ route: "/graphql", status: 502, times: 1 });
      const again = open("auto", 3);
      const read = await again.readKnown(await known(["src/a.ts", "src/b.ts"]), 4);
      expect(Object.fromEntries(read)).toEqual({ "src/a.ts": "export const a = 1;\n", "src/b.ts": "export const b = 2;\n" });
      expect(again.stats()).toMatchObject({ requests: 3, filesRead: 2 });
    });

    test("an archive GitHub fails to serve leaves the files to their blobs", async () => {
      const files = await known(["README.md", "src/a.ts", "src/b.ts"]);
      untruncated.faults.inject({ route: "/repos/{owner}/{repo}/tarball/{ref}", status: 502, times: 1 });
      const repo = open("auto", 2);
      const texts = await repo.readKnown(files, 4);
      expect(texts.get("src/a.ts")).toBe("export const a = 1;\n");
      // The listing, the failed archive, the three files in one GraphQL query.
      expect(repo.stats()).toMatchObject({ requests: 3, filesRead: 3 });
    });

    test("a file over the per-file cap reads as null and is refused", async () => {
      const files = await known(["big.txt", "src/a.ts"]);
      const repo = open("tarball", undefined, { maxFileBytes: 1_000 });
      const texts = await repo.readKnown(files, 4);
      expect(texts.get("big.txt")).toBeNull();
      expect(texts.get("src/a.ts")).toBe("export const a = 1;\n");
      expect(repo.stats()).toMatchObject({ requests: 2, refused: 1 });
    });
  });

  test("an archive larger than the byte budget left is not fetched: reads go on file by file", async () => {
    const archives = () => untruncated.requests.filter((r) => r.route === "/repos/{owner}/{repo}/tarball/{ref}").length;
    const before = archives();
    const repo = open("tarball", undefined, { maxTotalBytes: 2_000 });
    expect(await repo.read("src/b.ts")).toBe("export const b = 2;\n");
    expect(archives()).toBe(before);
    expect(repo.stats().bytesFetched).toBeLessThan(2_000);
  });
});

import type { RepoRecord } from "../state.js";
import type { World } from "../world.js";
import { latestPerName } from "../render/check-suite.js";
import type { GqlObject } from "./execute.js";

/**
 * Git objects as GitHub's GraphQL serves them (`Repository.object`,
 * `Commit.file`): a Blob's text (null when binary: a NUL byte in git's first
 * 8,000 bytes), its size in bytes; a Commit's check suites and their runs.
 * Connections come from the caller (`connection` in github-schema.ts) so
 * pagination rules are GitHub's everywhere.
 */

export type Connect = <T>(
  typename: string,
  field: string,
  items: readonly T[],
  args: Readonly<Record<string, unknown>>,
  toNode: (item: T) => GqlObject,
) => GqlObject;

/** `object(expression:)` or `object(oid:)`: the object, or null when there is none (GitHub answers null, not an error). */
export async function gitObject(world: World, repo: RepoRecord, args: Readonly<Record<string, unknown>>, connect: Connect): Promise<GqlObject | null> {
  const git = repo.git;
  let sha: string | null = null;
  if (typeof args["oid"] === "string") sha = args["oid"];
  else if (typeof args["expression"] === "string") {
    // `HEAD` is the default branch, as on GitHub; anything else is a revision expression for rev-parse.
    const expression = args["expression"].replace(/^HEAD(?=:|$)/, `refs/heads/${repo.defaultBranch}`);
    sha = await git.revParse(expression).catch(() => null);
  }
  if (sha === null) return null;
  return objectById(world, repo, sha, connect);
}

async function objectById(world: World, repo: RepoRecord, sha: string, connect: Connect): Promise<GqlObject | null> {
  const type = await repo.git.objectType(sha);
  if (type === "blob") {
    const bytes = await repo.git.readBlob(sha);
    return bytes ? blob(sha, bytes) : null;
  }
  if (type === "commit") return commit(world, repo, sha, connect);
  if (type === "tree") return { typename: "Tree", fields: { oid: () => sha } };
  return null;
}

function blob(sha: string, bytes: Buffer): GqlObject {
  const binary = bytes.subarray(0, 8000).includes(0);
  return {
    typename: "Blob",
    fields: {
      oid: () => sha,
      byteSize: () => bytes.length,
      isBinary: () => binary,
      isTruncated: () => false,
      text: () => (binary ? null : bytes.toString("utf8")),
    },
  };
}

export function commit(world: World, repo: RepoRecord, sha: string, connect: Connect): GqlObject {
  return {
    typename: "Commit",
    fields: {
      oid: () => sha,
      file: async (args) => {
        const path = String(args["path"] ?? "");
        const [entry] = path === "" ? [] : await repo.git.listTree(sha, { path });
        if (!entry || entry.path !== path) return null;
        return { typename: "TreeEntry", fields: { path: () => entry.path, oid: () => entry.sha, object: () => objectById(world, repo, entry.sha, connect) } };
      },
      checkSuites: (args) => {
        const suites = world.state.checkSuites.filter((s) => s.repo === repo && s.headSha === sha);
        return connect("CheckSuiteConnection", "checkSuites", suites, args, (suite) => ({
          typename: "CheckSuite",
          fields: {
            checkRuns: (runArgs) => {
              const filter = (runArgs["filterBy"] ?? {}) as Readonly<Record<string, unknown>>;
              let runs = world.state.suiteRuns(suite);
              if (typeof filter["checkName"] === "string") runs = runs.filter((r) => r.name === filter["checkName"]);
              if (typeof filter["appId"] === "number") runs = runs.filter((r) => r.app.id === filter["appId"]);
              // GitHub's default is the latest run of each name; `checkType: ALL` lists every run.
              if (filter["checkType"] !== "ALL") runs = latestPerName(runs);
              return connect("CheckRunConnection", "checkRuns", runs, runArgs, (run) => ({
                typename: "CheckRun",
                fields: { databaseId: () => run.id, name: () => run.name, status: () => run.status.toUpperCase(), externalId: () => run.externalId },
              }));
            },
          },
        }));
      },
    },
  };
}

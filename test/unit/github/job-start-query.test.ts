import { describe, expect, test } from "@jest/globals";
import { DEFAULT_REPO_CONFIG } from "../../../src/config/repo-config.js";
import { configFrom, jobStartFrom, partialData, pullRequestFrom, type JobStartData } from "../../../src/github/job-start-query.js";

const HEAD = "a".repeat(40);
const BASE = "b".repeat(40);

function blob(text: string) {
  return { __typename: "Blob", text, isBinary: false, isTruncated: false, byteSize: Buffer.byteLength(text) };
}

function data(overrides: Partial<JobStartData["repository"]["pullRequest"]> = {}, config: JobStartData["repository"]["config"] = null): JobStartData {
  return {
    repository: {
      nameWithOwner: "acme/widgets",
      pullRequest: {
        number: 7,
        title: "Feature",
        body: "",
        state: "OPEN",
        isDraft: false,
        merged: false,
        changedFiles: 2,
        additions: 13,
        deletions: 13,
        maintainerCanModify: true,
        author: { __typename: "User", login: "dev" },
        headRefOid: HEAD,
        headRefName: "feature",
        headRepository: { nameWithOwner: "dev/widgets" },
        baseRefOid: BASE,
        baseRefName: "main",
        baseRef: { target: { __typename: "Commit", oid: BASE, file: { object: blob("## Review guidelines\nBe kind.\n") } } },
        reviews: { totalCount: 0 },
        commits: { nodes: [{ commit: { oid: HEAD, checkSuites: { totalCount: 1, nodes: [{ checkRuns: { totalCount: 0 } }] } } }] },
        ...overrides,
      },
      config,
    },
    org: { config: null },
  };
}

const options = { checkName: "Longview", guidelines: true, orgConfig: true };

describe("the pull request from GraphQL", () => {
  test("has REST's shape: lower-case state, draft, a fork's head repository, the base repository", () => {
    expect(pullRequestFrom(data({ isDraft: true }))).toEqual({
      number: 7,
      title: "Feature",
      body: "",
      state: "open",
      draft: true,
      merged: false,
      user: { login: "dev", type: "User" },
      changed_files: 2,
      additions: 13,
      deletions: 13,
      maintainer_can_modify: true,
      head: { sha: HEAD, ref: "feature", repo: { full_name: "dev/widgets" } },
      base: { sha: BASE, ref: "main", repo: { full_name: "acme/widgets" } },
    });
  });

  test("an app's login gains REST's [bot]; a deleted fork has no head repository; merged and closed are closed", () => {
    const pr = pullRequestFrom(data({ author: { __typename: "Bot", login: "dependabot" }, headRepository: null, state: "MERGED", merged: true }));
    expect(pr.user).toEqual({ login: "dependabot[bot]", type: "Bot" });
    expect(pr.head.repo).toBeNull();
    expect(pr).toMatchObject({ state: "closed", merged: true });
    expect(pullRequestFrom(data({ state: "CLOSED", author: null }))).toMatchObject({ state: "closed", merged: false, user: null });
  });
});

describe("what the query settles", () => {
  test("an unreviewed pull request with no run by the name: state empty, no listing needed, guidelines from the base", () => {
    const start = jobStartFrom(data(), options);
    expect(start).toMatchObject({ unreviewed: true, noRunsNamed: "Longview", agentsMd: "## Review guidelines\nBe kind.\n" });
    expect(start.config).toEqual({ config: DEFAULT_REPO_CONFIG, problems: [] });
  });

  test("a review, a run by the name, more suites than listed, or a head that is not the last commit: not settled", () => {
    expect(jobStartFrom(data({ reviews: { totalCount: 1 } }), options).unreviewed).toBe(false);
    const withRun = {
      nodes: [{ commit: { oid: HEAD, checkSuites: { totalCount: 2, nodes: [{ checkRuns: { totalCount: 0 } }, { checkRuns: { totalCount: 1 } }] } } }],
    };
    expect(jobStartFrom(data({ commits: withRun }), options).noRunsNamed).toBeNull();
    const unlisted = { nodes: [{ commit: { oid: HEAD, checkSuites: { totalCount: 101, nodes: [{ checkRuns: { totalCount: 0 } }] } } }] };
    expect(jobStartFrom(data({ commits: unlisted }), options).noRunsNamed).toBeNull();
    const other = { nodes: [{ commit: { oid: "c".repeat(40), checkSuites: { totalCount: 0, nodes: [] } } }] };
    expect(jobStartFrom(data({ commits: other }), options).noRunsNamed).toBeNull();
    const unreadable = { nodes: [{ commit: { oid: HEAD, checkSuites: null } }] };
    expect(jobStartFrom(data({ commits: unreadable }), options).noRunsNamed).toBeNull();
  });

  test("AGENTS.md: none is null; a base branch that moved, a binary or cut-short file, or not asked for: read at the base sha", () => {
    expect(jobStartFrom(data({ baseRef: { target: { __typename: "Commit", oid: BASE, file: null } } }), options).agentsMd).toBeNull();
    const moved = { target: { __typename: "Commit", oid: "d".repeat(40), file: { object: blob("new rules") } } };
    expect(jobStartFrom(data({ baseRef: moved }), options).agentsMd).toBeUndefined();
    expect(jobStartFrom(data({ baseRef: null }), options).agentsMd).toBeUndefined();
    const binary = {
      target: { __typename: "Commit", oid: BASE, file: { object: { __typename: "Blob", text: null, isBinary: true, isTruncated: false, byteSize: 9 } } },
    };
    expect(jobStartFrom(data({ baseRef: binary }), options).agentsMd).toBeUndefined();
    const cut = { target: { __typename: "Commit", oid: BASE, file: { object: { ...blob("partial"), isTruncated: true } } } };
    expect(jobStartFrom(data({ baseRef: cut }), options).agentsMd).toBeUndefined();
    expect(jobStartFrom(data(), { ...options, guidelines: false }).agentsMd).toBeUndefined();
  });
});

describe("the configuration as Probot's plugin reads it", () => {
  test("the repository's file, else the organisation's; neither: defaults", () => {
    expect(configFrom(blob("drafts: review\n"), blob("drafts: skip\n"))?.config.drafts).toBe("review");
    expect(configFrom(null, blob("drafts: review\n"))?.config.drafts).toBe("review");
    expect(configFrom(null, null)).toEqual({ config: DEFAULT_REPO_CONFIG, problems: [] });
    // An empty file is the repository's (no settings): the organisation's is not read.
    expect(configFrom(blob(""), blob("drafts: review\n"))).toEqual({ config: DEFAULT_REPO_CONFIG, problems: [] });
  });

  test("problems are reported as the plugin path reports them", () => {
    expect(configFrom(blob("nonsense: 1\n"), null)?.problems).toEqual([expect.stringContaining("unknown setting `nonsense`")]);
    // The plugin composes files with Object.assign: a list's items become settings named 0, 1; a number is no settings.
    expect(configFrom(blob("- a\n"), null)?.problems).toEqual([expect.stringContaining("unknown setting `0`")]);
    expect(configFrom(blob("5\n"), null)).toEqual({ config: DEFAULT_REPO_CONFIG, problems: [] });
  });

  test("_extends, invalid YAML, a string, a directory, binary or cut-short text: left to the plugin", () => {
    expect(configFrom(blob("_extends: other\n"), null)).toBeNull();
    expect(configFrom(null, blob("_extends: .github:base.yml\n"))).toBeNull();
    expect(configFrom(blob("a: [1\n"), null)).toBeNull();
    expect(configFrom(blob("just words\n"), null)).toBeNull();
    expect(configFrom({ __typename: "Tree" }, null)).toBeNull();
    expect(configFrom({ __typename: "Blob", text: null, isBinary: true, isTruncated: false, byteSize: 3 }, null)).toBeNull();
    expect(configFrom({ ...blob("drafts: review\n"), isTruncated: true }, null)).toBeNull();
    expect(configFrom({ ...blob("drafts: review\n"), byteSize: 99 }, null)).toBeNull();
  });
});

describe("an answer with errors", () => {
  const error = (errors: unknown[], partial: unknown = { repository: {} }) =>
    Object.assign(new Error("x"), { name: "GraphqlResponseError", errors, data: partial });

  test("a missing organisation .github repository, or unreadable check suites, keep the data", () => {
    expect(partialData(error([{ type: "NOT_FOUND", path: ["org"] }]))).toEqual({ repository: {} });
    expect(partialData(error([{ type: "FORBIDDEN", path: ["repository", "pullRequest", "commits", "nodes", 0, "commit", "checkSuites"] }]))).toEqual({
      repository: {},
    });
  });

  test("anything else is a failed query", () => {
    expect(partialData(error([{ type: "NOT_FOUND", path: ["repository", "pullRequest"] }]))).toBeUndefined();
    expect(partialData(error([{ type: "NOT_FOUND", path: ["org"] }, { type: "RATE_LIMITED" }]))).toBeUndefined();
    expect(partialData(error([]))).toBeUndefined();
    expect(partialData(new Error("HTTP 502"))).toBeUndefined();
    expect(partialData(Object.assign(new Error("x"), { name: "HttpError", status: 502 }))).toBeUndefined();
  });
});
